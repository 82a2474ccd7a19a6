"""The Rasa-free core of explanations: retrieval, concept spotting, comparisons."""

from __future__ import annotations

import pytest

from bot.nlp import RELATIONSHIP_LABEL, content_lemmas


@pytest.mark.parametrize(
    ("question", "topic_id"),
    [
        ("mary ainsworth's lab procedure where the mother leaves and comes back", "strange-situation"),
        ("adult attachment interview versus questionnaires like the ECR", "measurement"),
        ("earned security after a hard childhood", "earned-security"),
        ("is attachment about temperament or culture", "temperament-culture"),
    ],
)
def test_retrieval_finds_the_topic_of_a_plain_question(tutor, question, topic_id):
    match = tutor.resolve(question)
    assert match is not None and match.topic_id == topic_id


@pytest.mark.parametrize("question", ["qwzx plorf", "how do I cook pasta", "", "!!!", "🙂🙂"])
def test_retrieval_admits_when_nothing_fits(tutor, question):
    assert tutor.resolve(question) is None


def test_lemmas_ignore_stop_words_and_punctuation(nlp):
    assert content_lemmas(nlp, "Why are the children avoiding their parents?") == ["child", "avoid", "parent"]


def test_concepts_are_spotted_in_order_with_their_topic_ids(tutor):
    assert tutor.concepts_in("Dismissive-avoidant vs anxious preoccupied?") == [
        "style-avoidant",
        "style-anxious",
    ]
    assert tutor.concepts_in("what's the difference between EARNED SECURITY and secure") == [
        "earned-security",
        "style-secure",
    ]


def test_relationship_words_are_tagged(nlp):
    labels = {(ent.text, ent.label_, ent.ent_id_) for ent in nlp("my boyfriend and my mum").ents}
    assert labels == {("boyfriend", RELATIONSHIP_LABEL, "partner"), ("mum", RELATIONSHIP_LABEL, "parent")}


def test_comparison_ignores_the_umbrella_concept_when_two_specific_ones_are_named(tutor):
    _, topic_ids = tutor.compare("is an IWM that is stable the same as determinism?", None)
    assert topic_ids == ["stability", "determinism"]


def test_comparing_two_styles_that_share_a_model_says_so(tutor):
    reply, _ = tutor.compare("secure vs avoidant", None)
    assert "Both go with a positive model of self" in reply.text
    assert "They differ in the model of others" in reply.text


def test_non_style_comparisons_show_both_summaries(tutor, library):
    reply, topic_ids = tutor.compare("therapy or earned security?", None)
    assert topic_ids == ["therapy", "earned-security"]
    assert all(library.get(topic_id).summary in reply.text for topic_id in topic_ids)
    assert "model of self" not in reply.text


def test_asking_for_a_contrast_gets_the_comparison_even_if_the_classifier_picked_one_topic(tutor, library):
    question = "whats the difference between saying IWMs are stable and saying attachment is deterministic"
    reply, _ = tutor.answer(question, {"explain_determinism": 0.65, "compare_concepts": 0.09}, True)
    stability, determinism = library.get("stability").title, library.get("determinism").title
    assert reply.text.startswith(f"**{stability}** and **{determinism}**")
    plain, topic_id = tutor.answer("is attachment theory deterministic?", {"explain_determinism": 0.9}, True)
    assert topic_id == "determinism" and plain.text.startswith(f"**{determinism}**\n")
