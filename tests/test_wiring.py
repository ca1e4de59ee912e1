"""Construction of the knowledge-base-dependent stages: the cached intent model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.domain.question import Intent
from curbside.knowledge.build import open_store
from curbside.knowledge.store import Store
from curbside.settings import Settings
from curbside.understanding.intent import IntentClassifier
from curbside.wiring import INTENT_MODEL_FILE, intent_classifier
from tests.fixture_kb import build_fixture_kb


@pytest.fixture(scope="module")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_fixture_kb(tmp_path_factory.mktemp("wiring-kb"))


@pytest.fixture
def store(kb_settings: Settings) -> Iterator[Store]:
    opened = open_store(kb_settings)
    yield opened
    opened.close()


def test_intent_model_is_saved_whole_with_no_temporary_file_left(kb_settings: Settings, store: Store) -> None:
    intent_classifier(kb_settings, store)
    path = kb_settings.data_dir / INTENT_MODEL_FILE
    assert isinstance(IntentClassifier.load(path), IntentClassifier)
    assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("kept_share", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95])
def test_a_truncated_intent_model_is_retrained_and_rewritten(
    kb_settings: Settings, store: Store, kept_share: float
) -> None:
    # Cut at different points, joblib fails with different errors (ValueError, EOFError,
    # UnpicklingError, IndexError): every one must lead to retraining.
    intent_classifier(kb_settings, store)
    path: Path = kb_settings.data_dir / INTENT_MODEL_FILE
    whole = path.read_bytes()
    path.write_bytes(whole[: int(len(whole) * kept_share)])

    model = intent_classifier(kb_settings, store)

    assert model.predict_model("What are the symptoms of example syndrome?")[0] in set(Intent)
    assert IntentClassifier.load(path).version == model.version
