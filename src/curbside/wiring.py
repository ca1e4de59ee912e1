"""Build the stages that need the knowledge base to exist (understanding, verifier, safety).

Kept apart from ``pipeline.py`` so the orchestrator stays about order, and this module
about construction: which vocabulary, which trained model, which settings.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from curbside.knowledge.ingest import EMBEDDER_BLOB
from curbside.protocols import BlobStore, Embedder, SafetyCheck, Store, Verifier
from curbside.retrieval.related import ConceptIndex, build_concept_index
from curbside.settings import Settings
from curbside.startup_cache import code_fingerprint, load_or_build
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.intent import CueOnlyIntentClassifier, IntentClassifier, train_intent_classifier
from curbside.understanding.spelling import SpellingCorrector
from curbside.understanding.understand import QuestionUnderstanding
from curbside.verification.verifier import VerifierSettings

log = logging.getLogger("curbside.wiring")
INTENT_MODEL_FILE = "intent-model.joblib"
UNDERSTANDING_CACHE_FILE = "understanding.cache"
RELATED_CACHE_FILE = "related-concepts.cache"
# What the cached understanding is built from besides the knowledge base.
_UNDERSTANDING_CODE = (Path(__file__).parent / "understanding", Path(__file__).parent / "domain")
_RELATED_CODE = (Path(__file__).parent / "retrieval", Path(__file__).parent / "domain")
_UNDERSTANDING_PACKAGES = ("drug-named-entity-recognition", "simple-icd-10-cm", "wordfreq", "scikit-learn", "rapidfuzz")


class KnowledgeBaseMissingError(RuntimeError):
    """The knowledge base is empty: run `curbside ingest` (or `make run`) first."""


class EmbedderMismatchError(KnowledgeBaseMissingError):
    """The knowledge base's vectors come from another embedder than the configured one: ranking
    a query against them would be meaningless."""


def check_embedder(store: BlobStore, embedder: Embedder, setting: str) -> None:
    """Refuse to search ``store`` with ``embedder`` unless the store was embedded by it.

    Raises:
        EmbedderMismatchError: naming both models and how to fix it.
    """
    recorded = store.get_blob(EMBEDDER_BLOB)
    if recorded is not None and recorded.decode() != embedder.name:
        raise EmbedderMismatchError(
            f"The knowledge base was embedded with {recorded.decode()!r}, but the configured embedder "
            f"(CURBSIDE_EMBEDDER={setting}) is {embedder.name!r}. Re-embed it with "
            f"`curbside --embedder {setting} ingest --reembed`, or set CURBSIDE_EMBEDDER back to the "
            "embedder that built it."
        )


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
        except Exception as error:  # any unreadable cache (truncated, foreign pickle) is rebuilt
            log.warning("retraining intent model: %s", type(error).__name__)
    model = train_intent_classifier(pairs)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    store.put_blob("intent-model.fingerprint", fingerprint.encode())
    return model


def _units_digest(store: Store) -> hashlib._Hash:
    units = store.unit_hashes()
    if not units:
        raise KnowledgeBaseMissingError("The knowledge base is empty: run `curbside ingest` first.")
    return hashlib.sha256(repr(sorted(units.items())).encode())


def build_understanding(settings: Settings, store: Store) -> QuestionUnderstanding:
    """Question understanding for this knowledge base, from the start-up cache beside the
    database when it was built from the same units by the same code (see ``startup_cache``)."""
    digest = _units_digest(store)
    digest.update(code_fingerprint(_UNDERSTANDING_CODE, _UNDERSTANDING_PACKAGES).encode())
    path = settings.data_dir / UNDERSTANDING_CACHE_FILE
    return load_or_build(path, digest.hexdigest(), lambda: build_understanding_uncached(settings, store))


def build_related_concepts(settings: Settings, store: Store) -> ConceptIndex:
    """The related-question concept index, from the start-up cache like understanding's."""
    digest = _units_digest(store)
    digest.update(code_fingerprint(_RELATED_CODE, ()).encode())
    path = settings.data_dir / RELATED_CACHE_FILE
    return load_or_build(path, digest.hexdigest(), lambda: build_concept_index(store))


def build_understanding_uncached(settings: Settings, store: Store) -> QuestionUnderstanding:
    """Drug recogniser from its package, conditions from the KB's documents + ICD-10-CM."""
    documents = store.documents()
    if not documents:
        raise KnowledgeBaseMissingError("The knowledge base is empty: run `curbside ingest` first.")
    conditions = ConditionRecognizer.from_corpus_documents(documents)
    drugs = DrugRecognizer.from_package()
    spelling = SpellingCorrector.from_vocabularies([drugs.vocabulary(), conditions.vocabulary()])
    return QuestionUnderstanding(drugs, conditions, intent_classifier(settings, store), spelling)


def verifier_settings(settings: Settings) -> VerifierSettings:
    """The verifier's thresholds and publish gate, from Settings."""

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


def build_checks(
    settings: Settings, store: Store, embedder: Embedder, drugs: DrugRecognizer
) -> tuple[Verifier, SafetyCheck]:
    """Verifier and safety screen, configured from settings."""
    from curbside.safety.atc_classes import AtcClassIndex, CombinedResolver
    from curbside.safety.screen import SafetyScreen
    from curbside.safety.source_classes import SourceClassResolver
    from curbside.verification.verifier import Verifier

    verifier = Verifier(embedder, verifier_settings(settings))
    resolver = SourceClassResolver(CombinedResolver(drugs, AtcClassIndex.from_store(store)))
    return verifier, SafetyScreen(store, resolver)
