from __future__ import annotations

from curbside.domain.documents import InteractionRecord
from curbside.safety.atc_classes import AtcClassIndex, CombinedResolver


class NoClasses:
    def canonical(self, name: str) -> str | None:
        return name.lower()

    def classes_of(self, drug: str) -> tuple[str, ...]:
        return ()


RECORDS = [
    InteractionRecord(
        "OSCAR", "list:oscar", "CIMETIDINE", "MAOIS", drug_a_ids=("ATC:A02BA01",), drug_b_ids=("ATC:N06AF",)
    ),
    InteractionRecord(
        "OSCAR", "list:oscar", "CIMETIDINE", "PHENELZINE", drug_a_ids=("ATC:A02BA01",), drug_b_ids=("ATC:N06AF03",)
    ),
    InteractionRecord(
        "OSCAR", "list:oscar", "IBUPROFEN", "NSAIDS", drug_a_ids=("ATC:M01AE01",), drug_b_ids=("ATC:M01A",)
    ),
]


def test_drug_belongs_to_groups_whose_code_prefixes_its_own() -> None:
    index = AtcClassIndex(RECORDS)
    assert index.classes_of("phenelzine") == ("MAOIS",)
    assert index.classes_of("Ibuprofen") == ("NSAIDS",)
    assert index.classes_of("cimetidine") == ()
    assert index.classes_of("unknown") == ()


def test_combined_resolver_adds_atc_classes() -> None:
    resolver = CombinedResolver(NoClasses(), AtcClassIndex(RECORDS))
    assert resolver.classes_of("phenelzine") == ("MAOIS",)
    assert resolver.canonical("Phenelzine") == "phenelzine"
