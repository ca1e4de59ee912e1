"""Applicability, in one neutral home: does a source apply to the question asked?

Two callers, one module family: retrieval ranks and filters candidates with ``ranking.assess``
(metadata-first, cheap); the verifier re-checks every cited statement with
``checker.ApplicabilityChecker`` (adds embeddings and audit-mode profiles). Both read
population scope from ``population`` (a versioned data table). Neither stage imports the other.
"""

from curbside.applicability.checker import (
    ApplicabilityChecker,
    ApplicabilityResult,
    ApplicabilitySettings,
    SourceProfile,
    profile_from_document,
    profile_from_text,
)
from curbside.applicability.ranking import assess, core_name, drug_terms, names_match, topic_tokens

__all__ = [
    "ApplicabilityChecker",
    "ApplicabilityResult",
    "ApplicabilitySettings",
    "SourceProfile",
    "assess",
    "core_name",
    "drug_terms",
    "names_match",
    "profile_from_document",
    "profile_from_text",
    "topic_tokens",
]
