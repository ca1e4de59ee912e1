"""Both composers compose from passages without the sentences that address a language model.

The LLM might obey them; the offline composer, which quotes whole sentences, would otherwise
quote them to the reader (see :mod:`curbside.language.embedded_instructions`).
"""

from __future__ import annotations

from dataclasses import replace

from curbside.domain.evidence import Evidence, EvidenceSet
from curbside.language.embedded_instructions import InstructionRules, embedded_instructions, strip_instructions


def without_embedded_instructions(evidence: EvidenceSet, rules: InstructionRules | None = None) -> EvidenceSet:
    """The evidence with instruction sentences removed from every passage; a passage left
    with no text is dropped."""
    rules = rules or embedded_instructions()

    def cleaned(items: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        out = []
        for item in items:
            passage = item.record.passage
            text = strip_instructions(passage.text, rules)
            if text == passage.text:
                out.append(item)
            elif text.strip():
                out.append(replace(item, record=replace(item.record, passage=replace(passage, text=text))))
        return tuple(out)

    return replace(evidence, applicable=cleaned(evidence.applicable), set_aside=cleaned(evidence.set_aside))
