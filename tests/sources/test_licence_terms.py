"""Licence rules data file: what each source states, NGC statement kinds, and malformed files."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from curbside.domain.terms import LicenceClass, SourceTermsPolicy, UseTerms
from curbside.sources.licence_terms import LicenceRulesError, load_rules, parse_rules
from curbside.sources.registry import create_loaders
from curbside.sources.user_documents import UserGuidelineLoader
from tests.fixture_kb import assemble_corpus


def packaged() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("curbside.sources").joinpath("data", "licence_terms.json").read_text("utf-8")
    )
    return data


def test_each_source_states_its_licence() -> None:
    rules = load_rules()
    assert rules.source("medquad").terms == UseTerms(LicenceClass.CC_BY, attribution_required=True)
    assert rules.source("fda-nlm").terms.licence_class is LicenceClass.PUBLIC_DOMAIN
    assert rules.source("openfda").terms.is_open
    lists = rules.source("interaction-lists")
    assert lists.terms.licence_class is LicenceClass.NO_LICENCE_STATED and not lists.terms.is_open
    books = rules.source("openstax")
    assert books.terms.is_open and books.terms.no_generative_ai and books.terms.attribution_required
    assert "generative AI offerings without OpenStax's permission" in books.statement
    assert books.citation["publisher"] == "OpenStax, Rice University"


def test_ngc_statement_kinds() -> None:
    rules = load_rules()
    assert rules.classify_ngc("No copyright restrictions apply.").licence_class is LicenceClass.NO_RESTRICTIONS
    subject = (
        "This NGC summary is based on the original guideline, which is subject to the ASCO’s copyright restrictions."
    )
    assert rules.classify_ngc(subject).licence_class is LicenceClass.DEVELOPER_COPYRIGHT
    own = rules.classify_ngc("Copies may be made for noncommercial purposes, reproduced in its entirety only.")
    assert own.licence_class is LicenceClass.DEVELOPER_TERMS and own.non_commercial and own.no_derivatives


def test_open_policy_admits_public_domain_and_cc_by_only() -> None:
    policy = SourceTermsPolicy.OPEN
    assert [c.value for c in LicenceClass if policy.permits(UseTerms(c))] == [
        "public-domain",
        "cc-by",
        "no-restrictions",
    ]
    assert all(SourceTermsPolicy.ALL.permits(UseTerms(c)) for c in LicenceClass)
    assert UseTerms.from_json(UseTerms(LicenceClass.CC_BY, no_generative_ai=True).to_json()).no_generative_ai


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(packaged())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("provenance"), "provenance"),
        (lambda d: d["sources"]["medquad"].update(licence_class="open-ish"), "unknown licence class"),
        (lambda d: d["sources"]["medquad"].pop("provenance"), "sources.medquad"),
        (lambda d: d["classes"].pop("cc-by"), "classes missing cc-by"),
        (lambda d: d["classes"]["cc-by"].pop("no_derivatives"), "classes.cc-by"),
        (lambda d: d["ngc_statement_rules"]["rules"][0].update(patterns=["(unclosed"]), "bad pattern"),
        (lambda d: d["ngc_statement_rules"]["rules"][1].update(patterns=[]), "non-empty list"),
        (lambda d: d["statement_flags"].update(no_sharing=["x"]), "statement_flags.no_sharing"),
    ],
)
def test_a_malformed_rules_file_is_an_error_naming_the_place(change: Any, message: str) -> None:
    parse_rules(packaged())  # the packaged file itself is well formed
    with pytest.raises(LicenceRulesError, match=message):
        parse_rules(_broken(change))


def test_every_builtin_loader_sets_its_sources_terms(tmp_path: Path) -> None:
    corpus = assemble_corpus(tmp_path / "corpus")
    seen = set()
    for loader in create_loaders(["medquad", "fda-nlm", "interaction-lists", "openfda"]):
        for unit in loader.discover(corpus):
            for document in loader.load(unit).documents:
                assert document.terms == load_rules().source(loader.name).terms, document.source_id
                assert document.licence == load_rules().source(loader.name).statement
                seen.add(loader.name)
    assert seen == {"medquad", "fda-nlm", "interaction-lists", "openfda"}


def test_user_documents_carry_the_terms_given_at_ingest(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Example\n\nSampledine is an invented drug for this test.\n", "utf-8")
    default = UserGuidelineLoader(path, organization="Clinic", year=2024)
    (document,) = default.load(next(iter(default.discover(tmp_path)))).documents
    assert document.terms.licence_class is LicenceClass.USER_SUPPLIED and not document.terms.is_open
    terms = load_rules().terms_for(LicenceClass.CC_BY, "CC BY 4.0", no_generative_ai=True)
    given = UserGuidelineLoader(path, organization="Clinic", year=2024, licence="CC BY 4.0", terms=terms)
    (document,) = given.load(next(iter(given.discover(tmp_path)))).documents
    assert document.licence == "CC BY 4.0" and document.terms.is_open and document.terms.no_generative_ai
