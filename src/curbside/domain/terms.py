"""Licence classes and use terms a document carries, and the policy choosing what may be used.

Loaders derive the terms from each source's own statements (see
``curbside/sources/data/licence_terms.json``); the store persists them with the document;
ingest and retrieval consult a ``SourceTermsPolicy`` and the LLM composer consults
``UseTerms.no_generative_ai`` before any passage leaves the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LicenceClass(StrEnum):
    """How freely a document may be reused, as its source states it."""

    PUBLIC_DOMAIN = "public-domain"
    CC_BY = "cc-by"
    #: NGC: "No copyright restrictions apply."
    NO_RESTRICTIONS = "no-restrictions"
    #: NGC: the summary is based on a guideline subject to its developer's copyright restrictions.
    DEVELOPER_COPYRIGHT = "developer-copyright"
    #: NGC: the developer states its own terms (the statement text is kept with the document).
    DEVELOPER_TERMS = "developer-terms"
    NO_LICENCE_STATED = "no-licence-stated"
    #: A user's own document whose licence the user did not state.
    USER_SUPPLIED = "user-supplied"


#: Classes the ``open`` policy admits: public domain (or stated to carry no restrictions) and CC BY.
OPEN_CLASSES = frozenset({LicenceClass.PUBLIC_DOMAIN, LicenceClass.NO_RESTRICTIONS, LicenceClass.CC_BY})


@dataclass(frozen=True, slots=True)
class UseTerms:
    """What a document's licence or copyright statement allows.

    Attributes:
        licence_class: the class the statement falls in.
        attribution_required: reuse must credit the source.
        non_commercial: reuse only for non-commercial purposes.
        no_derivatives: only verbatim reuse (no adaptations).
        no_generative_ai: the text must not be given to a generative-AI model (LLM).
    """

    licence_class: LicenceClass = LicenceClass.NO_LICENCE_STATED
    attribution_required: bool = False
    non_commercial: bool = False
    no_derivatives: bool = False
    no_generative_ai: bool = False

    @property
    def is_open(self) -> bool:
        return self.licence_class in OPEN_CLASSES

    def flags(self) -> tuple[str, ...]:
        """The restrictions that apply, as short labels ("attribution", "no generative AI", …)."""
        labels = (
            (self.attribution_required, "attribution"),
            (self.non_commercial, "non-commercial"),
            (self.no_derivatives, "no derivatives"),
            (self.no_generative_ai, "no generative AI"),
        )
        return tuple(label for present, label in labels if present)

    def to_json(self) -> dict[str, object]:
        return {
            "licence_class": self.licence_class.value,
            "attribution_required": self.attribution_required,
            "non_commercial": self.non_commercial,
            "no_derivatives": self.no_derivatives,
            "no_generative_ai": self.no_generative_ai,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UseTerms:
        """Inverse of ``to_json``; missing keys take the defaults (unknown terms are not open)."""
        raw_class = str(data.get("licence_class") or LicenceClass.NO_LICENCE_STATED.value)
        return cls(
            licence_class=LicenceClass(raw_class),
            attribution_required=bool(data.get("attribution_required")),
            non_commercial=bool(data.get("non_commercial")),
            no_derivatives=bool(data.get("no_derivatives")),
            no_generative_ai=bool(data.get("no_generative_ai")),
        )


class SourceTermsPolicy(StrEnum):
    """``CURBSIDE_SOURCE_TERMS``: which documents may be ingested and served."""

    ALL = "all"
    OPEN = "open"

    @classmethod
    def parse(cls, value: str) -> SourceTermsPolicy:
        """The policy named by ``value``; ValueError naming the allowed values otherwise."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(member.value for member in cls)
            raise ValueError(f"CURBSIDE_SOURCE_TERMS must be one of {allowed}, not {value!r}") from None

    def permits(self, terms: UseTerms) -> bool:
        return self is SourceTermsPolicy.ALL or terms.is_open

    def permits_class(self, licence_class: str) -> bool:
        return self is SourceTermsPolicy.ALL or licence_class in {c.value for c in OPEN_CLASSES}

    def allowed_classes(self) -> tuple[str, ...]:
        """Licence classes this policy admits (empty: no restriction)."""
        return () if self is SourceTermsPolicy.ALL else tuple(sorted(c.value for c in OPEN_CLASSES))
