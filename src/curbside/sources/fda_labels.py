"""FDA drug labels from the NLM drug–drug-interaction corpus (``fda-labels-nlm/``).

Each label is a DailyMed set id with two files: ``<setid>.txt`` (label text of the
contraindication / warning / interaction sections, sometimes more) and ``<setid>.xml``
(sentence-level annotation: entities with RxNorm/UMLS ids and ``<pair ddi="true">``
interaction pairs). One unit = both files; a label whose ``.xml`` is missing still loads
its text, just without interaction records.

The ``.txt`` files come in several shapes, all handled here:

* header ``PLAVIX (clopidogrel bisulfate) tablet, film coated`` or
  ``Drug Label for drug brand Indocin, containing indomethacin.``, a bare product name,
  or no header at all (the file opens with a section or a sentence);
* numbered PLR sections ``5 WARNINGS AND PRECAUTIONS`` / ``5.1 …``, or old-format upper-case
  sections (``CONTRAINDICATIONS``, ``DESCRIPTION SECTION``, ``INDICATIONS  -  USAGE SECTION``);
* short unnumbered sub-headings (``Proton Pump Inhibitors``);
* pseudo-markup lines ``<paragraph>``, ``<main>``, ``<list>``, ``<item>`` left by the
  corpus export — stripped, list items kept as bullets.

Pairs whose ``e1`` is the string ``labelDrug`` (the sentence only names the precipitant;
see the interactions README) are resolved to the label drug; they carry no type.
The pair attributes ``severity``/``evidence``/``context`` hold entity ids, not values,
so they are not copied into ``InteractionRecord.severity``.

``NLMCorpus_Mapped.csv`` decision: it is a lossy database export of the same pairs
(542 rows keyed by brand name, no set id, no sentence), so it adds no interactions
beyond the XML. What it does add is a DrugBank id for many drug names; we read it as a
name → DrugBank id table and append ``DrugBank:DB…`` ids to records (and the label's
``metadata["drugbank_ids"]``) when a name matches exactly (case-insensitive). The csv is
therefore part of every unit's paths so a change to it reloads the labels.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from curbside.domain.documents import Document, DocumentKind, InteractionRecord, LoadedUnit, Passage
from curbside.sources.base import SourceFormatError, SourceUnit, append_chunks
from curbside.sources.licence_terms import source_licence

FOLDER = "fda-labels-nlm"
MAPPED_CSV = "NLMCorpus_Mapped.csv"
LIST_NAME = "NLM DDI corpus (FDA label annotation)"
ORGANIZATION = "U.S. Food and Drug Administration (DailyMed)"
URL = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={setid}"
UNHEADED = "Label text"

# Salt/ester words dropped to get the active moiety ("clopidogrel bisulfate" → "clopidogrel");
# the full generic is always kept as well, since lists sometimes name the salt.
_SALT_WORDS = frozenset(
    {
        "hydrochloride", "hcl", "bisulfate", "sulfate", "maleate", "mesylate", "besylate", "fumarate",
        "hemifumarate", "tartrate", "bitartrate", "succinate", "phosphate", "potassium", "sodium", "calcium",
        "magnesium", "citrate", "medoxomil", "cilexetil", "kamedoxomil", "erbumine", "monohydrate",
        "dihydrate", "hydrobromide", "gluconate", "usp",
    }
)  # fmt: skip
_LABEL_HEADER = re.compile(r"^Drug Label for drug brand (?P<brand>.+?), containing (?P<generic>.+?)\.?$")
_PAREN_HEADER = re.compile(r"^(?P<brand>[^()]+?)\s*\((?P<generic>[^()]+)\)")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\s+(?P<text>[A-Z][^\n]*)$")
_KNOWN_TOP = re.compile(
    r"^(boxed warning|contraindications|warnings?|precautions|warnings and precautions|drug interactions|"
    r"adverse reactions|description|indications and usage|dosage and administration|"
    r"clinical pharmacology|use in pregnancy|overdosage)( section)?:?$",
    re.IGNORECASE,
)
_DOSAGE_FORM = re.compile(
    r"\s+(tablets?|capsules?|injection|solution|spray|patch|aerosol|powder|suspension|kit)\b.*$", re.IGNORECASE
)
_MARKUP = re.compile(r"</?(paragraph|main|list|item)>")
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    text: str
    number: str | None


@dataclass(frozen=True, slots=True)
class _Section:
    path: tuple[str, ...]
    number: str | None
    text: str


class NlmFdaLabelLoader:
    """Loads ``<corpus>/fda-labels-nlm/<setid>.txt`` (+ ``.xml``) as one DRUG_LABEL document each.

    Contract: ``discover`` lists one unit per ``.txt`` (empty when the folder is absent);
    ``load`` returns one Document (``source_id "fda:<setid>"``) with passages per
    (sub)section and the XML's positive interaction pairs as InteractionRecords.
    Raises SourceFormatError naming the file when the text is empty or the XML is malformed.
    """

    name = "fda-nlm"
    # Bump when this loader changes what it makes (2: export markup dropped from annotated
    # interaction sentences), so every label is re-read once.
    format_version = "2"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        folder = corpus_dir / FOLDER
        if not folder.is_dir():
            return []
        mapped = folder / MAPPED_CSV
        units = []
        for txt in sorted(folder.glob("*.txt")):
            paths = [txt]
            xml = txt.with_suffix(".xml")
            if xml.exists():
                paths.append(xml)
            if mapped.exists():
                paths.append(mapped)
            units.append(SourceUnit(key=f"{FOLDER}/{txt.name}", paths=tuple(paths)))
        return units

    def load(self, unit: SourceUnit) -> LoadedUnit:
        txt = next((p for p in unit.paths if p.suffix == ".txt"), None)
        if txt is None:
            raise SourceFormatError(f"{unit.key}: no .txt file in unit")
        setid = txt.stem
        source_id = f"fda:{setid}"
        xml = next((p for p in unit.paths if p.suffix == ".xml"), None)
        mapped = next((p for p in unit.paths if p.name == MAPPED_CSV), None)
        drugbank = _drugbank_table(mapped) if mapped else {}
        annotation = _parse_annotation(xml, source_id, drugbank) if xml else None
        lines = _clean_lines(_read_text(txt))
        title, names, body = _parse_header(lines)
        if annotation is not None:
            names += [n for n in (annotation.label_drug, annotation.generic) if n]
            title = title or annotation.title
        passages = _passages(source_id, _split_sections(body))
        if not passages:
            raise SourceFormatError(f"{txt.name}: no label text found")
        drugs = _drug_names(names)
        document = Document(
            source_id=source_id,
            source=self.name,
            kind=DocumentKind.DRUG_LABEL,
            organization=ORGANIZATION,
            title=title or f"FDA drug label {setid}",
            year=None,
            url=URL.format(setid=setid),
            licence=source_licence("fda-nlm").statement,
            terms=source_licence("fda-nlm").terms,
            drugs=drugs,
            metadata={
                "setid": setid,
                "annotated": annotation is not None,
                "unresolved_pairs": annotation.unresolved if annotation else 0,
                "drugbank_ids": sorted({i for d in drugs for i in drugbank.get(d, ())}),
            },
            passages=passages,
        )
        interactions = annotation.interactions if annotation else ()
        return LoadedUnit(documents=(document,), interactions=interactions)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path.name}: not UTF-8 text ({exc})") from exc


def _clean_lines(text: str) -> list[str]:
    """Strip export markup; list items become bullets so they read as separate points."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        is_item = line.startswith("<item>")
        line = _without_markup(line)
        if is_item and line:
            line = f"• {line}"
        lines.append(line)
    return lines


