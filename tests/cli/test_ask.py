"""`curbside ask` goes through the library desk: patient wording, clean composer failures."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.settings import Settings
from tests.fixture_kb import build_fixture_kb
from tests.llm_server import recorded_llm_server

ANSWERED = "What are the symptoms of example syndrome?"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_fixture_kb(tmp_path_factory.mktemp("cli-ask-kb"))


def ask(kb: Settings, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app,
        ["--corpus", str(kb.corpus_dir), "--data-dir", str(kb.data_dir), "--embedder", "hashing", "ask", *args],
        env=env,
    )
    return result.exit_code, result.stdout, result.stderr


def test_patient_audience_is_reworded_through_the_desk(kb: Settings) -> None:
    code, out, err = ask(kb, ANSWERED, "--audience", "patient", "--json")
    assert code == 0, err
    article = json.loads(out)
    assert article["audience"] == "patient" and not article["abstained"]
    statements = [s for section in article["sections"] for s in section["statements"]]
    # The patient wording keeps the source-faithful text beside every reworded statement.
    assert statements and all(s["original_text"] for s in statements)

    code, out, _ = ask(kb, ANSWERED, "--json")
    clinician = [s for section in json.loads(out)["sections"] for s in section["statements"]]
    assert code == 0 and not any(s["original_text"] for s in clinician)


def test_llm_failure_is_a_clean_message_not_a_traceback(kb: Settings) -> None:
    with recorded_llm_server() as llm:
        llm.status = 500
        code, out, err = ask(kb, ANSWERED, "--composer", "llm", env={"CURBSIDE_LLM_BASE_URL": llm.base_url})
    assert code == 3
    assert "language model is unavailable" in err and "CURBSIDE_LLM_FALLBACK=offline" in err
    assert "Traceback" not in err + out


def test_llm_failure_falls_back_to_the_offline_composer_when_set(kb: Settings) -> None:
    with recorded_llm_server() as llm:
        llm.status = 503
        code, out, err = ask(
            kb,
            ANSWERED,
            "--composer",
            "llm",
            "--json",
            env={"CURBSIDE_LLM_BASE_URL": llm.base_url, "CURBSIDE_LLM_FALLBACK": "offline"},
        )
        assert llm.requests, "the LLM was tried first"
    assert code == 0, err
    article = json.loads(out)
    assert article["composer"] == "offline (fallback: llm unavailable)"
    assert not article["abstained"] and article["references"]
