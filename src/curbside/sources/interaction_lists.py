"""Drug–drug interaction lists under ``<corpus>/interactions/`` (one unit per list).

Each list yields ONE Document of kind INTERACTION_LIST (the citable provenance, with a
single descriptive passage) and its rows as InteractionRecords pointing at that document.
Facts below come from ``interactions/README.txt`` and ``World_Vista/AnnotatedForR01/README``.

* **ONC High-Priority** (Phansalkar et al., JAMIA 2012) — ``ONC_High_Priority_Mapped.csv``:
  ``$``-separated ``drug 1 $ DrugBank id $ drug 2 $ DrugBank id $``. The csv carries no
  severity or description; those live only in ``ONC High Priority List.xls``, which we
  cannot read because ``xlrd`` is not installed (and is not worth a dependency). Every
  pair on this list is "high priority" by the list's definition, so ``severity`` stays None.
* **ONC Non-interruptive** (Phansalkar et al., JAMIA 2013) — ``ONC_Non_Interuptive_Mapped.csv``
  (2,101 ``$``-separated drug/DrugBank pairs) is the record source; the ``_Formatted.csv``
  (1,961 comma rows: publication item id, class, drug, DrugBank id/URIs for each side) is
  a subset of those pairs and adds the class names and item id, which we put into
  ``description`` when the pair matches.
* **OSCAR drugref2** (Holbrook/Crowther interaction data) — ``drugref2-DDIs-from-OSCAR.csv``,
  tab-separated with a header. Codes are kept verbatim (``interaction_type`` = effect,
  ``severity`` = significance) and ``description`` spells them out as the README defines
  them: effect A = Augments, I = Inhibits, N = No Effect; significance 1 lowest … 3 highest;
  evidence P = Poor, F = Fair, G = Good; the free-text comment follows.
* **WorldVista / ANSM** — ``worldvista-combined-r01-65.tsv``: the English translation of
  the French ANSM interaction thesaurus restricted to the 69 drugs of the NLM R01. The file
  concatenates three query results, so it repeats its header row; repeated headers are skipped.
  ``severity`` is verbatim ("Take into account", "Precaution for use", …), ``description``
  is the risk description followed by the management comment.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from curbside.domain.documents import Document, DocumentKind, InteractionRecord, LoadedUnit, Passage
from curbside.sources.base import SourceFormatError, SourceUnit
from curbside.sources.licence_terms import source_licence

FOLDER = "interactions"

Parser = Callable[["_ListSpec", tuple[Path, ...]], list[InteractionRecord]]


@dataclass(frozen=True, slots=True)
class _ListSpec:
    """Static description of one list: where its files are and how to cite it."""

    key: str
    name: str
    files: tuple[str, ...]  # relative to interactions/; the first is required
    organization: str
    year: int | None
    url: str
    summary: str

    @property
    def source_id(self) -> str:
        return f"list:{self.key}"


class InteractionListLoader:
    """Loads the ONC High-Priority, ONC Non-interruptive, OSCAR and WorldVista lists.

    Contract: ``discover`` yields one unit per list whose main file exists (nothing when
    ``interactions/`` is absent); ``load`` returns that list's Document plus its records and
    raises SourceFormatError naming the file on a row with the wrong shape.
    """

    name = "interaction-lists"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        folder = corpus_dir / FOLDER
        units = []
        for spec in SPECS:
            paths = tuple(folder / f for f in spec.files if (folder / f).exists())
            if paths and paths[0] == folder / spec.files[0]:
                units.append(SourceUnit(key=f"{FOLDER}/{spec.key}", paths=paths))
        return units

    def load(self, unit: SourceUnit) -> LoadedUnit:
        key = unit.key.rsplit("/", 1)[-1]
        spec = next((s for s in SPECS if s.key == key), None)
        if spec is None:
            raise SourceFormatError(f"{unit.key}: unknown interaction list")
        records = _PARSERS[key](spec, unit.paths)
        if not records:
            raise SourceFormatError(f"{unit.paths[0].name}: no interaction rows found")
        return LoadedUnit(documents=(_list_document(spec, len(records)),), interactions=tuple(records))


def _list_document(spec: _ListSpec, count: int) -> Document:
    passage = Passage(passage_id=f"{spec.source_id}#0", heading_path=(spec.name,), text=spec.summary, ordinal=0)
    return Document(
        source_id=spec.source_id,
        source=InteractionListLoader.name,
        kind=DocumentKind.INTERACTION_LIST,
        organization=spec.organization,
        title=spec.name,
        year=spec.year,
        url=spec.url,
        licence=source_licence("interaction-lists").statement,
        terms=source_licence("interaction-lists").terms,
        metadata={"records": count},
        passages=(passage,),
    )


def _rows(path: Path, delimiter: str, width: int) -> list[list[str]]:
    """Read a delimited file (BOM and CR/CRLF tolerant); every non-blank row needs ``width`` fields."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE) if any(row)]
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path.name}: not UTF-8 ({exc})") from exc
    for number, row in enumerate(rows, start=1):
        if len(row) < width:
            raise SourceFormatError(f"{path.name}: row {number} has {len(row)} fields, expected {width}")
    return rows