def _without_markup(text: str) -> str:
    """``text`` without the export's ``<item>`` / ``<paragraph>`` markup, spaces collapsed."""
    return re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()


def _annotation_sentence(text: str | None) -> str | None:
    """An annotated sentence as a reader sees it: its markup is dropped as the label text's is
    in :func:`_clean_lines`, or it would show inside an interaction alert's quote."""
    return (_without_markup(text) or None) if text is not None else None


def _parse_header(lines: list[str]) -> tuple[str | None, list[str], list[str]]:
    """Return (title, drug names, body lines); title is None when the file has no header line."""
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    if start == len(lines):
        return None, [], []
    first = lines[start]
    if match := _LABEL_HEADER.match(first):
        brand, generic = match["brand"].strip(), match["generic"].strip()
        return f"{brand} ({generic})", [brand, generic], lines[start + 1 :]
    heading = _classify(first)
    # A short capitalised first line looks like a sub-heading but is the product name.
    if (heading is not None and heading.level < 3) or len(first) > 150:
        return None, [], lines[start:]
    if match := _PAREN_HEADER.match(first):
        # A long line opening "LASIX (furosemide) is a potent diuretic…" is prose, not a header.
        if not re.search(r"\)\s+(is|are|combines|has)\b", first):
            return first, [match["brand"].strip(), match["generic"].strip()], lines[start + 1 :]
        return None, [match["brand"].strip(), match["generic"].strip()], lines[start:]
    if len(first.split()) <= 12:
        # Bare product line ("MOEXIPRIL HYDROCHLORIDE tablet, film coated"): the name is before the form.
        name = _DOSAGE_FORM.sub("", first).rstrip(".")
        return first.rstrip("."), [name], lines[start + 1 :]
    return None, [], lines[start:]


