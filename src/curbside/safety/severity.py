"""One table mapping every interaction source's own severity scale onto ours.

Our scale, most severe first: ``contraindicated > major > moderate > minor``. Each row
below cites what the source itself says (``interactions/README.txt``, the WorldVista
README, the list publications named in ``curbside.sources.interaction_lists``):

=============================  =============================================  ================
source (``list_name``)          source value                                   ours
=============================  =============================================  ================
ONC High-Priority               (no value; every pair is on the list)          major
                                record text says "contraindicated"             contraindicated
ONC Non-interruptive            (no value; every pair is on the list)          moderate
OSCAR drugref2                  significance 3 ("3 is highest value")          major
                                significance 2                                 moderate
                                significance 1 ("1 is the lowest")             minor
                                no significance                                minor
                                effect N ("No Effect")                         (no alert)
WorldVista / ANSM               Contraindication / CI / contre-indication      contraindicated
                                Not recommended / AD / association déconseillée  major
                                Precaution for use / PE / précaution d'emploi   moderate
                                Take into account / PC / à prendre en compte    minor
NLM DDI corpus (FDA label)      sentence says "contraindicated"               contraindicated
                                sentence says avoid / do not / should not      major
                                any annotated type (Specific_, Caution_,       moderate
                                Increase_, Decrease_Interaction, none)
=============================  =============================================  ================

Why these choices:

* ONC High-Priority — Phansalkar 2012 selected "high-severity" interactions "that should
  always alert prescribers" (list summary in the loader); the mapped csv carries no
  per-pair severity, so every pair is *major*, raised to *contraindicated* only when the
  record's own text says so.
* ONC Non-interruptive — Phansalkar 2013: "drug-drug interactions that should be
  non-interruptive in order to reduce alert fatigue" — real but low priority. We take the
  upper end (*moderate*, not minor) because the publication keeps them as clinically real
  interactions to display, and under-warning is the worse error here.
* OSCAR — README: "Significance 1 is the lowest and 3 is highest value"; effect "N" =
  "No Effect" is a documented *absence* of interaction, so it never alerts.
* WorldVista — README (French DDI Referrals): "CI (contre indiquee): Contraindicated;
  AD (association deconseillee): avoid if possible; PE (precaution d'emploi): precaution
  for use; PC (prendre en compte): take into account". The English file uses the
  translated words; both spellings are accepted.
* FDA labels — the NLM annotation types say *what kind* of statement it is, not how
  severe; the label sentence's own wording is the only severity evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from curbside.domain.documents import InteractionRecord

CONTRAINDICATED = "contraindicated"
MAJOR = "major"
MODERATE = "moderate"
MINOR = "minor"
EMERGENCY = "emergency"
INFO = "info"

#: Display order of alert severities (lower sorts first).
RANK: dict[str, int] = {EMERGENCY: 0, CONTRAINDICATED: 1, MAJOR: 2, MODERATE: 3, MINOR: 4, INFO: 5}

ONC_HIGH = "ONC High-Priority"
ONC_NON_INTERRUPTIVE = "ONC Non-interruptive"
OSCAR = "OSCAR drugref2"
WORLDVISTA = "WorldVista (ANSM thesaurus, English)"
FDA_LABEL = "NLM DDI corpus (FDA label annotation)"

_OSCAR_SIGNIFICANCE = {"3": MAJOR, "2": MODERATE, "1": MINOR}
_WORLDVISTA = {
    "contraindication": CONTRAINDICATED,
    "contraindicated": CONTRAINDICATED,
    "ci": CONTRAINDICATED,
    "contre indication": CONTRAINDICATED,
    "contre indiquee": CONTRAINDICATED,
    "not recommended": MAJOR,
    "ad": MAJOR,
    "association deconseillee": MAJOR,
    "precaution for use": MODERATE,
    "pe": MODERATE,
    "precaution d emploi": MODERATE,
    "take into account": MINOR,
    "pc": MINOR,
    "a prendre en compte": MINOR,
    "prendre en compte": MINOR,
}
# "not contraindicated" must not read as contraindicated.
_CONTRAINDICATED_TEXT = re.compile(r"(?<!not )\bcontraindicat(ed|ion)\b", re.IGNORECASE)
_AVOID_TEXT = re.compile(
    r"\b(avoid|do not (use|administer|coadminister|take)|should not be (used|given|administered|co-?administered)|"
    r"not recommended)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SeverityReading:
    """A record's severity on our scale, with the source's own value for display.

    ``level`` is None when the record documents the *absence* of an interaction.
    """

    level: str | None
    source_value: str


def _fold(text: str) -> str:
    """Accent-free, lower-case, punctuation-free key ("Précaution d'emploi" → "precaution d emploi")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def _from_text(text: str | None, default: str) -> str:
    if text and _CONTRAINDICATED_TEXT.search(text):
        return CONTRAINDICATED
    if text and _AVOID_TEXT.search(text) and default != MAJOR:
        return MAJOR
    return default


def read_severity(record: InteractionRecord) -> SeverityReading:
    """Map one record to our scale following the module table; unknown lists default to moderate."""
    name = record.list_name
    if name == ONC_HIGH:
        return SeverityReading(_from_text(record.description, MAJOR), "high-priority")
    if name == ONC_NON_INTERRUPTIVE:
        return SeverityReading(MODERATE, "non-interruptive")
    if name == OSCAR:
        if (record.interaction_type or "").strip().upper() == "N":
            return SeverityReading(None, "no effect")
        value = (record.severity or "").strip()
        return SeverityReading(_OSCAR_SIGNIFICANCE.get(value, MINOR), f"significance {value or 'not given'}")
    if name == WORLDVISTA:
        value = record.severity or ""
        return SeverityReading(_WORLDVISTA.get(_fold(value), MODERATE), value.strip() or "not given")
    if name == FDA_LABEL:
        return SeverityReading(_from_text(record.sentence, MODERATE), record.interaction_type or "label statement")
    # An unknown list still alerts: a missed warning is worse than an unranked one.
    return SeverityReading(_from_text(record.description or record.sentence, MODERATE), record.severity or "")


def most_severe(levels: list[str]) -> str:
    """The most severe of ``levels`` by ``RANK`` (``info`` when empty)."""
    return min(levels, key=lambda level: RANK.get(level, len(RANK)), default=INFO)


def short_source_name(list_name: str) -> str:
    """Compact list name for alert text ("WorldVista (ANSM thesaurus, English)" → "WorldVista/ANSM")."""
    return {
        ONC_HIGH: "ONC high-priority",
        ONC_NON_INTERRUPTIVE: "ONC non-interruptive",
        OSCAR: "OSCAR",
        WORLDVISTA: "WorldVista/ANSM",
        FDA_LABEL: "FDA label",
    }.get(list_name, list_name)


def read_text_severity(text: str, default: str = MODERATE) -> str:
    """Severity a source sentence states by its own words (contraindicated / avoid), else ``default``."""
    return _from_text(text, default)
