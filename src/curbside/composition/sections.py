"""Which section a cited statement belongs in, and the section layout for each intent.

Section roles are decided from the *source's own structure* first (a label's Dosage and
Administration section, a MedQuAD answer's question type, a guideline's Potential Harms)
and then from the statement's wording ("do not", "monitor"). Headings are product text.
"""

from __future__ import annotations

import re

from curbside.domain.documents import DocumentKind, PassageRecord
from curbside.domain.question import Intent

# Section roles in display order for each intent; the first role is the bottom line's pool.
LAYOUTS: dict[Intent, tuple[str, ...]] = {
    Intent.NEXT_STEP: ("options", "rationale", "dosing", "education", "safety", "avoid", "monitoring", "background"),
    Intent.TREATMENT: ("options", "rationale", "dosing", "education", "safety", "avoid", "monitoring", "background"),
    Intent.DOSING: ("dosing", "safety", "avoid", "monitoring", "background"),
    Intent.INTERACTION: ("interaction", "management", "safety", "background"),
    Intent.ADVERSE_EFFECTS: ("adverse", "safety", "avoid", "monitoring", "background"),
    Intent.CONTRAINDICATION: ("avoid", "safety", "background"),
    Intent.SCREENING: ("who", "how", "harms", "background"),
    Intent.DIAGNOSIS: ("diagnosis", "symptoms", "background"),
    Intent.CAUSES: ("causes", "genetics", "background"),
    Intent.PROGNOSIS: ("outlook", "options", "background"),
    Intent.INFORMATION: ("overview", "symptoms", "causes", "options", "background"),
}

HEADINGS: dict[str, str] = {
    "options": "Options with evidence",
    "rationale": "Rationale",
    "education": "Patient education",
    "dosing": "Dosing",
    "safety": "Safety",
    "avoid": "What not to do",
    "monitoring": "Monitoring and follow-up",
    "interaction": "The interaction",
    "management": "Management",
    "adverse": "Adverse effects",
    "who": "Who should be screened",
    "how": "How and how often",
    "harms": "Benefits and harms",
    "diagnosis": "Diagnosis and tests",
    "symptoms": "Signs and symptoms",
    "causes": "Causes",
    "genetics": "Genetics and inheritance",
    "outlook": "Outlook",
    "overview": "Overview",
    "background": "Background",
}

# MedQuAD question types → role (the source's own labels).
QUESTION_TYPE_ROLES = {
    "treatment": "options",
    "information": "overview",
    "symptoms": "symptoms",
    "causes": "causes",
    "inheritance": "genetics",
    "genetic changes": "genetics",
    "exams and tests": "diagnosis",
    "outlook": "outlook",
    "prevention": "how",
    "frequency": "overview",
    "susceptibility": "causes",
    "complications": "outlook",
    "stages": "overview",
    "considerations": "background",
    "research": "background",
    "support groups": "background",
}
# Label / guideline section words → role.
SECTION_ROLES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), role)
    for pattern, role in (
        (r"dosage|administration|dosing", "dosing"),
        (r"contraindication", "avoid"),
        (r"drug interactions?", "interaction"),
        (r"warning|precaution|boxed", "safety"),
        (r"adverse reaction|side effect", "adverse"),
        (r"pregnan|lactation|pediatric use|geriatric use|specific populations", "safety"),
        (r"potential harms|potential benefits", "harms"),
        (r"target population", "who"),
        (r"indications?", "options"),
    )
)
# "Do not …" forbids only as an imperative (a sentence's or clause's first words, or after
# "that"); after a subject it describes ("if symptoms do not lessen", "SSRIs do not share …").
_AVOID = re.compile(
    r"(?:(?:^|(?<=[.;:!?] )|(?<=\bthat ))(?:do not|don't)|\b(?:should not|not recommended|recommends? against|"
    r"against the|avoid|contraindicated|insufficient evidence))\b(?! (?:improve|respond|responded|benefit|tolerate)\b)",
    re.I,
)
# Guidelines label the reasoning inside their recommendation text ("Benefit-Harms Assessment: …").
_RATIONALE_LEAD = re.compile(r"^\W*(?:benefit[- ]harms? assessment|rationale|supporting evidence)\b", re.I)
_RATIONALE = re.compile(r"potential benefits|rationale|evidence supporting|benefits of implementation", re.I)
_MONITOR = re.compile(r"\b(monitor|monitoring|follow-up|follow up|reassess|re-evaluate|measure)\w*", re.I)
DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|g|ml|units?)\b|\b(?:once|twice|three times) (?:a |per )?da(?:y|ily)\b", re.I
)
_DOSING_ROW = re.compile(r"\broutes? and dosage|\bdosage ranges?\b|\bdrug dosage\b", re.I)
_INTERVAL = re.compile(r"\bevery \d+|\b(?:annual|yearly|interval)", re.I)


def role_of(record: PassageRecord, sentence: str, intent: Intent, recommendation: bool) -> str:
    """The section role for one statement (see module docstring for the order of evidence)."""
    if _AVOID.search(sentence):
        return _fit("avoid", intent)
    if _MONITOR.search(sentence) and intent in (Intent.TREATMENT, Intent.NEXT_STEP, Intent.DOSING):
        return "monitoring"
    passage = record.passage
    if intent in (Intent.TREATMENT, Intent.NEXT_STEP):
        if _RATIONALE_LEAD.match(sentence):
            return "rationale"
        # What patient pages say is what a patient is told; a guideline's benefits and evidence
        # fields are why it recommends what it does.
        if record.document.kind == DocumentKind.PATIENT_INFORMATION:
            return "education"
        if _RATIONALE.search(passage.section):
            return "rationale"
    if passage.question_type:
        role = QUESTION_TYPE_ROLES.get(passage.question_type.lower(), "background")
        return _fit(role, intent)
    for pattern, role in SECTION_ROLES:
        if pattern.search(passage.section):
            return _fit(role, intent)
    if recommendation:
        if intent == Intent.SCREENING:
            return "how" if _INTERVAL.search(sentence) else "who"
        return "dosing" if DOSE.search(sentence) else _fit("options", intent)
    # A textbook's dosing row ("Sertraline (Zoloft) — Routes and Dosage Ranges: Adults: 50 mg …").
    if record.document.kind == DocumentKind.TEXTBOOK and DOSE.search(sentence) and _DOSING_ROW.search(passage.text):
        return _fit("dosing", intent)
    return "background"


def _fit(role: str, intent: Intent) -> str:
    """Map a role onto the intent's layout (e.g. "options" under a screening question → "how")."""
    layout = LAYOUTS[intent]
    if role in layout:
        return role
    fallbacks = {
        "options": ("how", "management", "overview"),
        "interaction": ("safety",),
        "adverse": ("safety",),
        "how": ("options", "overview"),
        "who": ("overview",),
        "harms": ("safety",),
        "genetics": ("causes",),
        "causes": ("overview",),
        "symptoms": ("diagnosis", "overview"),
        "diagnosis": ("overview",),
        "outlook": ("overview",),
        "overview": ("options",),
        "dosing": ("options", "safety"),
        "monitoring": ("safety",),
        # A "do not screen" or "insufficient evidence" grade is the answer to who should be screened.
        "avoid": ("who", "safety", "overview"),
    }
    for candidate in fallbacks.get(role, ()):
        if candidate in layout:
            return candidate
    return "background"
