"""Readers for the dev sets, each returning frozen items in file order (deterministic).

Formats (as shipped in the eval folder; see each README):

* LiveQA-Med 2017 training XML: ``<NLM-QUESTION>`` with ``<SUBJECT>``, ``<MESSAGE>``, optional
  ``<NIST-PARAPHRASE>`` (test-set style) and ``<SUB-QUESTION>``s whose ``<ANSWERS>/<ANSWER>``
  hold reference answers; test-set style ``<ReferenceAnswer>`` with ``<ANSWER>`` and
  ``<AnswerURL>`` is read too. The training files carry no ``AnswerURL``: reference URLs are
  then only the URLs written inside answer texts (few).
* K-QA jsonl: ``Question``, ``Must_have`` [str], ``Nice_to_have`` [str], ``Sources``.
* MedicationQA jsonl: ``Question``, ``Focus (Drug)``, ``Question Type``, ``URL``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from curbside.evaluation.common import require_file

_URL = re.compile(r"https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+", re.IGNORECASE)
LIVEQA_FILES = ("TREC-2017-LiveQA-Medical-Train-1.xml", "TREC-2017-LiveQA-Medical-Train-2.xml")


class DatasetFormatError(ValueError):
    """A dev-set line or element cannot be read; the message names the file and place."""


@dataclass(frozen=True, slots=True)
class LiveQaItem:
    """One LiveQA question: what we ask, the reference answers and their URLs."""

    qid: str
    question: str
    focus: tuple[str, ...]
    types: tuple[str, ...]
    answers: tuple[str, ...]
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KqaItem:
    question: str
    must_have: tuple[str, ...]
    nice_to_have: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MedicationQaItem:
    question: str
    focus: str
    question_type: str
    url: str


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _urls(texts: Iterable[str]) -> list[str]:
    return [m.group(0).rstrip(".,;:") for text in texts for m in _URL.finditer(text)]


def _liveqa_question(node: ET.Element, source: str, index: int) -> LiveQaItem | None:
    paraphrase = _text(node.find("NIST-PARAPHRASE"))
    subject, message = _text(node.find(".//SUBJECT")), _text(node.find(".//MESSAGE"))
    # The paraphrase (test sets) is the assessors' clean question; otherwise the consumer's own
    # subject line and message, as a user would type them.
    question = paraphrase or ". ".join(p for p in (subject, message) if p)
    if not question:
        return None
    answers = [_text(a) for a in node.iter("ANSWER") if _text(a)]
    declared = [_text(u) for u in node.iter("AnswerURL") if _text(u)]
    qid = node.get("questionid") or node.get("qid") or str(index)
    return LiveQaItem(
        qid=f"{source}:{qid}",
        question=question,
        focus=tuple(_text(f) for f in node.iter("FOCUS") if _text(f)),
        types=tuple(_text(t) for t in node.iter("TYPE") if _text(t)),
        answers=tuple(answers),
        urls=tuple(dict.fromkeys(declared + _urls(answers))),
    )


def read_liveqa(paths: Iterable[Path]) -> list[LiveQaItem]:
    """Every question of every file, files in the given order, questions in file order.

    Raises:
        DatasetFormatError: a file is not well-formed XML.
    """
    items: list[LiveQaItem] = []
    for path in paths:
        try:
            root = ET.parse(require_file(path)).getroot()
        except ET.ParseError as error:
            raise DatasetFormatError(f"{path}: not valid XML ({error})") from error
        source = "train1" if path.name.endswith("-1.xml") else "train2" if path.name.endswith("-2.xml") else path.stem
        for index, node in enumerate(root.iter("NLM-QUESTION")):
            item = _liveqa_question(node, source, index)
            if item is not None:
                items.append(item)
    return items


def liveqa_paths(data: Path) -> list[Path]:
    return [data / "liveqa-train" / name for name in LIVEQA_FILES]


def _jsonl(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    for number, line in enumerate(require_file(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetFormatError(f"{path}:{number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise DatasetFormatError(f"{path}:{number}: expected a JSON object")
        yield number, row


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(s for v in value if isinstance(v, str) and (s := " ".join(v.split())))


def read_kqa(path: Path) -> list[KqaItem]:
    """K-QA rows with a question and at least one must-have statement, in file order."""
    items = []
    for number, row in _jsonl(path):
        question = str(row.get("Question") or "").strip()
        if not question:
            raise DatasetFormatError(f"{path}:{number}: missing Question")
        must = _strings(row.get("Must_have"))
        if must:
            items.append(KqaItem(question, must, _strings(row.get("Nice_to_have"))))
    return items


def read_medicationqa_items(path: Path) -> list[MedicationQaItem]:
    """MedicationQA rows (question, focus drug, question type, answer URL), in file order."""
    items = []
    for number, row in _jsonl(path):
        question = str(row.get("Question") or "").strip()
        if not question:
            raise DatasetFormatError(f"{path}:{number}: missing Question")
        items.append(
            MedicationQaItem(
                question=question,
                focus=str(row.get("Focus (Drug)") or "").strip(),
                question_type=str(row.get("Question Type") or "").strip(),
                url=str(row.get("URL") or "").strip(),
            )
        )
    return items
