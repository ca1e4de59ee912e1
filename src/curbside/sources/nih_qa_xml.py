"""Loader for MedQuAD, the NIH question–answer collection.

Layout: ``<corpus>/medquad/<N_Subset>/*.xml``, one topic per file. One file is one unit
and yields one PATIENT_INFORMATION document; every *answered* question–answer pair
becomes one or more passages (pairs with an empty answer — MedQuAD removed answers
for copyright reasons in some subsets — are skipped).

Two schemas occur. Almost all files use ``<Document id source url><Focus>
<FocusAnnotations><UMLS>…<QAPairs><QAPair><Question qid qtype><Answer>``; four NINDS
files use a lower-case variant ``<doc docid corpus url><doctitle-focus><umls>
<qaPairs><pair><question><answer>``, and one CDC file has the root ``<DiseaseFile fid
source url>``. All are read the same way.

Document ids are *not* unique — across subsets, and even within CancerGov, where
``0000013_2.xml`` … ``0000013_2_6.xml`` all carry id "0000013_2" for different foci —
so the source id is built from the subset folder and file name instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from curbside.domain.documents import Document, DocumentKind, LoadedUnit, Passage
from curbside.sources.base import SourceFormatError, SourceUnit, append_chunks
from curbside.sources.licence_terms import source_licence

SUBDIR = "medquad"

# The institute behind each `source` attribute value (and the variant schema's `corpus`).
ORGANIZATIONS = {
    "CancerGov": "National Cancer Institute",
    "GARD": "Genetic and Rare Diseases Information Center (NCATS)",
    "GHR": "Genetics Home Reference (NLM)",
    "MPlusHealthTopics": "MedlinePlus (NLM)",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
    "NIHSeniorHealth": "NIHSeniorHealth (NIA/NLM)",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "CDC": "Centers for Disease Control and Prevention",
}

_SPACE = re.compile(r"\s+")


class MedQuadLoader:
    """Loads MedQuAD XML files; one unit (and one document) per file."""

    name = "medquad"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        """Units ``medquad/<subset>/<file>.xml`` in path order; empty if the folder is absent."""
        root = corpus_dir / SUBDIR
        if not root.is_dir():
            return []
        return [
            SourceUnit(f"{SUBDIR}/{path.parent.name}/{path.name}", (path,)) for path in sorted(root.glob("*/*.xml"))
        ]

    def load(self, unit: SourceUnit) -> LoadedUnit:
        """Parse one file into one document; raises SourceFormatError naming the file.

        A file with no answered pair still yields its document (with no passages), so
        the document count matches the files; it simply offers nothing to cite.
        """
        path = unit.paths[0]
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            raise SourceFormatError(f"{path.parent.name}/{path.name}: malformed XML ({error})") from error
        if root.tag not in ("Document", "doc", "DiseaseFile"):
            raise SourceFormatError(f"{path.parent.name}/{path.name}: unexpected root <{root.tag}>")
        return LoadedUnit(documents=(_build_document(root, path),))


def _clean(text: str | None) -> str:
    """Collapse the source's irregular runs of spaces, tabs and newlines."""
    return _SPACE.sub(" ", text or "").strip()


def _children(root: ET.Element, *paths: str) -> list[ET.Element]:
    """Elements found under the first of ``paths`` that matches anything (schema variants)."""
    for path in paths:
        found = root.findall(path)
        if found:
            return found
    return []


def _texts(root: ET.Element, *paths: str) -> list[str]:
    return list(dict.fromkeys(t for t in (_clean(e.text) for e in _children(root, *paths)) if t))


def _build_document(root: ET.Element, path: Path) -> Document:
    subset = path.parent.name
    source_id = f"medquad:{subset}/{path.stem}"
    source = root.get("source") or root.get("corpus") or ""
    organization = ORGANIZATIONS.get(source)
    if organization is None:
        raise SourceFormatError(f"{subset}/{path.name}: unknown MedQuAD source {source!r}")
    focus = _clean(root.findtext("Focus") or root.findtext("doctitle-focus"))
    passages, question_ids = _passages(root, source_id, focus)
    metadata = _metadata(root, subset, focus, source, root.get("id") or root.get("docid") or root.get("fid") or "")
    # Passages have no field for MedQuAD's question id; keep the answered ones here so
    # every pair stays traceable (question texts repeat within a file, ids do not).
    metadata["answered_question_ids"] = question_ids
    # The focus is the topic of the whole page; when the annotation (or MedlinePlus'
    # own category) says it is a disorder, it is also a condition the document is about.
    is_disorder = metadata["semantic_group"] == "Disorders" or metadata.get("category") == "Disease"
    # A few CDC files have an empty focus: fall back to the first question as the title.
    title = focus or (passages[0].question if passages and passages[0].question else path.stem)
    return Document(
        source_id=source_id,
        source=MedQuadLoader.name,
        kind=DocumentKind.PATIENT_INFORMATION,
        organization=organization,
        title=title,
        year=None,  # MedQuAD records no page dates
        url=_clean(root.get("url")),
        licence=source_licence("medquad").statement,
        terms=source_licence("medquad").terms,
        conditions=(focus.lower(),) if focus and is_disorder else (),
        metadata=metadata,
        passages=passages,
    )


def _metadata(root: ET.Element, subset: str, focus: str, source: str, document_id: str) -> dict[str, Any]:
    """UMLS annotations, synonyms and provenance; JSON-serialisable."""
    metadata: dict[str, Any] = {
        "focus": focus,
        "cuis": _texts(root, ".//UMLS/CUIs/CUI", ".//UMLS/CUI", "umls/cui"),
        "semantic_types": _texts(
            root, ".//UMLS/SemanticTypes/SemanticType", ".//UMLS/SemanticType", "umls/semanticType"
        ),
        "semantic_group": next(iter(_texts(root, ".//UMLS/SemanticGroup", "umls/semanticGroup")), None),
        "synonyms": _texts(root, ".//Synonyms/Synonym"),
        "subset": subset,
        "medquad_source": source,
        "medquad_id": document_id,
    }
    category = _texts(root, ".//FocusAnnotations/Category")
    if category:
        metadata["category"] = category[0]
    return metadata


def _passages(root: ET.Element, source_id: str, focus: str) -> tuple[tuple[Passage, ...], list[str]]:
    """One or more passages per answered pair, in file order, ordinals counting from 0,
    and the question ids (``qid``) of the answered pairs in the same order."""
    passages: list[Passage] = []
    question_ids: list[str] = []
    for pair in _children(root, "QAPairs/QAPair", "qaPairs/pair"):
        question_element = pair.find("Question")
        if question_element is None:
            question_element = pair.find("question")
        answer = _clean(pair.findtext("Answer") or pair.findtext("answer"))
        if question_element is None or not answer:
            continue
        question = _clean(question_element.text)
        qtype = question_element.get("qtype")
        question_ids.append(question_element.get("qid") or f"pair-{pair.get('pid')}")
        heading = tuple(part for part in (focus, question) if part)
        append_chunks(passages, source_id, heading, answer, question=question or None, question_type=qtype)
    return tuple(passages), question_ids
