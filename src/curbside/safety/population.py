"""Pregnancy, pediatric and older-adult statements of the sources, for patients in that group.

Groups apply from ``UnderstoodQuestion``: pregnancy when ``pregnant`` is True; pediatric
for infant/child/adolescent; geriatric for older adults. Where to look:

* labels the answer cites, and labels of the drugs it mentions (at most
  ``LABELS_PER_DRUG`` each): the label's own section for the group (8.1 Pregnancy, 8.4
  Pediatric Use, 8.5 Geriatric Use, "Usage in Pregnancy", "Warning: Fetal Toxicity"), else
  its first passage with a sentence naming the group;
* other cited documents (guidelines, patient pages): only the cited passages' sentences.

One alert per group and document, quoting the source sentence(s). Severity is read from
the quoted text (contraindicated / fetal harm, avoid, should not → major / else moderate):
the label's words decide, never ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from curbside.domain.article import Alert, Article
from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.question import AgeGroup, UnderstoodQuestion
from curbside.safety import severity as sev
from curbside.safety.labels import LabelIndex
from curbside.safety.references import DocumentCache, ReferenceBook

LABELS_PER_DRUG = 2
MAX_QUOTE_CHARS = 400
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_CONTRAINDICATED = re.compile(r"(?<!not )\bcontraindicated\b", re.IGNORECASE)
_MAJOR = re.compile(
    r"\bfetal (harm|toxicity|injury|death)|\bcan cause (injury|death|fetal)|\bavoid\b|\bshould not\b|"
    r"\bnot recommended\b|\bdiscontinue\b|\bdeath\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Group:
    """A patient group: display name, section-heading pattern and sentence pattern."""

    name: str
    heading: re.Pattern[str]
    sentence: re.Pattern[str]


PREGNANCY = Group(
    "Pregnancy",
    re.compile(r"\bpregnan|\bfetal\b|\bteratogen|^8\.1\b", re.IGNORECASE),
    re.compile(r"\bpregnan\w*|\bfetus\b|\bfetal\b", re.IGNORECASE),
)
PEDIATRIC = Group(
    "Pediatric use",
    re.compile(r"\bpediatric|\bpaediatric|\bchildren\b|^8\.4\b", re.IGNORECASE),
    re.compile(r"\b(children|child|pediatric|paediatric|infants?|neonates?|adolescents?)\b", re.IGNORECASE),
)
GERIATRIC = Group(
    "Geriatric use",
    re.compile(r"\bgeriatric|\belderly\b|\bolder\b|^8\.5\b", re.IGNORECASE),
    re.compile(r"\b(elderly|geriatric|older (adults|patients|people)|aged 65|65 years)\b", re.IGNORECASE),
)


def groups_for(question: UnderstoodQuestion) -> list[Group]:
    """The groups the question's patient belongs to."""
    groups = [PREGNANCY] if question.pregnant else []
    if question.age_group in (AgeGroup.INFANT, AgeGroup.CHILD, AgeGroup.ADOLESCENT):
        groups.append(PEDIATRIC)
    if question.age_group is AgeGroup.OLDER_ADULT:
        groups.append(GERIATRIC)
    return groups


def population_alerts(
    article: Article,
    question: UnderstoodQuestion,
    mentioned: Iterable[str],
    labels: LabelIndex,
    documents: DocumentCache,
    book: ReferenceBook,
) -> list[Alert]:
    """Alerts for every group of the patient and every relevant source that addresses it."""
    groups = groups_for(question)
    if not groups:
        return []
    cited_passages: dict[str, set[str]] = {}
    for ref in article.references:
        cited_passages.setdefault(ref.source_id, set()).add(ref.passage_id)
    label_ids = [s for s, _ in cited_passages.items() if labels.names_of(s)]
    for name in mentioned:
        label_ids += list(labels.labels_for(name)[:LABELS_PER_DRUG])
    alerts: list[Alert] = []
    # Only drug labels: a label's pregnancy / pediatric / geriatric sections are warnings about
    # the drug; a guideline or patient page about the group is already the answer itself.
    for source_id in dict.fromkeys(label_ids):
        document = documents.get(source_id)
        if document is None or document.kind is not DocumentKind.DRUG_LABEL:
            continue
        whole = document.kind is DocumentKind.DRUG_LABEL
        passages = (
            document.passages if whole else [p for p in document.passages if p.passage_id in cited_passages[source_id]]
        )
        for group in groups:
            alert = _group_alert(group, document, passages, book, sections=whole)
            if alert is not None:
                alerts.append(alert)
    return alerts


def _group_alert(
    group: Group, document: Document, passages: Iterable[Passage], book: ReferenceBook, *, sections: bool
) -> Alert | None:
    """The group's section of the document (labels), else its first sentence naming the group."""
    passages = list(passages)
    chosen: tuple[Passage, str] | None = None
    if sections:
        for passage in passages:
            if any(group.heading.search(h) for h in passage.heading_path):
                chosen = (passage, _quote(passage.text, group, prefer_group=False))
                break
    if chosen is None:
        for passage in passages:
            if group.sentence.search(passage.text):
                chosen = (passage, _quote(passage.text, group, prefer_group=True))
                break
    if chosen is None:
        return None
    passage, quote = chosen
    level = (
        sev.CONTRAINDICATED if _CONTRAINDICATED.search(quote) else sev.MAJOR if _MAJOR.search(quote) else sev.MODERATE
    )
    return Alert(
        kind="population",
        severity=level,
        text=f"{group.name} — {document.title}: {quote}",
        citations=(book.cite_passage(document, passage),),
        action=None,
    )


def _quote(text: str, group: Group, *, prefer_group: bool) -> str:
    """Source sentences to show: those naming the group (or the section's opening), trimmed."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    picked = [s for s in sentences if group.sentence.search(s)] if prefer_group else []
    picked = picked or sentences[:2]
    quote = " ".join(picked[:2])
    return quote if len(quote) <= MAX_QUOTE_CHARS else quote[: MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
