"""The intent classifier (bot/intent_model.py) and its Rasa component, config.yml's in DIET's place.

Someone who edits the NLU data and trains must get a bot that still tells
a greeting from a question about a style, and a model file must never run code when it loads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import skops.io
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.preprocessing import FunctionTransformer

from bot.content import nlu_examples
from bot.embedding import shared_encoder
from bot.intent_model import IntentModel, features
from bot.rasa_ext.intent_classifier import IntentClassifier
from bot.rasa_ext.reader import VECTOR_KEY

ROOT = Path(__file__).resolve().parent.parent
# phrasings of our own, in none of the training files
UNSEEN = {
    "explain_style_anxious": "i keep checking my phone in case she replied and panic when she hasn't",
    "explain_therapy": "could seeing a counsellor change the way i attach to people",
    "greet": "hey hey, good evening",
}


def _examples() -> tuple[list[str], list[str]]:
    texts, intents = [], []
    for intent, path in (
        ("explain_style_anxious", "nlu/topics/style-anxious.yml"),
        ("explain_therapy", "nlu/topics/therapy.yml"),
        ("greet", "nlu/conversation.yml"),
    ):
        found = nlu_examples(ROOT / path, intent)
        texts += found
        intents += [intent] * len(found)
    return texts, intents


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts, intents = _examples()
    return IntentModel.train(texts, intents, shared_encoder().encode_many(texts))


def _best(model: IntentModel, text: str) -> tuple[str, float]:
    [ranking] = model.rankings([text], shared_encoder().encode([text]))
    return ranking[0]


def test_unseen_phrasings_get_their_intent_most_likely_first(model):
    for intent, text in UNSEEN.items():
        [ranking] = model.rankings([text], shared_encoder().encode([text]))
        assert ranking[0][0] == intent, (text, ranking)
        assert [confidence for _, confidence in ranking] == sorted(
            (confidence for _, confidence in ranking), reverse=True
        )
        assert sum(confidence for _, confidence in ranking) == pytest.approx(1.0)


def test_probabilities_come_out_as_scikit_learn_computes_them(model):
    """The shortcut in IntentModel.rankings must give predict_proba's numbers, odd texts included."""
    texts = [*UNSEEN.values(), "", "   ", "?!", "zzqxj", "🪢 tonight", "Я не хочу жить", "HELLO HELLO hello"]
    vectors = shared_encoder().encode_many(texts)
    stacked = features(model._words, model._characters, texts, vectors, model._settings.embedding_weight)
    expected = model._classifier.predict_proba(stacked)
    for text, ranking, row in zip(texts, model.rankings(texts, vectors), expected, strict=True):
        by_name = dict(zip(model.intents, row, strict=True))
        assert [confidence for _, confidence in ranking] == pytest.approx(
            [by_name[name] for name, _ in ranking], abs=1e-12
        ), text


def test_a_saved_model_reads_the_same_after_loading(model, tmp_path):
    model.save(tmp_path / "model.skops")
    loaded = IntentModel.load(tmp_path / "model.skops")
    for text in UNSEEN.values():
        assert _best(loaded, text) == pytest.approx(_best(model, text))


def test_a_model_file_that_would_run_code_is_refused(tmp_path):
    path = tmp_path / "model.skops"
    skops.io.dump({"words": FunctionTransformer(os.system)}, path)
    with pytest.raises(ValueError, match="types we never save"):
        IntentModel.load(path)


def test_the_component_trains_stores_and_classifies_with_one_embedding(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), node_name="intent_classifier")
    texts, intents = _examples()
    component = IntentClassifier.create({}, storage, resource, context)
    component.train(
        TrainingData([Message(data={TEXT: t, INTENT: i}) for t, i in zip(texts, intents, strict=True)])
    )

    loaded = IntentClassifier.load({}, storage, resource, context)
    message = Message(data={TEXT: UNSEEN["explain_therapy"]})
    loaded.process([message])
    assert message.get(INTENT)["name"] == "explain_therapy"
    assert len(message.get(INTENT_RANKING_KEY)) == 3  # every intent known, at most ten
    assert message.get(VECTOR_KEY).shape == (384,)  # the Reader and the crisis check reuse it


def test_the_diet_config_differs_from_the_default_only_in_the_intent_classifier():
    def split(name: str) -> tuple[list[str], dict]:
        config = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        names = [step["name"] for step in config["pipeline"]]
        before = names[: names.index("FallbackClassifier")]
        config["pipeline"] = config["pipeline"][len(before) :]
        return before, config

    default_classifier, default_rest = split("config.yml")
    diet_classifier, diet_rest = split("config-diet.yml")
    assert default_classifier == ["bot.rasa_ext.intent_classifier.IntentClassifier"]
    assert "DIETClassifier" in diet_classifier
    assert diet_rest == default_rest
