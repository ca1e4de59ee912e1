"""The Embedder contract, run on every embedder: hashing always; the two real models as ``slow``.

Each real model is loaded once per session (MiniLM through the shared ``minilm`` fixture in
tests/conftest.py). The ONNX model is built into a session temporary directory, so the tests
never read or write the user's ``~/.cache``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from curbside.knowledge.embedding import Embedder, HashingEmbedder, create_embedder
from curbside.knowledge.onnx_embedding import OnnxMiniLmEmbedder

TEXTS = [
    "crushing chest pain radiating to the left arm",
    "fever",
    "How should amoxicillin be dosed for acute otitis media in a two year old child?",
    "",
    "Metformin is contraindicated when the eGFR is below 30 mL/min/1.73 m2. " * 6,  # beyond the window
    "β-blockers après infarctus du myocarde",  # non-ASCII
]

# Varied medical sentences, short to beyond the 64-token window, for the ONNX-vs-MiniLM check.
MEDICAL = [
    "chest pain",
    "shortness of breath on exertion",
    "What is the first-line treatment for uncomplicated hypertension?",
    "Is ibuprofen safe in the third trimester of pregnancy?",
    "sore throat and fever in a teenager",
    "How long should anticoagulation continue after a provoked pulmonary embolism?",
    "Signs of sepsis in an infant under three months include poor feeding, lethargy and temperature "
    "instability; any fever in this age group warrants urgent assessment.",
    "HbA1c target for older adults with frailty",
    "Statins reduce cardiovascular events in adults aged 40 to 75 with a 10-year risk of 10% or more.",
    "Screen adults aged 50 to 75 for colorectal cancer.",
    "Which vaccines are recommended for adults over 65?",
    "Warfarin interacts with many antibiotics, notably ciprofloxacin, clarithromycin and "
    "trimethoprim-sulfamethoxazole, which raise the INR and the risk of bleeding.",
    "migraine prophylaxis options",
    "What dose of vitamin D is recommended for breastfed infants?",
    "A 67-year-old man presents with sudden painless loss of vision in one eye. Fundoscopy shows a "
    "cherry-red spot at the macula. The most likely diagnosis is central retinal artery occlusion, "
    "an ophthalmic emergency that needs same-day stroke work-up.",
    "lithium toxicity symptoms",
    "Asthma exacerbation: give inhaled short-acting beta-agonists and systemic corticosteroids early.",
    "Can children take aspirin?",
    "Depression screening in adolescents aged 12 to 18 years is recommended when systems are in place.",
    "tick bite prophylaxis doxycycline",
    "Hyperkalaemia with ECG changes requires intravenous calcium to stabilise the myocardium.",
    "How is gout managed during an acute flare in a patient with chronic kidney disease?",
    "urinary tract infection in pregnancy treatment",
    "The recommended starting dose of levothyroxine in elderly patients with ischaemic heart disease "
    "is 12.5 to 25 micrograms daily, increased slowly while monitoring TSH every six to eight weeks, "
    "because rapid replacement can provoke angina or arrhythmia.",
    "Kawasaki disease",
    "When should a child with a head injury have a CT scan?",
    "Opioid overdose reverses with naloxone; repeat doses may be needed for long-acting opioids.",
    "folic acid before conception",
    "What are the red flags for back pain?",
    "Bisphosphonates reduce hip fracture risk in postmenopausal women with osteoporosis.",
    "COPD exacerbation antibiotics indications",
    "Atrial fibrillation: assess stroke risk with CHA2DS2-VASc and bleeding risk before anticoagulating.",
]

# (query, paraphrase, unrelated): the paraphrase must score higher than the unrelated sentence.
SEMANTIC = [
    ("heart attack symptoms", "signs of a myocardial infarction", "how to treat athlete's foot"),
    ("high blood pressure medication", "drugs for hypertension", "vaccination schedule for infants"),
    ("child has a fever", "paediatric pyrexia", "knee replacement rehabilitation"),
]


@pytest.fixture(scope="session")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> OnnxMiniLmEmbedder:
    embedder = OnnxMiniLmEmbedder(cache_dir=Path(tmp_path_factory.mktemp("onnx-cache")))
    embedder.load()  # builds the model once for the whole session
    return embedder


@pytest.fixture(
    params=[
        "hashing",
        pytest.param("minilm", marks=pytest.mark.slow),
        pytest.param("onnx", marks=pytest.mark.slow),
    ]
)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param == "hashing":
        return HashingEmbedder()
    # Session fixtures: each real model is loaded once, whichever test asks first.
    fixture = "minilm" if request.param == "minilm" else "onnx_embedder"
    return request.getfixturevalue(fixture)


def tolerance(embedder: Embedder) -> float:
    """How far one-by-one embeddings may drift from batched ones (1 - cosine)."""
    return 1e-5 if isinstance(embedder, HashingEmbedder) else 1e-3


def test_it_satisfies_the_protocol(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.name and embedder.dim > 0


def test_shape_and_dtype(embedder: Embedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dim)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()


def test_rows_are_unit_length(embedder: Embedder) -> None:
    norms = np.linalg.norm(embedder.embed([t for t in TEXTS if t]), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_empty_input(embedder: Embedder) -> None:
    vectors = embedder.embed([])
    assert vectors.shape == (0, embedder.dim)
    assert vectors.dtype == np.float32


def test_deterministic(embedder: Embedder) -> None:
    np.testing.assert_array_equal(embedder.embed(TEXTS), embedder.embed(TEXTS))


def test_batching_and_order_do_not_change_a_vector(embedder: Embedder) -> None:
    batched = embedder.embed(TEXTS)
    one_by_one = np.vstack([embedder.embed([text]) for text in TEXTS])
    reversed_batch = embedder.embed(TEXTS[::-1])[::-1]
    limit = tolerance(embedder)
    if isinstance(embedder, HashingEmbedder):
        np.testing.assert_allclose(batched, one_by_one, atol=limit)
        np.testing.assert_allclose(batched, reversed_batch, atol=limit)
    else:
        assert (1.0 - (batched * one_by_one).sum(axis=1)).max() <= limit
        assert (1.0 - (batched * reversed_batch).sum(axis=1)).max() <= limit


def test_create_embedder_knows_every_embedder() -> None:
    assert isinstance(create_embedder("hashing"), HashingEmbedder)
    onnx = create_embedder("onnx")
    assert isinstance(onnx, OnnxMiniLmEmbedder)  # constructing it loads nothing
    assert onnx.name == "all-MiniLM-L6-v2-onnx-int8@64"
    with pytest.raises(ValueError, match="unknown embedder"):
        create_embedder("nope")


@pytest.mark.slow
@pytest.mark.parametrize("model", ["minilm", "onnx_embedder"])
def test_a_paraphrase_is_closer_than_an_unrelated_sentence(model: str, request: pytest.FixtureRequest) -> None:
    embedder: Embedder = request.getfixturevalue(model)
    for query, paraphrase, unrelated in SEMANTIC:
        q, p, u = embedder.embed([query, paraphrase, unrelated])
        assert float(q @ p) > float(q @ u) + 0.1, (query, float(q @ p), float(q @ u))


@pytest.mark.slow
def test_onnx_agrees_with_sentence_transformers(minilm: Embedder, onnx_embedder: OnnxMiniLmEmbedder) -> None:
    assert minilm.dim == onnx_embedder.dim
    cosines = (minilm.embed(MEDICAL) * onnx_embedder.embed(MEDICAL)).sum(axis=1)
    assert float(cosines.mean()) >= 0.98, cosines
    assert float(cosines.min()) >= 0.95, cosines


@pytest.mark.slow
def test_onnx_model_is_cached_and_reused(onnx_embedder: OnnxMiniLmEmbedder) -> None:
    path = onnx_embedder.model_path
    assert path.is_file()
    # Only the finished model is left behind: the build's temporary directory is gone.
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    again = OnnxMiniLmEmbedder(cache_dir=path.parent)
    mtime = path.stat().st_mtime_ns
    np.testing.assert_array_equal(again.embed(TEXTS), onnx_embedder.embed(TEXTS))
    assert path.stat().st_mtime_ns == mtime  # loaded, not rebuilt