def _ids(prefix: str, value: str) -> tuple[str, ...]:
    value = value.strip()
    return (f"{prefix}:{value}",) if value and value.upper() != "NULL" else ()


def _clean(value: str) -> str | None:
    value = " ".join(value.strip().strip('"').split())
    return value or None


def _parse_dollar_pairs(spec: _ListSpec, paths: tuple[Path, ...]) -> list[InteractionRecord]:
    """``drug $ DB id $ drug $ DB id $`` rows (both ONC lists)."""
    classes = _onc_classes(paths[1]) if len(paths) > 1 else {}
    records = []
    for row in _rows(paths[0], "$", 4):
        a, b = row[0].strip(), row[2].strip()
        records.append(
            InteractionRecord(
                list_name=spec.name,
                source_id=spec.source_id,
                drug_a=a,
                drug_b=b,
                description=classes.get(frozenset((a.lower(), b.lower()))),
                drug_a_ids=_ids("DrugBank", row[1]),
                drug_b_ids=_ids("DrugBank", row[3]),
            )
        )
    return records


def _onc_classes(path: Path) -> dict[frozenset[str], str]:
    """Pair of drug names (lower) → "Class pair: A / B (publication item N)" from the formatted csv."""
    table: dict[frozenset[str], str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not any(row):
                continue
            if len(row) < 9:
                raise SourceFormatError(f"{path.name}: row {number} has {len(row)} fields, expected 11")
            pair = frozenset((row[2].strip().lower(), row[7].strip().lower()))
            table[pair] = f"Class pair: {_clean(row[1])} / {_clean(row[6])} (publication item {row[0].strip()})"
    return table


_OSCAR_EFFECT = {"A": "Augments", "I": "Inhibits", "N": "No Effect"}
_OSCAR_EVIDENCE = {"P": "Poor", "F": "Fair", "G": "Good"}


def _parse_oscar(spec: _ListSpec, paths: tuple[Path, ...]) -> list[InteractionRecord]:
    """Tab-separated drugref2 export: id, affecting drug/ATC, affected drug/ATC, codes, comment."""
    rows = _rows(paths[0], "\t", 8)
    if rows[0][:2] != ["id", "affectingdrug"]:
        raise SourceFormatError(f"{paths[0].name}: missing the drugref2 header row")
    records = []
    for row in rows[1:]:
        effect, significance, evidence = (_clean(v) for v in row[5:8])
        parts = []
        if effect:
            parts.append(f"Effect: {effect} ({_OSCAR_EFFECT.get(effect, 'code not defined')})")
        if significance:
            parts.append(f"significance: {significance} (1 lowest – 3 highest)")
        if evidence:
            parts.append(f"evidence: {evidence} ({_OSCAR_EVIDENCE.get(evidence, 'code not defined')})")
        comment = _clean(row[8]) if len(row) > 8 else None
        description = ". ".join(p for p in ("; ".join(parts), comment) if p)
        records.append(
            InteractionRecord(
                list_name=spec.name,
                source_id=spec.source_id,
                drug_a=row[1].strip(),
                drug_b=row[3].strip(),
                severity=significance,
                description=description or None,
                interaction_type=effect,
                drug_a_ids=_ids("ATC", row[2]),
                drug_b_ids=_ids("ATC", row[4]),
            )
        )
    return records


def _parse_worldvista(spec: _ListSpec, paths: tuple[Path, ...]) -> list[InteractionRecord]:
    """Tab-separated WorldVista query output; repeated header rows (one per query) are skipped."""
    rows = _rows(paths[0], "\t", 7)
    records = []
    for row in rows:
        if row[0] == "Drug_Interaction_ID":
            continue
        description, comment = _clean(row[5]), _clean(row[7]) if len(row) > 7 else None
        text = " ".join(p if p.endswith(".") else f"{p}." for p in (description, comment) if p)
        records.append(
            InteractionRecord(
                list_name=spec.name,
                source_id=spec.source_id,
                drug_a=row[1].strip(),
                drug_b=row[3].strip(),
                severity=_clean(row[6]),
                description=text or None,
                drug_a_ids=_ids("RxCUI", row[2]),
                drug_b_ids=_ids("RxCUI", row[4]),
            )
        )
    return records


SPECS: tuple[_ListSpec, ...] = (
    _ListSpec(
        key="onc-high-priority",
        name="ONC High-Priority",
        files=("ONC-High-Priority/ONC_High_Priority_Mapped.csv",),
        organization="Phansalkar S, Desai AA, Bell D, et al. J Am Med Inform Assoc. 2012;19:735-43 (ONC)",
        year=2012,
        url="http://jamia.bmj.com/content/19/5/735.abstract",
        summary=(
            "High-priority drug-drug interactions for use in electronic health records (Phansalkar et al., "
            "J Am Med Inform Assoc 2012; doi:10.1136/amiajnl-2011-000612): interactions that should always "
            "alert prescribers. Class entries are expanded to individual drugs mapped to DrugBank."
        ),
    ),
    _ListSpec(
        key="onc-non-interruptive",
        name="ONC Non-interruptive",
        files=(
            "ONC-Non-Interuptive/ONC_Non_Interuptive_Mapped.csv",
            "ONC-Non-Interuptive/ONC_Non_Interuptive_List_Mapped_Formatted.csv",
        ),
        organization="Phansalkar S, van der Sijs H, Tucker AD, et al. J Am Med Inform Assoc. 2013;20(3):489-93",
        year=2013,
        url="https://pubmed.ncbi.nlm.nih.gov/23011124/",
        summary=(
            "Drug-drug interactions that should be non-interruptive in order to reduce alert fatigue in "
            "electronic health records (Phansalkar et al., J Am Med Inform Assoc 2013; "
            "doi:10.1136/amiajnl-2012-001089): real but low-priority interactions to show without interrupting."
        ),
    ),
    _ListSpec(
        key="oscar",
        name="OSCAR drugref2",
        files=("OSCAR/drugref2-DDIs-from-OSCAR.csv",),
        organization="OSCAR EMR drugref2 (Holbrook/Crowther interaction data, Can Fam Physician 1997)",
        year=2012,
        url="https://github.com/scoophealth/oscar/blob/master/release/drugref.sql",
        summary=(
            "Interaction table of the OSCAR EMR drug reference (drugref2, SQL dump dated 2012-09-18), based on "
            "Crowther NR, Holbrook AM, et al. Drug interactions among commonly used medications. Can Fam "
            "Physician 1997;43:1972. Effect, significance (1 lowest to 3 highest) and evidence codes per pair."
        ),
    ),
    _ListSpec(
        key="worldvista-ansm",
        name="WorldVista (ANSM thesaurus, English)",
        files=("World_Vista/AnnotatedForR01/worldvista-combined-r01-65.tsv",),
        organization="ANSM (French national drug agency) interaction thesaurus, English translation by WorldVista",
        year=2016,
        url="http://ansm.sante.fr/Dossiers/Interactions-medicamenteuses/Interactions-medicamenteuses/(offset)/0",
        summary=(
            "August 2016 WorldVista English translation of the French National Formulary (ANSM) drug-drug "
            "interaction thesaurus, restricted to 69 psychotropic, statin and anticoagulant drugs. Severity "
            "levels: Contraindication, Not recommended, Precaution for use, Take into account."
        ),
    ),
)

_PARSERS: dict[str, Parser] = {
    "onc-high-priority": _parse_dollar_pairs,
    "onc-non-interruptive": _parse_dollar_pairs,
    "oscar": _parse_oscar,
    "worldvista-ansm": _parse_worldvista,
}
