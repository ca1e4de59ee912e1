"""An applicability test set built from real corpus text (read directly with the stdlib).

Pairs are (question, source profile, passage, misapplied?) with three kinds:

* ``medquad-condition``: MedQuAD documents. Applies: the question's condition is the
  document's own focus, or — harder — the focus of another document with the same UMLS CUI
  but a different name. Misapplied: the focus of another document of the same collection with
  a different CUI and no shared name token (half of them from documents sharing a head word,
  e.g. two cancers). Synonyms must have the same CUI set: MedQuAD documents often share a
  generic extra CUI, which does not make them the same condition. Question conditions carry
  no codes so the name/embedding path is tested.
  Half of the sources are profiled with metadata, half in audit mode (title + text).
* ``ngc-condition``: NGC guidelines; own first Disease/Condition item vs another guideline's.
* ``ngc-population``: guidelines whose *title* is adult-only or child-only; question about the
  guideline's own condition with the same or the opposite age group. The checker reads the
  Target Population field and passage, not the title's age words, so labels are independent.

Sampling is deterministic (sorted files, fixed stride), never tuned to individual examples.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from curbside.applicability.checker import SourceProfile, profile_from_document, profile_from_text
from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.question import AgeGroup, ConditionMention, Intent, UnderstoodQuestion


@dataclass(frozen=True, slots=True)
class ApplicabilityPair:
    key: str
    kind: str
    question: UnderstoodQuestion
    profile: SourceProfile
    passage: str
    misapplied: bool


@dataclass(frozen=True, slots=True)
class _MedQuad:
    doc_id: str
    collection: str
    focus: str
    cuis: frozenset[str]
    answer: str


def _question(condition: str, age: AgeGroup | None = None) -> UnderstoodQuestion:
    mention = ConditionMention(name=condition.lower(), surface=condition, origin="medquad-focus")
    return UnderstoodQuestion(
        text=f"How is {condition} treated?", intent=Intent.TREATMENT, conditions=(mention,), age_group=age
    )


def _pick(key: str, n: int) -> int:
    return int(hashlib.md5(key.encode()).hexdigest(), 16) % n


def _words(text: str) -> set[str]:
    generic = {"disease", "disorder", "syndrome", "cancer", "type", "and", "of", "the", "in"}
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in generic}


def load_medquad(corpora: Path, stride: int = 6) -> list[_MedQuad]:
    """Every ``stride``-th MedQuAD document (sorted) with a focus, CUIs and a first answer."""
    out = []
    for path in sorted((corpora / "medquad").glob("*/*.xml"))[::stride]:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        focus = (root.findtext("Focus") or "").strip()
        answer = next((a.text for a in root.iter("Answer") if a.text and len(a.text) > 80), None)
        if not focus or not answer:
            continue
        cuis = frozenset(c.text.strip() for c in root.iter("CUI") if c.text)
        out.append(_MedQuad(f"{path.parent.name}/{path.stem}", path.parent.name, focus, cuis, answer[:1500]))
    return out


def _profile(doc: _MedQuad, audit: bool) -> SourceProfile:
    if audit:
        return profile_from_text(doc.doc_id, doc.focus, doc.answer)
    document = Document(
        source_id=doc.doc_id, source="medquad", kind=DocumentKind.PATIENT_INFORMATION, organization="NIH",
        title=doc.focus, year=None, url="", licence="CC BY 4.0", conditions=(doc.focus.lower(),),
        metadata={"focus": doc.focus, "cuis": sorted(doc.cuis)},
        passages=(Passage(f"{doc.doc_id}#0", (), doc.answer, 0),),
    )  # fmt: skip
    return profile_from_document(document)


def medquad_pairs(corpora: Path) -> list[ApplicabilityPair]:
    docs = load_medquad(corpora)
    by_cui: dict[str, list[_MedQuad]] = {}
    for doc in docs:
        for cui in doc.cuis:
            by_cui.setdefault(cui, []).append(doc)
    pairs = []
    for doc in docs:
        audit = _pick("audit:" + doc.doc_id, 2) == 1
        profile = _profile(doc, audit)
        key = f"mq:{doc.doc_id}"
        wanted = [(doc.focus, False)]
        synonyms = sorted(
            {
                o.focus
                for c in doc.cuis
                for o in by_cui[c]
                if o.cuis == doc.cuis and o.focus.lower() != doc.focus.lower()
            }
        )
        if synonyms:
            wanted.append((synonyms[_pick(doc.doc_id, len(synonyms))], False))
        others = [
            o for o in docs
            if o.collection == doc.collection and not (o.cuis & doc.cuis) and not (_words(o.focus) & _words(doc.focus))
            and o.focus.lower() not in doc.answer.lower()
        ]  # fmt: skip
        near = [o for o in others if set(o.focus.lower().split()) & set(doc.focus.lower().split())]
        pool = near if near and _pick("near:" + doc.doc_id, 2) else others
        if pool:
            wanted.append((pool[_pick("neg:" + doc.doc_id, len(pool))].focus, True))
        for condition, bad in wanted:
            pairs.append(ApplicabilityPair(key, "medquad-condition", _question(condition), profile, doc.answer, bad))
    return pairs


def _ngc_fields(path: Path) -> dict[str, list[str]]:
    """Field name → list items (HTML stripped) of one NGC XML summary."""
    fields: dict[str, list[str]] = {}
    for field in ET.parse(path).getroot().iter("Field"):
        raw = " ".join(html.unescape(v.get("Value", "")) for v in field.iter("FieldValue"))
        items = [" ".join(x.split()) for x in re.split(r"<(?:li|p|br|div)[^>]*>", raw)]
        items = [re.sub(r"<[^>]+>", " ", x).strip() for x in items]
        fields[field.get("Name", "")] = [" ".join(x.split()) for x in items if len(x.strip()) > 2]
    return fields


_CHILD_TITLE = re.compile(r"\b(children|adolescents?|pediatric|infants?|newborns?|youth)\b", re.IGNORECASE)
_ADULT_TITLE = re.compile(r"\badults?\b", re.IGNORECASE)


def ngc_pairs(corpora: Path) -> list[ApplicabilityPair]:
    guides = []
    for path in sorted((corpora / "guidelines-ngc").glob("*.xml")):
        try:
            fields = _ngc_fields(path)
        except ET.ParseError:
            continue
        title = (fields.get("Guideline Title") or [""])[0]
        condition = (fields.get("Disease/Condition(s)") or [""])[0].rstrip(":")
        recs = " ".join(fields.get("Major Recommendations", []))[:1500]
        population = " ".join(fields.get("Target Population", []))[:400] or None
        if title and condition and recs:
            guides.append((path.stem, title, condition, recs, population))
    pairs = []
    for stem, title, condition, recs, population in guides:
        document = Document(
            source_id=stem, source="ngc", kind=DocumentKind.GUIDELINE, organization="", title=title, year=None,
            url="", licence="", conditions=(condition.lower(),), population=population,
        )  # fmt: skip
        profile = profile_from_document(document)
        pairs.append(ApplicabilityPair(f"ngc:{stem}", "ngc-condition", _question(condition), profile, recs, False))
        others = [g for g in guides if not (_words(g[2]) & _words(condition)) and g[2].lower() not in recs.lower()]
        if others:
            other = others[_pick("neg:" + stem, len(others))][2]
            pairs.append(ApplicabilityPair(f"ngc:{stem}", "ngc-condition", _question(other), profile, recs, True))
        child, adult = bool(_CHILD_TITLE.search(title)), bool(_ADULT_TITLE.search(title))
        if child == adult:
            continue
        own, opposite = (AgeGroup.CHILD, AgeGroup.ADULT) if child else (AgeGroup.ADULT, AgeGroup.CHILD)
        for age, bad in ((own, False), (opposite, True)):
            pairs.append(
                ApplicabilityPair(f"ngc:{stem}", "ngc-population", _question(condition, age), profile, recs, bad)
            )
    return pairs


def applicability_pairs(corpora: Path) -> list[ApplicabilityPair]:
    """The full deterministic set: MedQuAD condition pairs plus NGC condition/population pairs."""
    return medquad_pairs(corpora) + ngc_pairs(corpora)
