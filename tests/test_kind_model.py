"""The learnt reading of the kind of answer a letter wants (bot/kind_model.py)."""

from __future__ import annotations

import numpy as np

from bot.kind_model import LETTERS_DIR, KindModel, features, spent_letter_sets

# Asks "is this me?" without the words the rules know: they fell back to "what is it?".
UNSURE_OF_OWN_STYLE = (
    "I always assumed I was just independent. I hate people relying on me, I feel suffocated when a "
    "girlfriend wants to talk every day, and I never cry. A friend said I sound avoidant. I honestly "
    "cannot tell."
)


def test_a_letter_that_asks_in_its_own_words_gets_the_kind_it_wants(reader):
    assert reader.read(UNSURE_OF_OWN_STYLE).kind == "is-this-me"


def test_a_short_textbook_question_keeps_the_rules_kind(reader):
    # the model, shown letters only, read this one as "is this me?"
    assert reader.read("how does the model of self affect self esteem").kind == "what"
    assert reader.read("how do I stop being so clingy with my boyfriend?").kind == "what-to-do"


def test_the_model_learns_from_each_listed_set_once():
    listed = [path.name for path in spent_letter_sets()]
    assert listed and all((LETTERS_DIR / name).exists() for name in listed)
    assert len(set(listed)) == len(listed)


def test_saved_weights_read_back_as_the_same_model(tmp_path):
    rng = np.random.default_rng(0)
    asking, whole = rng.normal(size=(40, 384)), rng.normal(size=(40, 384))
    kinds = ["partner" if row[0] > 0 else "child" for row in asking]
    rows = features(asking, whole, ["what"] * 40)
    model = KindModel.train(rows, kinds)
    loaded = KindModel.load(model.save(tmp_path / "model.npz"))
    assert list(loaded.predict(rows)) == list(model.predict(rows))
    assert loaded.kind("partner", asking[0], whole[0], words=5) == "partner"  # short: the rules decide
    assert loaded.kind("take-test", asking[0], whole[0], words=60) == "take-test"
