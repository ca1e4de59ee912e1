"""The perturbation generator and the pair sets: every kind is made, labels are right, files are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.evaluation.perturbations import change_number, label_perturbations, paraphrase, swap_population
from curbside.evaluation.verifier_pairs import own_pairs, parse_pairs

_LABEL = """<?xml version="1.0"?><document setID="x1"><labelDrug name="Examplex"/><generic name="examplomab sodium"/>
<sentence id="s1" text="Examplomab should not be given with strong inhibitors of the enzyme in adults."/>
<sentence id="s2" text="The usual dose of examplomab is 20 mg every 12 hours for 14 days in adults."/>
<sentence id="s3" text="Patients should be monitored for bleeding during concomitant use with other drugs."/>
</document>"""
_OTHER = _LABEL.replace("x1", "x2").replace("Examplex", "Otherin").replace("examplomab", "otherazole")


def test_every_kind_is_generated_with_the_right_label(tmp_path: Path) -> None:
    folder = tmp_path / "fda-labels-nlm"
    folder.mkdir()
    (folder / "a.xml").write_text(_LABEL)
    (folder / "b.xml").write_text(_OTHER)
    items, names = label_perturbations(tmp_path, stride=1)
    kinds = {i.kind for i in items}
    assert {"paraphrase", "negated", "number", "drug"} <= kinds
    assert all(i.supported == (i.kind == "paraphrase") for i in items)
    assert {"examplomab", "otherazole"} <= names


def test_rules() -> None:
    assert paraphrase("Patients should take it every 12 hours.") == "people should take it twice daily."
    assert change_number("Give 20 mg daily.", "Give 20 mg daily or 40 mg.") == "Give 60 mg daily."
    assert swap_population("Use in adults.", "Use in adults and children.") is None
    assert swap_population("Use in adults.", "Use in adults.") == "Use in children."


def test_pair_files() -> None:
    pairs = own_pairs()
    assert len(pairs) >= 70 and {p.supported for p in pairs} == {True, False}
    with pytest.raises(ValueError, match="malformed pair"):
        parse_pairs(['{"statement": "x"}'], "broken")
