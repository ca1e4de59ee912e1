"""The source-terms policy at serving time (store wrapper) and at ingest (loader wrapper)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from curbside.domain.documents import Document, DocumentKind, InteractionRecord, LoadedUnit, Passage
from curbside.domain.terms import LicenceClass, SourceTermsPolicy, UseTerms
from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.ingest import ingest
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.knowledge.store import UnitWrite
from curbside.knowledge.terms_filter import TermsFilteredLoader
from curbside.knowledge.terms_store import TermsFilteredStore
from curbside.settings import Settings
from curbside.sources.base import SourceUnit

EMBEDDER = HashingEmbedder()
OPEN = UseTerms(LicenceClass.PUBLIC_DOMAIN)
CLOSED = UseTerms(LicenceClass.DEVELOPER_COPYRIGHT, attribution_required=True)
TEXT = "Sampledine lowers example pressure in adults."


def unit(doc_id: str, terms: UseTerms | None) -> UnitWrite:
    source_id = f"t:{doc_id}"
    passage = Passage(f"{source_id}#0", ("Recommendations",), f"{TEXT} ({doc_id})", 0, question=f"What about {doc_id}?")
    document = Document(
        source_id, "t", DocumentKind.GUIDELINE, "Org", f"Example pressure {doc_id}", 2016, "https://example.org",
        f"licence of {doc_id}", conditions=("example pressure",), passages=(passage,),
        **({"terms": terms} if terms else {}),
    )  # fmt: skip
    interactions = (InteractionRecord("List", source_id, "sampledine", "exampleprofen"),)
    return UnitWrite(f"u/{doc_id}", "t", f"h-{doc_id}", LoadedUnit((document,), interactions), EMBEDDER.embed([TEXT]))


@pytest.fixture
def inner(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "kb.sqlite3")
    # "legacy" has default terms, as a row written before documents carried terms reads back.
    store.write_units([unit("open", OPEN), unit("closed", CLOSED), unit("legacy", None)])
    return store


def test_terms_and_note_kind_survive_the_store(inner: SqliteStore) -> None:
    assert inner.document("t:closed").terms == CLOSED  # type: ignore[union-attr]
    assert inner.document("t:legacy").terms.licence_class is LicenceClass.NO_LICENCE_STATED  # type: ignore[union-attr]
    document = Document("t:n", "t", DocumentKind.TEXTBOOK, "O", "T", None, "", "l",
                        passages=(Passage("t:n#0", ("A",), "x y z", 0, note_kind="client-education"),))  # fmt: skip
    inner.write_units([UnitWrite("u/n", "t", "h", LoadedUnit((document,)), EMBEDDER.embed(["x y z"]))])
    [record] = inner.passages(["t:n#0"])
    assert record.passage.note_kind == "client-education"


def test_open_policy_serves_only_open_documents_whatever_the_file_holds(inner: SqliteStore) -> None:
    served = TermsFilteredStore(inner, SourceTermsPolicy.OPEN)
    assert {h.passage_id for h in inner.lexical_search(TEXT, 10)} == {"t:open#0", "t:closed#0", "t:legacy#0"}
    assert [h.passage_id for h in served.lexical_search(TEXT, 10)] == ["t:open#0"]
    assert [h.passage_id for h in served.dense_search(EMBEDDER.embed([TEXT])[0], 10)] == ["t:open#0"]
    assert [r.passage.passage_id for r in served.passages(["t:closed#0", "t:open#0", "t:legacy#0"])] == ["t:open#0"]
    assert served.document("t:closed") is None and served.document("t:open") is not None
    assert [d.source_id for d in served.documents()] == ["t:open"]
    assert [r.source_id for r in served.interactions(["sampledine"])] == ["t:open"]
    assert [r.source_id for r in served.interactions_in_list("List")] == ["t:open"]
    assert [source for _, source in served.related_questions(["example pressure"], 5)] == ["t:open"]
    assert [(c.licence_class, c.documents) for c in served.licence_counts()] == [("public-domain", 1)]
    assert sorted(c.licence_class for c in inner.licence_counts()) == [
        "developer-copyright", "no-licence-stated", "public-domain",
    ]  # fmt: skip


def test_all_policy_opens_the_plain_store(tmp_path: Path) -> None:
    assert isinstance(open_store(Settings(data_dir=tmp_path / "a")), SqliteStore)
    wrapped = open_store(Settings(data_dir=tmp_path / "b", source_terms="open"))
    assert isinstance(wrapped, TermsFilteredStore)
    wrapped.close()


class TwoDocumentLoader:
    """One unit holding an open and a closed document, each with an interaction record."""

    name = "two"

    def discover(self, corpus_dir: Path) -> list[SourceUnit]:
        return [SourceUnit("two/unit", (corpus_dir / "two.json",))]

    def load(self, unit_: SourceUnit) -> LoadedUnit:
        written = unit("open", OPEN).loaded, unit("closed", CLOSED).loaded
        return LoadedUnit(
            tuple(d for loaded in written for d in loaded.documents),
            tuple(r for loaded in written for r in loaded.interactions),
        )


def test_open_policy_ingests_only_open_documents_and_a_policy_change_reingests(tmp_path: Path) -> None:
    (tmp_path / "two.json").write_text(json.dumps({}), "utf-8")
    store = SqliteStore(tmp_path / "kb.sqlite3")
    report = ingest(store, EMBEDDER, [TermsFilteredLoader(TwoDocumentLoader(), SourceTermsPolicy.OPEN)], tmp_path)
    assert report.sources["two"].documents == 1
    assert [d.source_id for d in store.documents()] == ["t:open"]
    assert {r.source_id for r in store.interactions(["sampledine"])} == {"t:open"}
    again = ingest(store, EMBEDDER, [TwoDocumentLoader()], tmp_path)  # policy "all": not "unchanged"
    assert again.sources["two"].unchanged == 0
    assert [d.source_id for d in store.documents()] == ["t:closed", "t:open"]
    store.close()


def test_build_applies_the_settings_policy(tmp_path: Path) -> None:
    (tmp_path / "two.json").write_text("{}", "utf-8")
    settings = Settings(corpus_dir=tmp_path, data_dir=tmp_path / "data", embedder="hashing", source_terms="open")
    store = SqliteStore(settings.database_path)
    build_knowledge_base(settings, store, EMBEDDER, [TwoDocumentLoader()])
    assert [d.source_id for d in store.documents()] == ["t:open"]
    assert np.isfinite(store.dense_search(EMBEDDER.embed([TEXT])[0], 1)[0].score)
    store.close()
