"""Emergency detection in the question: crisis, chest pain, stroke, anaphylaxis, overdose, bleeding.

Decision rules (documented because they decide who sees a 911/988 notice):

* A question is an emergency when it describes a person in that situation *now*, not
  when it asks *about* the topic. "What is the suicide rate in the US?", "Do SSRIs
  increase the risk of suicidal thoughts?", "symptoms of digoxin overdose" are
  informational: the trigger sits in an informational frame (``_FRAME_BEFORE`` /
  ``_FRAME_AFTER``: "risk of", "rate", "symptoms of", "screen for", "history of", …).
* ``acute`` phrases describe the emergency by themselves ("thinking about ending my
  life", "took a whole bottle", "throat is closing", "won't stop bleeding").
* ``weak`` phrases name a symptom that is an emergency only with red-flag features:
  chest pain needs a feature (radiation, sweating, breathlessness, fainting, crushing
  or pressure quality) and no benign explanation in the question ("pulled muscle",
  "hurts when I press", "for two weeks"); stroke signs need two signs or one sign with
  sudden onset; swelling of lips/tongue/throat needs breathing trouble or an allergen;
  "suicidal"/"suicide" needs a present-tense cue ("now", "plan", "reports", "tonight").
* Negation: a trigger preceded in its clause (within 4 words) by no/not/denies/without/
  never/n't is ignored ("no chest pain or shortness of breath").

The notices are product text — the one place Curbside uses fixed wording — kept short.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_CLAUSE = re.compile(r"[.;!?,]|\bbut\b|\s-\s|—")
_TOKENS = re.compile(r"[a-z0-9']+")
_NEGATION = frozenset({"no", "not", "denies", "denied", "deny", "without", "never", "negative", "none"})
_FRAME_BEFORE = re.compile(
    r"\b(risk of|risks of|risk for|rate of|rates of|signs of|symptoms of|screen(ing)? for|history of|"
    r"prevent(ing|ion of)?|treat(ed|ment of)?|cause[sd]?|statistics|prevalence|what is|what are|how is|"
    r"incidence of|definition of)\b[^,;.]*$"
)
_FRAME_AFTER = re.compile(r"^\W*(rates?|statistics|risk|prevention|screening|prevalence|awareness)\b")
_PAST = re.compile(r"\b(last (year|month|week)|years? ago|months? ago|in the past|used to)\b")


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One detected emergency: ``category`` key, human ``label`` and the phrase that matched."""

    category: str
    label: str
    evidence: str


