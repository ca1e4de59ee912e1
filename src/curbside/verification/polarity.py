"""Polarity and direction of one claim, with negation scope.

``polarity(text)`` is "negative" when the main clause prohibits or denies ("never", "do not",
"should not", "not recommended", "avoid", "contraindicated", "must not", "is not advised" …)
and "positive" otherwise. All prohibition forms are one polarity, so "Never combine X with Y"
agrees with "The use of Y with X is not recommended".

Scope: a negation counts only in the main clause. Limit phrasing ("do not exceed 4 g", "no
more than") states a maximum, not a prohibition; a negation inside a relative or conditional
clause ("people whose symptoms have not improved", "if laxatives have not helped") qualifies
who the advice is for; "not only", "whether or not" and a contrastive "rather than"/"instead
of" tail ("tapered rather than stopped abruptly") do not negate the claim.

``direction(text)`` is the set of change directions a claim asserts ("up": increases, raises,
higher; "down": decreases, reduces, lowers) so "raises the risk" and "lowers the risk" differ
even though neither is negated.
"""

from __future__ import annotations

import re

_NEUTRAL_NEGATIONS = re.compile(
    r"\b(?:no more than|no less than|not more than|not less than|not only|whether or not|not to exceed|"
    r"do not exceed|does not exceed|should not exceed|must not exceed|not exceeding|if not|no later than|"
    r"not all|not necessarily|no longer than|no sooner than|not sooner than|no earlier than|not earlier than|"
    r"no fewer than|not fewer than)\b"
    # A ceiling phrased as a prohibition ("should not take more than 4 g", "must never exceed")
    # states the same maximum as "the maximum dose is 4 g".
    r"|\b(?:not|never)\s+(?:\w+\s+){0,2}?(?:more than|exceed\w*|go above|above|beyond|greater than)",
    re.IGNORECASE,
)
# A contrastive tail restates the rejected alternative; its words are not the claim.
_CONTRAST_TAIL = re.compile(
    r"\b(?:rather than|instead of|as opposed to)\b[^,;:.]*|\bnot\b[^,;:.]{0,60}?\bbut\b", re.IGNORECASE
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|cannot|can't|don't|doesn't|shouldn't|isn't|aren't|won't|mustn't|avoid\w*|"
    r"contraindicat\w*|against|insufficient\w*|lack of evidence|not enough evidence|unsafe|discourage\w*|"
    r"neither|nor|ineffective|n't|without benefit|refrain\w*|prohibit\w*|withh[oe]ld\w*|too little)\b",
    re.IGNORECASE,
)
# Negation inside a relative or conditional clause qualifies who the advice is for.
_SUBORDINATE = re.compile(
    r"\b(?:who|whose|whom|which|that have|if|when|unless|whether|where|after|because|although|though|until|"
    r"despite|(?:in order )?to (?:avoid|prevent|reduce the risk of))\b[^,;:]*",
    re.IGNORECASE,
)
_UP = re.compile(
    r"\b(?:increas\w*|rais\w*|higher|elevat\w*|boost\w*|worsen\w*|more likely|greater|potentiat\w*|enhanc\w*|"
    r"augment\w*|rise|rises|rising)\b",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"\b(?:decreas\w*|reduc\w*|lower\w*|diminish\w*|less likely|lessen\w*|fewer|drop\w*|declin\w*|"
    r"attenuat\w*)\b",
    re.IGNORECASE,
)


def main_clause(text: str) -> str:
    """The text with limit phrasing, contrastive tails and subordinate clauses blanked."""
    return _SUBORDINATE.sub(" ", _CONTRAST_TAIL.sub(" ", _NEUTRAL_NEGATIONS.sub(" ", text)))


def negations(text: str) -> int:
    """How many negations the main clause holds (two cancel: "not uncommon" is rare here)."""
    return len(_NEGATION.findall(main_clause(text)))


def all_negations(text: str) -> int:
    """Negations anywhere but in limit phrasing, subordinate clauses included: "who do not
    respond" and "who respond" name different people even though neither negates the advice."""
    return len(_NEGATION.findall(_CONTRAST_TAIL.sub(" ", _NEUTRAL_NEGATIONS.sub(" ", text))))


