"""Our numpy MiniLM gives the same sentence embeddings as sentence-transformers does with PyTorch.

tests/data/minilm_reference.npz holds sentence-transformers 6.2.0's vectors (torch 2.13 on the
CPU) for these texts from the same weights; we cannot install PyTorch beside Rasa, so the
reference is stored.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.embedding import MATRIX_VECTOR_ROWS, Encoder, model_dir, shared_encoder
from tests.servers import ROOT


def test_our_vectors_match_sentence_transformers_on_awkward_texts():
    """In a batch (the index, built at setup) and one at a time, as messages come: a short one
    takes the matrix-vector path, a long one the matrix-matrix path."""
    reference = np.load(ROOT / "tests" / "data" / "minilm_reference.npz")
    texts = [str(text) for text in reference["texts"]]
    one_at_a_time = np.vstack([shared_encoder().encode([text]) for text in texts])
    for ours in (shared_encoder().encode(texts), one_at_a_time):
        cosines = (ours * reference["vectors"]).sum(axis=1)
        assert cosines.min() > 0.9999
    lengths = [len(shared_encoder().tokenizer.encode(text)) for text in texts]
    assert min(lengths) <= MATRIX_VECTOR_ROWS < max(lengths)  # both paths are checked


def test_texts_of_any_length_get_unit_vectors_one_per_text():
    vectors = shared_encoder().encode_many(["", "a", "word " * 1000, "a question about attachment?"] * 3)
    assert vectors.shape == (12, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_weights_that_are_not_the_checked_release_are_refused(tmp_path):
    for name in ("vocab.txt", "model.safetensors"):
        (tmp_path / name).write_bytes((model_dir() / name).read_bytes()[: 1 << 16])
    with pytest.raises(ValueError, match="not the all-MiniLM-L6-v2 release"):
        Encoder.load(tmp_path)  # its SHA-256 is not WEIGHTS_SHA256
