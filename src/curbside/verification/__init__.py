"""Verification stage: support and applicability of every statement against its citations."""

from curbside.applicability.checker import ApplicabilityChecker, ApplicabilityResult, ApplicabilitySettings
from curbside.verification.statements import ParsedStatement, split_statements
from curbside.verification.support import SupportResult, SupportScorer, SupportSettings
from curbside.verification.verifier import AuditReport, StatementCheck, Verifier, VerifierSettings

__all__ = [
    "ApplicabilityChecker",
    "ApplicabilityResult",
    "ApplicabilitySettings",
    "AuditReport",
    "ParsedStatement",
    "StatementCheck",
    "SupportResult",
    "SupportScorer",
    "SupportSettings",
    "Verifier",
    "VerifierSettings",
    "split_statements",
]
