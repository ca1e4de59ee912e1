from __future__ import annotations

from curbside.domain.documents import Passage
from curbside.safety.passage_interactions import ProseInteractionFinder, row_subject

ROW = (
    "Drug Prototype Table: Quorvanide — Therapeutic Effects: Decreases platelet activation — Drug Interactions: "
    "Opioids; NSAIDs, warfarin, SSRIs; Other antiplatelet agents."
)


def _row_passage() -> Passage:
    return Passage("openstax:x#1", ("Antiplatelets", "Drug Prototype Table: Quorvanide"), ROW, 1)


def test_a_sentence_naming_both_drugs_with_interaction_words_counts() -> None:
    text = "Concomitant use of warfarin with ibuprofen increases the risk of bleeding."
    found = ProseInteractionFinder._sentence(text, frozenset({"warfarin"}), frozenset({"ibuprofen"}))
    assert found is not None and found[1:] == ("warfarin", "ibuprofen")


def test_two_entries_of_a_table_row_s_interaction_list_are_not_said_to_interact() -> None:
    subject = row_subject(_row_passage())
    pair = (frozenset({"warfarin"}), frozenset({"nsaids"}))
    assert ProseInteractionFinder._sentence(ROW, *pair, subject) is None
    # ...but the row's own drug and an entry of its list are.
    found = ProseInteractionFinder._sentence(ROW, frozenset({"quorvanide"}), frozenset({"warfarin"}), subject)
    assert found is not None


def test_the_row_s_drug_counts_when_its_interaction_list_is_a_later_sentence() -> None:
    row = (
        "Drug Prototype Table: Quorvanide — Indications: Treatment of infections. "
        "Therapeutic Effects: Elimination of bacteria — Drug Interactions: Dofetilide; Warfarin; Zelmotrexate."
    )
    passage = Passage("openstax:x#2", ("Antibiotics", "Drug Prototype Table: Quorvanide"), row, 1)
    subject = row_subject(passage)
    found = ProseInteractionFinder._sentence(row, frozenset({"zelmotrexate"}), frozenset({"quorvanide"}), subject)
    assert found is not None and found[1:] == ("zelmotrexate", "quorvanide")
    # Two list entries still do not interact with each other, and a drug named nowhere is not found.
    assert ProseInteractionFinder._sentence(row, frozenset({"warfarin"}), frozenset({"dofetilide"}), subject) is None
    assert ProseInteractionFinder._sentence(row, frozenset({"warfarin"}), frozenset({"aspirin"}), subject) is None
