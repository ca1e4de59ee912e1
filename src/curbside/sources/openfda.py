"""openFDA drug label bulk JSON (``<corpus>/openfda/*.json`` or ``*.json.zip`` as distributed).

A file is ``{"meta": …, "results": [label, …]}``; each label has ``set_id``, ``id``,
``effective_time`` (``YYYYMMDD``), an ``openfda`` block (generic/brand names, EPC pharmacologic
classes, RxCUIs) and one list of strings per SPL section (``indications_and_usage``,
``boxed_warning``, …). One Document per label, one unit per file.

Section texts usually repeat their own number and title ("5 WARNINGS AND PRECAUTIONS 5.1 …"):
we keep that text as is (it reads naturally and carries the section numbers) and take the
heading from the field name, plus the leading section number when present.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from curbside.domain.documents import Document, DocumentKind, LoadedUnit, Passage
from curbside.sources.base import SourceFormatError, SourceUnit, append_chunks
from curbside.sources.licence_terms import source_licence

FOLDER = "openfda"
ORGANIZATION = "U.S. Food and Drug Administration (openFDA / DailyMed)"
URL = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={setid}"

# Sections we turn into passages, in reading order, with their human names. Fields not
# listed here (tables, package labels, spl ids) are left out of the passages on purpose.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("boxed_warning", "Boxed Warning"),
    ("indications_and_usage", "Indications and Usage"),
    ("dosage_and_administration", "Dosage and Administration"),
    ("dosage_forms_and_strengths", "Dosage Forms and Strengths"),
    ("contraindications", "Contraindications"),
    ("warnings_and_cautions", "Warnings and Precautions"),
    ("warnings", "Warnings"),
    ("precautions", "Precautions"),
    ("general_precautions", "General Precautions"),
    ("drug_interactions", "Drug Interactions"),
    ("adverse_reactions", "Adverse Reactions"),
    ("use_in_specific_populations", "Use in Specific Populations"),
    ("pregnancy", "Pregnancy"),
    ("nursing_mothers", "Nursing Mothers"),
    ("lactation", "Lactation"),
    ("pediatric_use", "Pediatric Use"),
    ("geriatric_use", "Geriatric Use"),
    ("overdosage", "Overdosage"),
    ("information_for_patients", "Information for Patients"),
    ("patient_counseling_information", "Patient Counseling Information"),
)
_LEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\s+(?=[A-Z])")


class OpenFdaLabelLoader:
    """Loads openFDA drug label files, one DRUG_LABEL Document per ``results[]`` item.

    Contract: ``discover`` yields one unit per ``openfda/*.json`` / ``*.json.zip`` (nothing when
    the folder is absent); ``load`` raises SourceFormatError naming the file when it is not
    JSON, has no ``results`` list, or a result lacks ``set_id``. Labels without any text
    section still load (with no passages) so their names remain searchable.
    """

    name = "openfda"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        folder = corpus_dir / FOLDER
        if not folder.is_dir():
            return []
        files = sorted(p for p in folder.iterdir() if p.name.endswith((".json", ".json.zip")))
        return [SourceUnit(key=f"{FOLDER}/{p.name}", paths=(p,)) for p in files]

    def load(self, unit: SourceUnit) -> LoadedUnit:
        path = unit.paths[0]
        results = _read_results(path)
        documents = []
        for index, result in enumerate(results):
            if not isinstance(result, dict) or not result.get("set_id"):
                raise SourceFormatError(f"{path.name}: results[{index}] has no set_id")
            documents.append(self._document(result))
        return LoadedUnit(documents=tuple(documents))

    def _document(self, result: dict[str, Any]) -> Document:
        setid = str(result["set_id"])
        source_id = f"openfda:{setid}"
        meta = result.get("openfda") or {}
        brands, generics = _strings(meta.get("brand_name")), _strings(meta.get("generic_name"))
        drugs = tuple(dict.fromkeys(n.lower() for n in (*brands, *generics)))
        return Document(
            source_id=source_id,
            source=self.name,
            kind=DocumentKind.DRUG_LABEL,
            organization=ORGANIZATION,
            title=_title(brands, generics, setid),
            year=_year(result.get("effective_time")),
            url=URL.format(setid=setid),
            licence=source_licence("openfda").statement,
            terms=source_licence("openfda").terms,
            drugs=drugs,
            metadata={
                "setid": setid,
                "spl_id": result.get("id"),
                "effective_time": result.get("effective_time"),
                "pharm_class_epc": _strings(meta.get("pharm_class_epc")),
                "rxcui": _strings(meta.get("rxcui")),
                "manufacturer": _strings(meta.get("manufacturer_name")),
            },
            passages=_passages(source_id, result),
        )


def _read_results(path: Path) -> list[Any]:
    """Parse a ``.json`` or the single JSON member of a ``.json.zip``; return ``results``."""
    try:
        if path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.endswith(".json")]
                if len(members) != 1:
                    raise SourceFormatError(f"{path.name}: expected one .json member, found {len(members)}")
                data = json.loads(archive.read(members[0]).decode("utf-8-sig"))
        else:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise SourceFormatError(f"{path.name}: not openFDA JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SourceFormatError(f"{path.name}: no 'results' list")
    return data["results"]


def _strings(value: Any) -> list[str]:
    """openFDA fields are lists of strings; tolerate a bare string or absence."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]


def _title(brands: list[str], generics: list[str], setid: str) -> str:
    if brands and generics and brands[0].lower() != generics[0].lower():
        return f"{brands[0]} ({generics[0].lower()})"
    if brands or generics:
        return (brands or generics)[0]
    return f"FDA drug label {setid}"


def _year(effective_time: Any) -> int | None:
    text = str(effective_time or "")
    return int(text[:4]) if re.fullmatch(r"\d{8}", text) else None


def _passages(source_id: str, result: dict[str, Any]) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    for field_name, heading in SECTIONS:
        for text in _strings(result.get(field_name)):
            match = _LEADING_NUMBER.match(text)
            number = match.group(1) if match else None
            path = (f"{number} {heading}" if number else heading,)
            append_chunks(passages, source_id, path, text, section_number=number)
    return tuple(passages)