def _classify(line: str) -> _Heading | None:
    """Recognise a heading line; level 0 = top section, 1 = subsection, 2 = sub-subsection."""
    if not line or len(line) > 120 or line.startswith("•") or line[-1] in ".,;":
        return None
    if match := _NUMBERED.match(line):
        number = match["num"]
        if int(number.split(".")[0]) > 20 or line.endswith(":"):
            return None
        text = _readable(match["text"])
        return _Heading(level=number.count("."), text=f"{number} {text}", number=number)
    letters = [c for c in line if c.isalpha()]
    # Old-format labels nest a mixed-case "Drug Interactions" under PRECAUTIONS.
    mixed_sub = line.lower().startswith("drug interactions") and line.upper() != line
    if (_KNOWN_TOP.match(line) and not mixed_sub) or (len(letters) >= 4 and line.upper() == line and len(line) <= 80):
        text = re.sub(r"\s+section$", "", line.rstrip(":"), flags=re.IGNORECASE)
        # The export renders "Indications & Usage" as "INDICATIONS  -  USAGE SECTION".
        return _Heading(level=0, text=_readable(re.sub(r"\s+-\s+", " and ", text)), number=None)
    words = line.split()
    if len(words) <= 10 and line[0].isupper() and ":" not in line and not line.startswith("See "):
        # Short capitalised line with no closing punctuation: an unnumbered sub-heading.
        return _Heading(level=3, text=line, number=None)
    return None


def _readable(text: str) -> str:
    """Turn shouting headings ("WARNINGS AND PRECAUTIONS") into title case; keep mixed case."""
    if text.upper() != text:
        return text
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _split_sections(lines: list[str]) -> list[_Section]:
    """Group body lines under their heading path; text before any heading goes under "Label text"."""
    sections: list[_Section] = []
    stack: list[_Heading] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join(buffer).strip()
        if text:
            path = tuple(h.text for h in stack) or (UNHEADED,)
            number = next((h.number for h in reversed(stack) if h.number), None)
            sections.append(_Section(path=path, number=number, text=text))
        buffer.clear()

    for line in lines:
        heading = _classify(line)
        if heading is None:
            if line:
                buffer.append(line)
            continue
        flush()
        level = heading.level
        if level == 3:
            # Unnumbered sub-headings nest one below the deepest structural heading.
            structural = [h for h in stack if h.level < 3]
            stack = structural
        else:
            stack = [h for h in stack if h.level < level]
        stack.append(heading)
    flush()
    return sections


def _passages(source_id: str, sections: list[_Section]) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    for section in sections:
        append_chunks(passages, source_id, section.path, section.text, section_number=section.number)
    return tuple(passages)


def _drug_names(names: Iterable[str | None]) -> tuple[str, ...]:
    """Lower-case brand and generic names, each combination part, and salt-free forms."""
    found: list[str] = []
    for name in names:
        full = re.sub(r"\s+", " ", name or "").strip(" .,").lower()
        if not full or full == "missing":
            continue
        parts = [full, *re.split(r"\s*(?:,|/| and |-(?=[a-z]{4,}))\s*", full)]
        for part in parts:
            for candidate in (part.strip(" .,"), _strip_salt(part.strip(" .,"))):
                if re.search(r"[a-z]{3}", candidate) and candidate not in found:
                    found.append(candidate)
    return tuple(found)


