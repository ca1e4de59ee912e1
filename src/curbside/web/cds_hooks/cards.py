"""Curbside safety findings as CDS Hooks cards.

Indicator mapping (Curbside severity → CDS Hooks ``indicator``):

=================================  ==========
Curbside severity                   indicator
=================================  ==========
emergency, contraindicated          critical
major, moderate                     warning
minor, info                         info
=================================  ==========

"critical" is kept for what the sources call contraindicated (or an emergency), so the
EHR's interruptive display is reserved for it; the source's own wording stays in the
detail. Card text is built only from the finding: the alert text (the sources' words),
the quoted passages it cites, and the references. A finding citing nothing is not shown:
a card must name its source.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from urllib.parse import urlencode

from curbside.domain.article import Reference
from curbside.medication_check import MedicationFinding
from curbside.web.cds_hooks.models import Card, Coding, Link, Source

INDICATORS = {
    "emergency": "critical",
    "contraindicated": "critical",
    "major": "warning",
    "moderate": "warning",
    "minor": "info",
    "info": "info",
}
MAX_SUMMARY = 139
MAX_QUOTE = 600
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
#: Why a prescriber may go ahead anyway: workflow reasons, not clinical claims.
OVERRIDE_REASONS = (
    ("benefit-outweighs-risk", "Benefit outweighs the risk for this patient"),
    ("will-monitor", "Will monitor the patient"),
    ("already-aware", "Already aware; combination reviewed before"),
    ("not-applicable", "Does not apply to this patient"),
)
_QUESTION_BY_KIND = {
    "interaction": "Can {a} be taken together with {b}?",
    "dose": "What is the dose of {a}?",
    "population": "Is {a} safe for this patient group?",
}

#: Population alerts open with the safety stage's group name ("Pregnancy — …").
_POPULATION_QUESTIONS = (
    ("Pregnancy", "Is {a} safe in pregnancy?"),
    ("Pediatric use", "Is {a} safe for children?"),
    ("Geriatric use", "Is {a} safe for older adults?"),
)


def indicator_for(severity: str) -> str:
    return INDICATORS.get(severity, "info")


def build_card(finding: MedicationFinding, base_url: str) -> Card | None:
    """The card for one finding; None when it cites no source."""
    if not finding.references:
        return None
    alert = finding.alert
    severity = indicator_for(alert.severity)
    return Card(
        uuid=str(uuid.uuid4()),
        summary=summarise(alert.text),
        indicator=severity,  # type: ignore[arg-type]
        source=_source(finding.references[0]),
        detail=detail_markdown(finding),
        links=(_article_link(finding, base_url),),
        overrideReasons=_override_reasons(base_url) if severity != "info" else None,
    )


def summarise(text: str) -> str:
    """The alert's first sentence, cut at a word under 140 characters."""
    first = text.split(". ", 1)[0].strip().rstrip(".")
    if len(first) <= MAX_SUMMARY:
        return first
    return first[: MAX_SUMMARY - 1].rsplit(" ", 1)[0].rstrip(",;:—- ") + "…"


def detail_markdown(finding: MedicationFinding) -> str:
    """The alert, what the source says to do, each quoted source sentence and the references."""
    alert = finding.alert
    lines = [_escape(alert.text) + " " + "".join(f"[{r.n}]" for r in finding.references)]
    if alert.action:
        lines += ["", f"**What the source says to do:** {_escape(alert.action)}"]
    for ref in finding.references:
        lines += ["", f"> {_escape(quote_for(ref.quote, finding.drugs))} [{ref.n}]"]
    lines += ["", "**References**", ""]
    lines += [f"{ref.n}. {_reference(ref)}" for ref in finding.references]
    return "\n".join(lines)


def quote_for(passage: str, drugs: Sequence[str]) -> str:
    """The cited passage's sentences naming the card's drugs (a long label section mostly
    discusses other drugs), else the whole passage; at most MAX_QUOTE characters."""
    sentences = [s.strip() for s in _SENTENCE.split(passage) if s.strip()]
    named = [(s, sum(bool(re.search(rf"\b{re.escape(d)}\b", s, re.IGNORECASE)) for d in drugs)) for s in sentences]
    most = max((n for _, n in named), default=0)
    # Sentences naming the most of the card's drugs: for a pair, those naming both.
    quote = " ".join([s for s, n in named if n == most] if most else sentences)
    return quote if len(quote) <= MAX_QUOTE else quote[: MAX_QUOTE - 1].rsplit(" ", 1)[0] + "…"


def _reference(ref: Reference) -> str:
    year = f" ({ref.year})" if ref.year else ""
    section = f", {ref.section}" if ref.section else ""
    link = f" <{ref.url}>" if ref.url.startswith(("http://", "https://")) else ""
    return f"{_escape(ref.organization)}. *{_escape(ref.title)}*{year}{section}.{link}"


def _escape(text: str) -> str:
    # Source text is shown as text: no HTML, no accidental Markdown links or headings.
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def _source(ref: Reference) -> Source:
    label = f"{ref.organization}: {ref.title}" if ref.organization else ref.title
    url = ref.url if ref.url.startswith(("http://", "https://")) else None
    return Source(label=label[:200], url=url)


def article_question(finding: MedicationFinding) -> str:
    drugs: Sequence[str] = finding.drugs or ("this medication",)
    template = _QUESTION_BY_KIND.get(finding.alert.kind, "What should I know about {a}?")
    group = next((q for prefix, q in _POPULATION_QUESTIONS if finding.alert.text.startswith(prefix)), None)
    if finding.alert.kind == "population" and group:
        template = group
    if finding.alert.kind == "interaction" and len(drugs) < 2:
        template = "What interactions does {a} have?"
    return template.format(a=drugs[0], b=drugs[1] if len(drugs) > 1 else "")


def _article_link(finding: MedicationFinding, base_url: str) -> Link:
    question = article_question(finding)
    url = f"{base_url}/ask?{urlencode({'q': question, 'audience': 'clinician'})}"
    return Link(label=f"Full Curbside article: {question}"[:200], url=url, type="absolute")


def _override_reasons(base_url: str) -> tuple[Coding, ...]:
    system = f"{base_url}/cds-services/override-reasons"
    return tuple(Coding(code=code, system=system, display=display) for code, display in OVERRIDE_REASONS)