@dataclass(frozen=True, slots=True)
class _Rule:
    category: str
    label: str
    acute: re.Pattern[str]
    weak: re.Pattern[str] | None = None
    feature: re.Pattern[str] | None = None
    benign: re.Pattern[str] | None = None
    needs_two: bool = False  # weak needs two distinct weak matches, or one plus a feature


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_SUDDEN = r"sudden(ly)?|just (started|happened|now)|right now|minutes? ago|came on|this morning|started"
RULES: tuple[_Rule, ...] = (
    _Rule(
        "suicide",
        "suicidal crisis or self-harm",
        acute=_p(
            r"\bkill(ing)? (myself|himself|herself|themselves|themself)\b|\b(end|ending|take|taking) (my|his|her|their)"
            r" (own )?life\b|\b(want|wants|wanted|wanting) to die\b|\bbetter off (if (i|he|she) (was|were) )?dead\b|"
            r"\bbetter off without me\b|\bno reason to live\b|\bdon'?t want to (live|be alive|wake up)\b|"
            r"\b(cutting|cut|burning|hurting|hurt|harming|harm) (myself|himself|herself|themselves)\b|"
            r"\bsuicide note\b|"
            # A recent attempt is a crisis; one "years ago" is history (handled as weak + past).
            r"\b(attempted suicide|tried to (kill|hurt) (myself|himself|herself))\b(?![^.;,]*\b(years?|months?) ago\b)"
        ),
        weak=_p(r"\bsuicid(e|al)( (ideation|thoughts?|plan|attempt|intent))?\b|\bself[- ]harm\w*"),
        feature=_p(
            r"\b(plan|plans|tonight|today|now|currently|active|actively|reports?|says|said|told|intent|thinking)\b"
        ),
    ),
    _Rule(
        "chest_pain",
        "chest pain with warning signs",
        acute=_p(
            r"\b(having|had just|is having|might be having) a heart attack\b|"
            r"\bcrushing chest\b|\bchest (is )?crushing\b"
        ),
        weak=_p(r"\bchest (wall )?(pain|pressure|tightness|discomfort)\b|\bchest (hurts|is tight)\b|\bmy chest\b"),
        feature=_p(
            r"\b(radiat\w*|spread\w*|going) (to|into|down) (my |his |her |the )?(left |right )?"
            r"(arm|jaw|neck|back|shoulder)|\bsweat\w*|\bdiaphore\w*|\bclammy\b|\bshort(ness)? of breath\b|"
            r"\bbreathless\w*|can'?t catch (my|his|her) breath|"
            r"\bfaint\w*|\bpass(ing|ed)? out\b|\blight-?headed\b|\bnause\w*|\bvomit\w*|\bcrushing\b|\bsqueez\w*|"
            r"\bpressure\b|\bheavy\b|\bat rest\b|\bsudden\w*|\b\d+ minutes\b"
        ),
        benign=_p(
            r"pulled (a )?muscle|muscle strain|strained|when i press|press(ing)? on it|tender to (the )?touch|"
            r"costochondritis|heartburn|after (eating|meals)|for (two|three|several|\d+) (weeks|months)|\bcough"
        ),
    ),
    _Rule(
        "stroke",
        "signs of stroke",
        acute=_p(r"\bworst headache of (my|his|her|their) life\b|\b(having|is having|might be having) a stroke\b"),
        weak=_p(
            r"\b(face|mouth|smile) (is |was )?droop\w*|\bfacial droop\w*|\bdroop\w* (face|mouth|on one side)|"
            r"\bslurred\b|\bslurring\b|\bspeech is slurred\b|\bwords (come|came|are coming) out wrong\b|"
            r"\bcan'?t (speak|talk|get (my|his|her) words out)\b|\btrouble speaking\b|"
            r"\bcan'?t (move|lift|feel) (my|his|her) (right |left )?(arm|leg|hand|side)\b|"
            r"\b(weak|weakness|numb|numbness) (on|in) one side\b|\bone side of (my|his|her) (face|body)\b|"
            r"\bsudden (vision loss|loss of vision|blindness|confusion)\b"
        ),
        feature=_p(rf"\b({_SUDDEN})\b"),
        needs_two=True,
    ),
    _Rule(
        "anaphylaxis",
        "possible anaphylaxis",
        acute=_p(
            r"\bthroat (is |feels )?(closing|swelling|swollen|tight)\b|\bcan'?t (breathe|swallow)\b|\bcannot breathe\b|"
            r"\b(going into|having|in) anaphyla\w*|\banaphylactic shock\b"
        ),
        weak=_p(
            r"\b(lips?|tongue|face|throat|mouth)\b[^.,;]{0,25}\bswell\w*|"
            r"\bswell\w* (of|in) (the )?(lips?|tongue|throat)"
        ),
        feature=_p(
            r"\bwheez\w*|\btrouble breathing\b|\bdifficulty breathing\b|\bshort of breath\b|\bsting\b|\bpeanuts?\b|"
            r"\bafter (eating|taking|a|an|the)\b|\ballerg\w*"
        ),
    ),
    _Rule(
        "overdose",
        "possible overdose or poisoning",
        acute=_p(
            r"\b(took|taken|swallowed|ate|drank)\b[^.;]{0,25}\b(whole|entire|all|several|many|handful|bunch|lot|"
            r"\d+|dozens?|too many|bottle|pack)\b[^.;]{0,30}"
            r"\b(pills?|tablets?|capsules?|bottle|medications?|medicines?|pack)\b|"
            r"\boverdos(ed|ing)\b|\btook an overdose\b|\b(barely|not|isn'?t|stopped) breathing\b|\bunresponsive\b|"
            r"\bwon'?t wake up\b|\bcan'?t wake (him|her|them)\b"
        ),
    ),
    _Rule(
        "bleeding",
        "severe bleeding",
        acute=_p(
            r"\bwon'?t stop bleeding\b|\bbleeding (that )?(won'?t|will not|doesn'?t) stop\b|"
            r"\bcan'?t stop the bleeding\b|"
            r"\b(vomiting|throwing up|coughing up|spitting up) (a lot of )?blood\b|\b(bleeding heavily|heavy bleeding|"
            r"severe bleeding|profuse bleeding|bleeding a lot)\b|\bsoaking (through )?(a |one |the )?(pads?|towels?|"
            r"bandages?|clothes)\b|\b(spurting|gushing) blood\b|\bblood (is )?(spurting|gushing|everywhere)\b"
        ),
    ),
)


