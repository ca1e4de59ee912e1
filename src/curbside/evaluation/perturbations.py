"""A perturbation set from real corpus sentences: what the verifier must catch, and what it must not.

Each item takes one sentence of a real source (an FDA label sentence from the NLM corpus, or an
NGC Major Recommendation sentence), uses it with its neighbours as the cited passage, and makes
a statement from it:

* ``paraphrase`` — a faithful rewording by rule (synonyms, units, frequencies, durations):
  must be called supported;
* ``negated`` — the claim's polarity flipped ("should" ↔ "should not", "recommended" ↔ "not
  recommended", "increases" ↔ "decreases" …);
* ``number`` — one number of a dose, duration or frequency changed to one the passage does
  not state;
* ``drug`` — the label's own drug swapped for another label's drug;
* ``population`` — the population word swapped (adults ↔ children …).

All but ``paraphrase`` must not be called supported. Sampling is deterministic (sorted files,
a fixed stride). ``in_report_half("pert:" + document id)`` splits by document: training sees
one half, the numbers are reported on the other, and no document's sentences are in both.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from curbside.applicability.population import age_groups_in
from curbside.evaluation.applicability_pairs import _ngc_fields
from curbside.evaluation.calibration import in_report_half
from curbside.language.sentences import split_sentences


@dataclass(frozen=True, slots=True)
class Perturbation:
    """One statement / passage pair with its expected verdict."""

    key: str
    document: str
    kind: str
    statement: str
    passage: str
    supported: bool

    @property
    def report(self) -> bool:
        return in_report_half("pert:" + self.document)


_PARAPHRASES: tuple[tuple[str, str], ...] = (
    (r"\bis recommended\b", "is advised"), (r"\bare recommended\b", "are advised"),
    (r"\bpatients\b", "people"), (r"\bprior to\b", "before"), (r"\bfollowing\b", "after"),
    (r"\bconcomitant\b", "concurrent"), (r"\bconcomitantly\b", "at the same time"),
    (r"\bdiscontinue\b", "stop"), (r"\bdiscontinuation\b", "stopping"), (r"\binitiat(?:e|ing)\b", "start"),
    (r"\badminister(?:ed)?\b", "given"), (r"\badministration\b", "use"), (r"\bin combination with\b", "together with"),
    (r"\butilize\b", "use"), (r"\bapproximately\b", "about"), (r"\bphysicians?\b", "doctors"),
    (r"\bclinicians\b", "health professionals"), (r"\bshould be considered\b", "may be considered"),
    (r"\bevery 12 hours\b", "twice daily"), (r"\btwice daily\b", "every 12 hours"),
    (r"\bevery 8 hours\b", "three times daily"), (r"\bonce daily\b", "once a day"),
    (r"\b14 days\b", "two weeks"), (r"\b7 days\b", "one week"), (r"(?<![\d.])(\d+) g\b", "\\g<1>000 mg"),
    (r"\bsignificantly\b", "markedly"), (r"\bmonitor\b", "watch"), (r"\bcaution\b", "care"),
)  # fmt: skip
_NEGATIONS: tuple[tuple[str, str], ...] = (
    (r"\bshould not\b", "should"), (r"\bis not recommended\b", "is recommended"),
    (r"\bare not recommended\b", "are recommended"), (r"\bis contraindicated\b", "is recommended"),
    (r"\bare contraindicated\b", "are recommended"), (r"\bdo not\b", "always"), (r"\bavoid\b", "use"),
    (r"\bis recommended\b", "is not recommended"), (r"\bare recommended\b", "are not recommended"),
    (r"\bshould\b", "should not"), (r"\bmay increase\b", "does not increase"), (r"\bcan cause\b", "does not cause"),
    (r"\bincreased?\b", "decreased"), (r"\bincreases\b", "decreases"), (r"\bdecreased?\b", "increased"),
    (r"\breduces?\b", "increases"), (r"\bmay\b", "may not"), (r"\bis\b", "is not"),
)  # fmt: skip
_POPULATIONS: tuple[tuple[str, str], ...] = (
    (r"\badults\b", "children"), (r"\badult\b", "pediatric"), (r"\bchildren\b", "adults"),
    (r"\bpediatric\b", "adult"), (r"\bpaediatric\b", "adult"), (r"\belderly\b", "pediatric"),
    (r"\bgeriatric\b", "pediatric"), (r"\binfants\b", "adults"), (r"\badolescents\b", "older adults"),
    (r"\bwomen\b", "children"), (r"\bmen\b", "children"), (r"\bolder adults\b", "children"),
)  # fmt: skip
_CHANGE_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)(?=\s*(?:-|to\s+\d+\s*)?\s*"
    r"(?:mg|mcg|g|mL|units?|%|hours?|days?|weeks?|months?|years?|times)\b)",
    re.IGNORECASE,
)


def _first_rule(text: str, rules: tuple[tuple[str, str], ...]) -> str | None:
    for pattern, replacement in rules:
        changed, count = re.subn(pattern, replacement, text, count=1, flags=re.IGNORECASE)
        # "should not only", "may not not": a flip that reads as nonsense is not a perturbation.
        if count and changed != text and not re.search(r"\bnot (?:not|only)\b", changed, re.IGNORECASE):
            return changed
    return None


def swap_population(text: str, passage: str) -> str | None:
    """Swap a population word for one the passage never names (else the swap may still be true:
    "in adults and children" does support "in children")."""
    named = age_groups_in(passage)
    for pattern, replacement in _POPULATIONS:
        if age_groups_in(replacement) & named:
            continue
        changed, count = re.subn(pattern, replacement, text, count=1, flags=re.IGNORECASE)
        if count and changed != text:
            return changed
    return None


def paraphrase(text: str) -> str | None:
    """Apply every paraphrase rule that fits (each once); None when none fits."""
    out, inserted = text, list[str]()
    for pattern, replacement in _PARAPHRASES:
        # A rule never undoes an earlier one ("every 12 hours" → "twice daily" → back again).
        if any(re.search(pattern, done, re.IGNORECASE) for done in inserted):
            continue
        changed = re.sub(pattern, replacement, out, count=1, flags=re.IGNORECASE)
        if changed != out:
            inserted.append(replacement)
            out = changed
    return out if out != text else None


def change_number(text: str, passage: str) -> str | None:
    """Change one quantity's number to a value the passage does not state anywhere."""
    match = _CHANGE_NUMBER.search(text)
    if not match:
        return None
    value = float(match.group(1))
    stated = set(re.findall(r"\d+(?:\.\d+)?", passage))
    for candidate in (value * 2, value * 3, value + 7, value * 10):
        new = f"{candidate:g}"
        if new not in stated:
            return text[: match.start(1)] + new + text[match.end(1) :]
    return None


