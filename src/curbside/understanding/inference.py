"""Infer the condition a question implies from what its medicines are used for, in the sources.

"On buspirone for years, several SSRIs failed, worse: what now?" names no condition, yet the
medicines do: the knowledge base's own sentences about buspirone and about SSRIs (label
indications, guideline recommendations, patient pages) name the conditions they treat. The
condition those sentences share across *all* the medicines is the likely one. Nothing here is
a drug → condition table: the sentences come from the knowledge base at question time, through
a caller-supplied lookup, so the inference changes when the sources do.

The result is an inference, not a finding: it is marked ``origin="inferred"`` with the drugs
it came from, shown in "Understood as" for the reader to correct, and searched for.

Example::

    inference = ConditionInference(recognizer, sentences_mentioning)
    question = inference.resolve(question)   # adds the inferred condition when none was named
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from curbside.domain.question import ConditionMention, DrugMention, Intent, UnderstoodQuestion
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.intent import NEXT_STEP_ASK

#: Sentences saying what a drug is *for* weigh more than sentences that merely mention it.
#: Wording cues of indication statements, not medical facts.
_INDICATION_CUE = re.compile(
    r"\b(?:indicated (?:for|in)|treatment of|to treat|used (?:for|to treat|in)|management of|"
    r"therapy for|treating|patients with|people with|first[- ]line)\b",
    re.I,
)
INDICATION_WEIGHT = 2
#: Smoothing so a condition absent for one medicine is penalised, not ruled out by one gap.
SMOOTHING = 0.02
#: A condition must gather at least this share of the product of the medicines' support
#: relative to the best one to be reported as an alternative reading.
MIN_SENTENCES = 1.0
#: Intents where the condition decides what is recommended (dosing and interactions do not).
INFERRING_INTENTS = (Intent.NEXT_STEP, Intent.TREATMENT, Intent.INFORMATION, Intent.PROGNOSIS)
INFERRED = "inferred"

SentenceLookup = Callable[[Sequence[str]], Sequence[str]]
DrugCounter = Callable[[str], int]

#: Clinicians' ways of saying a treatment did not work that the context stage's failure cues
#: leave out ("has not responded to an adequate trial of an SSRI", "minimal response").
NON_RESPONSE = re.compile(
    r"\b(?:ha(?:s|ve|d)n['’]?t|ha(?:s|ve|d) not|did not|didn['’]t|not) (?:responded|respond|improved?|helped)\b"
    r"|\b(?:minimal|partial|poor|inadequate|insufficient|suboptimal|no|little) (?:response|benefit|improvement)\b"
    r"|\bnot (?:responding|improving|better)\b|\bstill (?:symptomatic|uncontrolled|above goal|depressed|anxious)\b",
    re.I,
)
#: A condition name made of words that name drugs, severities or findings is not an indication.
_NOT_A_CONDITION_ORIGIN = "guideline"


@dataclass(frozen=True, slots=True)
class Inference:
    """The condition inferred, the medicines whose indications point to it, and the evidence count."""

    condition: ConditionMention
    drugs: tuple[str, ...]
    sentences: int


def drug_terms(drug: DrugMention) -> tuple[str, ...]:
    """The words a source may use for a drug: its name, how the question wrote it, and, for a
    class, its members."""
    terms = [drug.name, drug.surface, *drug.members[:8]]
    return tuple(dict.fromkeys(t.lower() for t in terms if t and len(t) > 2))


def mentions_any(sentence: str, terms: Sequence[str]) -> bool:
    lowered = sentence.lower()
    return any(re.search(rf"\b{re.escape(t.rstrip('s'))}s?\b", lowered) for t in terms)


def _short_name(name: str) -> str:
    """ICD-10 descriptions lose their qualifiers ("anxiety disorder, unspecified" → "anxiety disorder")."""
    return name.split(",")[0].strip()


def _stems(name: str) -> set[str]:
    generic = {"disorder", "disorders", "disease", "diseases", "syndrome", "major", "unspecified", "other"}
    return {w[:5] for w in re.findall(r"[a-z]+", name.lower()) if w not in generic and len(w) > 3}


def _general_forms(counts: dict[str, float]) -> dict[str, float]:
    """Credit each condition with the counts of its more specific forms ("social anxiety
    disorder" supports "anxiety"): the shared, general condition is the inference, the
    specific one only when the sources agree on it."""
    words = {name: _stems(name) for name in counts}
    credited: dict[str, float] = {}
    for general, general_words in words.items():
        if general_words:
            credited[general] = sum(n for name, n in counts.items() if general_words <= words[name])
    return credited


class ConditionInference:
    """Infers the likely condition from the indications of the question's medicines.

    ``sentences`` receives a drug's terms and returns knowledge-base sentences that mention
    it (the pipeline searches the store); ``recognizer`` finds conditions in them.
    """

    def __init__(
        self, recognizer: ConditionRecognizer, sentences: SentenceLookup, drug_count: DrugCounter | None = None
    ) -> None:
        self._recognizer = recognizer
        self._sentences = sentences
        self._drug_count = drug_count

    def infer(self, drugs: Sequence[DrugMention]) -> Inference | None:
        """The condition shared by the drugs' indications, or None when they share none."""
        shares: list[tuple[str, dict[str, float]]] = []
        totals: defaultdict[str, float] = defaultdict(float)
        for drug in drugs:
            counts = self._condition_counts(drug)
            if counts:
                total = sum(counts.values())
                shares.append((drug.name, {name: n / total for name, n in counts.items()}))
                for name, n in counts.items():
                    totals[name] += n
        if not shares:
            return None
        candidates = [name for name in totals if all(name in share for _, share in shares)] or list(totals)
        if len(shares) > 1 and not any(all(name in share for _, share in shares) for name in candidates):
            return None

        def score(name: str) -> tuple[float, int]:
            log_product = sum(math.log(share.get(name, 0.0) + SMOOTHING) for _, share in shares)
            return (log_product, -len(name.split()))

        best = max(candidates, key=score)
        if totals[best] < MIN_SENTENCES:
            return None
        mention = ConditionMention(best, best, INFERRED)
        return Inference(mention, tuple(name for name, share in shares if best in share), int(totals[best]))

    def _condition_counts(self, drug: DrugMention) -> dict[str, float]:
        terms = drug_terms(drug)
        counts: defaultdict[str, float] = defaultdict(float)
        for sentence in self._sentences(terms):
            if not mentions_any(sentence, terms):
                continue
            weight: float = INDICATION_WEIGHT if _INDICATION_CUE.search(sentence) else 1
            # A sentence listing ten drugs says little about any one of them.
            if self._drug_count is not None:
                weight = weight / max(1, self._drug_count(sentence))
            for mention in self._recognizer.recognize(sentence):
                # Guideline-field names ("antioxidants", "severe") are topics, not indications.
                if mention.origin == _NOT_A_CONDITION_ORIGIN or any(t in mention.name for t in terms):
                    continue
                counts[_short_name(mention.name)] += weight
        return _general_forms(counts)

    def resolve(self, question: UnderstoodQuestion) -> UnderstoodQuestion:
        """The question with its non-response read (drugs that did not work are failed, and a
        "what next" ask is a next-step question) and an inferred condition added when it names
        none but names the medicines tried or taken; unchanged otherwise."""
        question = read_non_response(question)
        context = question.failed_medications + question.current_medications
        if question.conditions or not context or question.intent not in INFERRING_INTENTS:
            return question
        inference = self.infer(list(dict.fromkeys(context)))
        if inference is None:
            return question
        condition = replace(inference.condition, inferred_from=inference.drugs)
        return replace(question, conditions=(condition,))


def read_non_response(question: UnderstoodQuestion) -> UnderstoodQuestion:
    """ "Has not responded to an SSRI", "minimal response": the drugs named are failed, and the
    question asks what next when it asks anything about treatment or options."""
    text = question.search_text
    if question.intent in (Intent.INTERACTION, Intent.DOSING) or not NON_RESPONSE.search(text):
        return question
    failed = question.failed_medications or tuple(d for d in question.drugs if d not in question.current_medications)
    intent = Intent.NEXT_STEP if NEXT_STEP_ASK.search(text) or failed else question.intent
    return replace(question, failed_medications=failed, intent=intent)