def _clauses(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    return [c.strip() for c in _CLAUSE.split(lowered) if c.strip()]


def _live(clause: str, match: re.Match[str]) -> bool:
    """True unless the match is negated or sits in an informational frame."""
    before = clause[: match.start()]
    window = _TOKENS.findall(before)[-4:]
    if any(w in _NEGATION or w.endswith("n't") for w in window):
        return False
    return not (_FRAME_BEFORE.search(before) or _FRAME_AFTER.search(clause[match.end() :]))


def _matches(pattern: re.Pattern[str] | None, clauses: list[str]) -> list[str]:
    if pattern is None:
        return []
    return [m.group(0) for c in clauses for m in pattern.finditer(c) if _live(c, m)]


def _fires(rule: _Rule, clauses: list[str], whole: str) -> str | None:
    """The evidence phrase when ``rule`` fires on the question, else None."""
    if acute := _matches(rule.acute, clauses):
        return acute[0]
    weak = _matches(rule.weak, clauses)
    if not weak or _PAST.search(whole) or (rule.benign is not None and rule.benign.search(whole)):
        return None
    features = [f for f in _matches(rule.feature, clauses) if not any(f in w for w in weak)]
    if rule.needs_two and len(set(weak)) >= 2:
        return weak[0]
    return weak[0] if features else None


def detect_red_flags(text: str) -> tuple[RedFlag, ...]:
    """Emergencies the question describes, in rule order (suicide first). Empty when none."""
    clauses = _clauses(text)
    whole = " ".join(clauses)
    found = []
    for rule in RULES:
        evidence = _fires(rule, clauses, whole)
        if evidence is not None:
            found.append(RedFlag(rule.category, rule.label, evidence))
    return tuple(found)


def emergency_notice(flag: RedFlag) -> str:
    """Fixed, short product text for ``flag`` (US numbers: 911; 988 for suicidal crisis)."""
    if flag.category == "suicide":
        return (
            "If you or the person you are asking about may act on thoughts of suicide or self-harm, call or text "
            "988 (Suicide & Crisis Lifeline, US) now, or call 911 if in immediate danger."
        )
    notice = f"This may be a medical emergency ({flag.label}). Call 911 (or your local emergency number) now."
    if flag.category == "overdose":
        notice += " Poison Help (US): 1-800-222-1222."
    return notice


def evaluate_red_flags(path: Path) -> dict[str, object]:
    """Recall/precision of ``detect_red_flags`` on a JSONL file of ``{"question", "emergency"}`` rows.

    Returns counts, ``recall``, ``precision`` and the misclassified questions (for tuning reports).
    """
    tp = fp = fn = tn = 0
    missed: list[str] = []
    false_alarms: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        flagged, expected = bool(detect_red_flags(row["question"])), bool(row["emergency"])
        tp += flagged and expected
        fp += flagged and not expected
        fn += expected and not flagged
        tn += not flagged and not expected
        if expected and not flagged:
            missed.append(row["question"])
        if flagged and not expected:
            false_alarms.append(row["question"])
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "missed": missed,
        "false_alarms": false_alarms,
    }