def _items(key: str, document: str, sentence: str, passage: str, drugs: tuple[str, str] | None) -> list[Perturbation]:
    made: list[tuple[str, str | None, bool]] = [
        ("paraphrase", paraphrase(sentence), True),
        ("negated", _first_rule(sentence, _NEGATIONS), False),
        ("number", change_number(sentence, passage), False),
        ("population", swap_population(sentence, passage), False),
    ]
    if drugs is not None and not re.search(rf"\b{re.escape(drugs[1])}\b", passage, re.IGNORECASE):
        own, other = drugs
        swapped = re.sub(rf"\b{re.escape(own)}\b", other, sentence, flags=re.IGNORECASE)
        made.append(("drug", swapped if swapped != sentence else None, False))
    return [Perturbation(f"{key}:{kind}", document, kind, text, passage, ok) for kind, text, ok in made if text]


_SALTS = frozenset({"sodium", "potassium", "calcium", "magnesium", "hydrochloride", "hcl", "extended", "and"})


def _drug_word(generic: str) -> str:
    """The active moiety of a generic name ("clopidogrel bisulfate" → "clopidogrel")."""
    return next((w for w in re.findall(r"[a-z]+", generic) if len(w) >= 5 and w not in _SALTS), "")


def _usable(sentence: str) -> bool:
    """A sentence that states something (no question, no note about the summary's own fields)."""
    return (
        8 <= len(sentence.split()) <= 45
        and not sentence.rstrip().endswith("?")
        and not sentence.isupper()
        and not re.search(r"\b(?:field|level of evidence|grade|quality of evidence|definitions?)\b", sentence, re.I)
    )


def _window(sentences: list[str], i: int) -> str:
    return " ".join(sentences[max(0, i - 1) : i + 2])


def label_perturbations(corpora: Path, stride: int = 3, per_label: int = 4) -> tuple[list[Perturbation], set[str]]:
    """Perturbations of FDA label sentences; also returns every label drug name (the lexicon)."""
    files = sorted((corpora / "fda-labels-nlm").glob("*.xml"))
    labels = []
    for path in files:
        root = ET.parse(path).getroot()
        generic_node, brand_node = root.find("generic"), root.find("labelDrug")
        generic = (generic_node.get("name", "") if generic_node is not None else "").lower()
        brand = (brand_node.get("name", "") if brand_node is not None else "").lower()
        texts = [html.unescape(s.get("text", "")) for s in root.iter("sentence")]
        labels.append((path.stem, _drug_word(generic), brand, texts))
    names = {n for _, g, b, _ in labels for n in (g, b) if n}
    out: list[Perturbation] = []
    for index, (doc, generic, brand, texts) in enumerate(labels):
        other = labels[(index * 7 + 3) % len(labels)][1]
        sentences = [t for t in texts if _usable(t)]
        for i in range(0, len(sentences), stride)[:per_label]:
            sentence = sentences[i]
            own = next((n for n in (generic, brand) if n and re.search(rf"\b{re.escape(n)}\b", sentence, re.I)), None)
            drugs = (own, other) if own and other and other != own else None
            out.extend(_items(f"label:{doc}:{i}", doc, sentence, _window(sentences, i), drugs))
    return out, names


def guideline_perturbations(corpora: Path, stride: int = 4, per_guideline: int = 2) -> list[Perturbation]:
    """Perturbations of NGC Major Recommendation sentences (every ``stride``-th guideline)."""
    out: list[Perturbation] = []
    for path in sorted((corpora / "guidelines-ngc").glob("*.xml"))[::stride]:
        items = _ngc_fields(path).get("Major Recommendations", [])
        sentences = [s for item in items for s in split_sentences(item) if _usable(s)]
        for i in range(0, len(sentences), max(1, len(sentences) // per_guideline or 1))[:per_guideline]:
            out.extend(_items(f"ngc:{path.stem}:{i}", path.stem, sentences[i], _window(sentences, i), None))
    return out


def perturbation_set(corpora: Path) -> tuple[list[Perturbation], set[str]]:
    """Label and guideline perturbations, plus the drug names the checker should know."""
    labels, names = label_perturbations(corpora)
    return labels + guideline_perturbations(corpora), names
