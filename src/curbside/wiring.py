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
from curbside.understanding.intent import CueOnlyIntentClassifier, IntentClassifier, train_intent_classifier
from curbside.understanding.spelling import SpellingCorrector
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
    drugs = DrugRecognizer.from_package()
    spelling = SpellingCorrector.from_vocabularies([drugs.vocabulary(), conditions.vocabulary()])
    return QuestionUnderstanding(drugs, conditions, intent_classifier(settings, store), spelling)


def verifier_settings(settings: Settings) -> Any:
    """The verifier's thresholds and publish gate, from Settings."""
    from curbside.verification.verifier import VerifierSettings

    return VerifierSettings(
        gate_min_supported=settings.gate.min_supported_share,
        gate_requires_bottom_line=settings.gate.bottom_line_must_be_supported,
        unsupported_policy="remove" if settings.llm_unsupported == "remove" else "mark",
    )


def audit_understanding(settings: Settings) -> QuestionUnderstanding:
    """Understanding for audit mode: the knowledge base's when it exists; otherwise drugs and
    ICD-10-CM conditions only, with an intent model that has nothing to learn from (audit
    only needs condition, drug and population from the question)."""
    from curbside.knowledge.build import open_store

    if settings.database_path.exists():
        store = open_store(settings)
        try:
            return build_understanding(settings, store)
        except KnowledgeBaseMissingError:
            pass
        finally:
            store.close()
    return QuestionUnderstanding(DrugRecognizer.from_package(), ConditionRecognizer([]), CueOnlyIntentClassifier())


def build_checks(settings: Settings, store: Store, embedder: Embedder, drugs: DrugRecognizer) -> tuple[Any, Any]:
    """Verifier and safety screen, configured from settings."""
    from curbside.safety.atc_classes import AtcClassIndex, CombinedResolver
    from curbside.safety.screen import SafetyScreen
    from curbside.safety.source_classes import SourceClassResolver
    from curbside.verification.verifier import Verifier

    verifier = Verifier(embedder, verifier_settings(settings))
    resolver = SourceClassResolver(CombinedResolver(drugs, AtcClassIndex.from_store(store)))
    return verifier, SafetyScreen(store, resolver)