def negation_words(text: str) -> int:
    """Every negation word outside limit phrasing, contrastive "not … but" included: for
    comparing a statement with the sentence it nearly copies, where any added "not" is a change."""
    return len(_NEGATION.findall(_NEUTRAL_NEGATIONS.sub(" ", text)))


def change_words(text: str) -> tuple[int, int]:
    """How many "up" and "down" change words the whole text holds (clauses included)."""
    return len(_UP.findall(text)), len(_DOWN.findall(text))


def negation_mismatch(statement: str, support: str) -> str | None:
    """How the statement's negation differs from its closest support sentence, or None.

    The main clause must agree (all prohibition forms count as one); when the statement is a
    near copy of the sentence (≥ 80 % of the longer one's words shared), the negations in its
    qualifying clauses must agree too — a flipped "not" there changes who the advice is for.
    """
    if is_negative(statement) != is_negative(support) and not clauses_agree(statement, support):
        return "statement" if is_negative(statement) else "passage"
    ours, theirs = set(_WORDS.findall(statement.lower())), set(_WORDS.findall(support.lower()))
    shared = len(ours & theirs) / max(1, len(ours), len(theirs))  # dropping a qualifier is not flipping it
    if shared >= 0.8 and all_negations(statement) != all_negations(support):
        return "qualifier"
    return None


_WORDS = re.compile(r"[a-z]{3,}")
# Clause boundaries of a compound sentence: punctuation and contrastive conjunctions.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?=(?:but|although|though|whereas|while|yet|however)\b)", re.IGNORECASE)


_LEADING_CONJUNCTION = re.compile(r"^\s*(?:but|although|though|whereas|while|yet|however|and)\b\s*", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The text cut at commas, semicolons, colons and before contrastive conjunctions; a clause's
    leading conjunction is dropped, so a concessive clause ("although B was not increased")
    reads as the assertion it makes."""
    pieces = (_LEADING_CONJUNCTION.sub("", piece) for piece in _CLAUSE_BREAK.split(text))
    return [piece.strip() for piece in pieces if _WORDS.search(piece.lower())]


def clauses_agree(statement: str, support: str) -> bool:
    """True when the two agree clause by clause although the whole sentences read differently:
    "X raised A, but B did not rise" against "X increased A, although B was not increased" (a
    concessive or trailing clause carries the "not"). Every clause, on either side, that shares a
    word with the other side must have the polarity of the clause there it shares most words
    with — so a "not recommended" clause that the statement contradicts in other words still
    counts."""
    ours = [(_stems(c), c) for c in clauses(statement)]
    theirs = [(_stems(c), c) for c in clauses(support)]
    if not ours or not theirs:
        return False
    for side, other in ((ours, theirs), (theirs, ours)):
        for stems, clause in side:
            overlap, match = max(((len(stems & o), c) for o, c in other), key=lambda item: item[0])
            if (side is ours and not overlap) or (overlap and is_negative(clause) != is_negative(match)):
                return False  # a statement clause the support does not speak to cannot be vouched for
    return True


_FUNCTION_WORDS = frozenset({"with", "that", "this", "from", "have", "been", "were", "when", "than", "they", "their"})


def _stems(text: str) -> set[str]:
    """Five-letter stems of the clause's words of four letters or more, function words left out."""
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _FUNCTION_WORDS}


def is_negative(text: str) -> bool:
    """True when the main clause asserts a negative (see module docstring)."""
    return negations(text) > 0


def polarity(text: str) -> str:
    """ "negative" or "positive" (see module docstring)."""
    return "negative" if is_negative(text) else "positive"


def direction(text: str) -> frozenset[str]:
    """Change directions asserted ("up", "down"), from the main clause."""
    clause = main_clause(text)
    found = set()
    if _UP.search(clause):
        found.add("up")
    if _DOWN.search(clause):
        found.add("down")
    return frozenset(found)


def direction_conflict(statement: str, support: str) -> bool:
    """True when the statement asserts one direction and its support only the other."""
    ours, theirs = direction(statement), direction(support)
    return len(ours) == 1 and len(theirs) == 1 and ours != theirs
