"""Related questions match by concept, whatever the hyphenation."""

from __future__ import annotations

from collections.abc import Sequence

from curbside.domain.documents import Document, DocumentKind
from curbside.domain.question import ConditionMention, Intent, UnderstoodQuestion
from curbside.retrieval.related import RelatedQuestionFinder, concept_key


class TopicStore:
    """The two store calls the finder makes, over two patient pages."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.docs = [
            Document(
                "medquad:1",
                "medquad",
                DocumentKind.PATIENT_INFORMATION,
                "NIMH",
                "Post-Traumatic Stress Disorder",
                None,
                "u",
                "",
                metadata={"focus": "Post-Traumatic Stress Disorder", "cuis": ["C0038436"]},
            ),
            Document("medquad:2", "medquad", DocumentKind.PATIENT_INFORMATION, "NIMH", "Depression", None, "u", ""),
        ]

    def documents(self, kind: str | None = None) -> list[Document]:
        return self.docs

    def related_questions(self, topics: Sequence[str], limit: int) -> list[tuple[str, str]]:
        self.asked = list(topics)
        titles = {d.title.lower(): d.source_id for d in self.docs}
        return [(f"What is (are) {t} ?", titles[t.lower()]) for t in topics if t.lower() in titles][:limit]


def test_hyphenation_and_spacing_do_not_hide_a_topic() -> None:
    assert concept_key("posttraumatic stress disorder") == concept_key("Post-Traumatic Stress Disorder")
    store = TopicStore()
    finder = RelatedQuestionFinder(store)  # type: ignore[arg-type]
    asked = UnderstoodQuestion(
        "q", Intent.INFORMATION, conditions=(ConditionMention("posttraumatic stress disorder", "PTSD", "icd10"),)
    )
    assert finder.source_questions(asked, 5) == ["What is (are) Post-Traumatic Stress Disorder ?"]


def test_a_broader_topic_is_used_when_none_names_the_condition() -> None:
    finder = RelatedQuestionFinder(TopicStore())  # type: ignore[arg-type]
    asked = UnderstoodQuestion(
        "q", Intent.NEXT_STEP, conditions=(ConditionMention("major depression", "MDD", "icd10"),)
    )
    assert finder.source_questions(asked, 5) == ["What is (are) Depression ?"]
