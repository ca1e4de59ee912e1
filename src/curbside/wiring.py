"""Build the stages that need the knowledge base to exist (understanding, verifier, safety).

Kept apart from ``pipeline.py`` so the orchestrator stays about order, and this module
about construction: which vocabulary, which trained model, which settings.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from curbside.knowledge.embedding import Embedder
from curbside.knowledge.store import Store
from curbside.settings import Settings
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.intent import IntentClassifier, train_intent_classifier
from curbside.understanding.understand import QuestionUnderstanding

log = logging.getLogger("curbside.wiring")
INTENT_MODEL_FILE = "intent-model.joblib"


class KnowledgeBaseMissingError(RuntimeError):
    """The knowledge base is empty: run `curbside ingest` (or `make run`) first."""


def intent_classifier(settings: Settings, store: Store) -> IntentClassifier:
    """Load the intent model trained on this knowledge base's labelled questions, training it
    (and caching it beside the database) when it is missing or the questions changed."""
    pairs = sorted(store.question_pairs())
    if not pairs:
        raise KnowledgeBaseMissingError(
            "The knowledge base has no labelled questions to learn intents from: run `curbside ingest` first."
        )
    fingerprint = hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
    path = settings.data_dir / INTENT_MODEL_FILE
    if path.exists() and (store.get_blob("intent-model.fingerprint") or b"").decode() == fingerprint:
        try:
            return IntentClassifier.load(path)
        except (ValueError, OSError, EOFError) as error:
            log.warning("retraining intent model: %s", error)
    model = train_intent_classifier(pairs)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    store.put_blob("intent-model.fingerprint", fingerprint.encode())
    return model


def build_understanding(settings: Settings, store: Store) -> QuestionUnderstanding:
    """Drug recogniser from its package, conditions from the KB's documents + ICD-10-CM."""
    documents = store.documents()
    if not documents:
        raise KnowledgeBaseMissingError("The knowledge base is empty: run `curbside ingest` first.")
    conditions = ConditionRecognizer.from_corpus_documents(documents)
    return QuestionUnderstanding(DrugRecognizer.from_package(), conditions, intent_classifier(settings, store))


def build_checks(settings: Settings, store: Store, embedder: Embedder, drugs: DrugRecognizer) -> tuple[Any, Any]:
    """Verifier and safety screen, configured from settings."""
    from curbside.safety.atc_classes import AtcClassIndex, CombinedResolver
    from curbside.safety.screen import SafetyScreen
    from curbside.verification.verifier import Verifier, VerifierSettings

    gate = VerifierSettings(
        gate_min_supported=settings.gate.min_supported_share,
        gate_requires_bottom_line=settings.gate.bottom_line_must_be_supported,
        unsupported_policy="remove" if settings.llm_unsupported == "remove" else "mark",
    )
    verifier = Verifier(embedder, gate)
    resolver = CombinedResolver(drugs, AtcClassIndex.from_store(store))
    return verifier, SafetyScreen(store, resolver)