def _strip_salt(name: str) -> str:
    """Drop trailing salt words ("losartan potassium" → "losartan"); keep names that are all salt."""
    words = name.split()
    while len(words) > 1 and words[-1] in _SALT_WORDS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Annotation:
    label_drug: str | None
    generic: str | None
    interactions: tuple[InteractionRecord, ...]
    unresolved: int

    @property
    def title(self) -> str | None:
        same = (self.label_drug or "").lower() == (self.generic or "").lower()
        if self.label_drug and self.generic and not same:
            return f"{self.label_drug} ({self.generic})"
        return self.label_drug or self.generic


def _parse_annotation(path: Path, source_id: str, drugbank: dict[str, tuple[str, ...]]) -> _Annotation:
    """Read label drug, generic and the positive (``ddi="true"``) pairs of one annotation file.

    A pair end is an entity of the document, the string ``labelDrug``, or an anaphora
    ("these agents") that we replace by its antecedent's text. Pairs whose ends resolve to
    none of these are counted in ``unresolved`` rather than failing the whole label.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise SourceFormatError(f"{path.name}: malformed XML ({exc})") from exc
    if root.tag != "document":
        raise SourceFormatError(f"{path.name}: root element is <{root.tag}>, expected <document>")
    label, generic = root.find("labelDrug"), root.find("generic")
    label_name = label.get("name") if label is not None else None
    entities = _entity_table(root)
    if label is not None:
        entities["labelDrug"] = (label_name or "", _entity_ids(label))
    records, unresolved = [], 0
    for sentence in root.iter("sentence"):
        for pair in sentence.findall("pair"):
            if pair.get("ddi") != "true":
                continue
            a, b = entities.get(pair.get("e1", "")), entities.get(pair.get("e2", ""))
            if a is None or b is None:
                unresolved += 1
                continue
            records.append(
                InteractionRecord(
                    list_name=LIST_NAME,
                    source_id=source_id,
                    drug_a=a[0],
                    drug_b=b[0],
                    interaction_type=pair.get("type"),
                    sentence=_annotation_sentence(sentence.get("text")),
                    drug_a_ids=a[1] + drugbank.get(a[0].lower(), ()),
                    drug_b_ids=b[1] + drugbank.get(b[0].lower(), ()),
                )
            )
    generic_name = generic.get("name") if generic is not None else None
    return _Annotation(label_name, generic_name, tuple(records), unresolved)


def _entity_table(root: ET.Element) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Entity id → (text, ids), with anaphora ids mapped to their antecedent."""
    table = {e.get("id", ""): (e.get("text", ""), _entity_ids(e)) for e in root.iter("entity") if e.get("text")}
    for relation in root.iter("anaphoraRelation"):
        anaphora, antecedent = relation.find("anaphoraEntity"), relation.find("antecedentEntity")
        if anaphora is None or antecedent is None or not antecedent.get("text"):
            continue
        known = table.get(antecedent.get("id", ""))
        table.setdefault(anaphora.get("id", ""), (antecedent.get("text", ""), known[1] if known else ()))
    return table


def _entity_ids(element: ET.Element) -> tuple[str, ...]:
    ids: list[str] = []
    for norm in element.iter():
        if norm.tag == "RxNorm" and norm.get("RxCui"):
            ids.append(f"RxCUI:{norm.get('RxCui')}")
        elif norm.tag == "mmtx" and norm.get("cui"):
            ids.append(f"UMLS:{norm.get('cui')}")
    return tuple(dict.fromkeys(ids))


def _drugbank_table(path: Path) -> dict[str, tuple[str, ...]]:
    """Name (lower-case) → DrugBank ids from ``NLMCorpus_Mapped.csv`` (``$``-separated)."""
    # Cached per file version: every label unit consults the same table.
    return _read_drugbank_table(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_drugbank_table(path: Path, _mtime_ns: int) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle, delimiter="$", quoting=csv.QUOTE_NONE):
                if len(row) < 8:
                    raise SourceFormatError(f"{path.name}: expected 8+ '$'-separated fields, got {row!r}")
                for name, db_id in ((row[0], row[2]), (row[3], row[5])):
                    if name.strip() and db_id.startswith("DB"):
                        ids = table.setdefault(name.strip().lower(), [])
                        if f"DrugBank:{db_id}" not in ids:
                            ids.append(f"DrugBank:{db_id}")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path.name}: not UTF-8 ({exc})") from exc
    return {name: tuple(ids) for name, ids in table.items()}
