"""Serving refuses a knowledge base embedded by another model; `ingest --reembed` fixes it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.knowledge.build import open_store
from curbside.knowledge.ingest import EMBEDDER_BLOB
from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.wiring import EmbedderMismatchError
from tests.fixture_kb import build_fixture_kb

OTHER_MODEL = "all-MiniLM-L6-v2@64"


def cli(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["--corpus", str(settings.corpus_dir), "--data-dir", str(settings.data_dir), "--embedder", "hashing", *args],
    )
    return result.exit_code, result.stdout + result.stderr


def mark_embedded_by(settings: Settings, model: str) -> None:
    store = open_store(settings)
    try:
        store.put_blob(EMBEDDER_BLOB, model.encode())
    finally:
        store.close()


@pytest.fixture
def kb(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = build_fixture_kb(tmp_path_factory.mktemp("embedder-kb"))
    mark_embedded_by(settings, OTHER_MODEL)
    return settings


def test_opening_with_another_embedder_is_refused_naming_both(kb: Settings) -> None:
    with pytest.raises(EmbedderMismatchError) as raised:
        Curbside.open(kb)
    message = str(raised.value)
    assert OTHER_MODEL in message and "hashing-v1" in message and "ingest --reembed" in message


def test_cli_ask_search_and_partial_ingest_refuse_too(kb: Settings) -> None:
    for args in (["ask", "What is example syndrome?"], ["search", "example syndrome"], ["ingest", "--source", "ngc"]):
        code, output = cli(kb, *args)
        assert code == 2, (args, output)
        assert OTHER_MODEL in output and "hashing-v1" in output, args
    code, output = cli(kb, "search", "example syndrome", "--mode", "bm25", "--json")
    assert code == 0, output  # lexical search does not use the vectors


def test_reembed_rewrites_every_unit_and_serving_works_again(kb: Settings) -> None:
    code, output = cli(kb, "ingest", "--reembed", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["embedded"] > 0
    # The base was embedded by another model: nothing counts as unchanged.
    assert all(source["unchanged"] == 0 for source in report["sources"].values())
    assert sum(source["loaded"] for source in report["sources"].values()) > 0
    Curbside.open(kb).store.close()
