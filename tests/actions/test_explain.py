"""The custom actions, run as the action server would run them, with no server."""

from __future__ import annotations

import asyncio
import functools

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.explain import (
    ActionAnswerBesideHelp,
    ActionAnswerStrayRating,
    ActionCompareConcepts,
    ActionExplainDuringAssessment,
    ActionExplainTopic,
    ActionFollowUp,
    ActionShowTopics,
)
from bot.tutor import ACKNOWLEDGEMENT
from tests.actions.conftest import tracker


@pytest.fixture
def track(reader):
    """Trackers whose latest message was read by the NLU pipeline's Reader, as on the server."""
    return functools.partial(make_tracker, reader)


def make_tracker(
    reader,
    text: str,
    intent: str,
    slots: dict | None = None,
    confidence: float = 0.9,
    ranking: list | None = None,
) -> Tracker:
    intent_ranking = [{"name": intent, "confidence": confidence}, *(ranking or [])]
    reading = reader.read(text, {item["name"]: item["confidence"] for item in intent_ranking}, intent)
    return Tracker.from_dict(
        {
            "sender_id": "test-user",
            "slots": {"topic": None, "sections_shown": None, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "intent_ranking": intent_ranking,
                "reading": reading.as_dict(),
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, tracker: Tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def test_a_classified_question_gets_the_topic_summary_and_sets_the_topic(library, track):
    messages, events = run(ActionExplainTopic(), track("what is secure attachment", "explain_style_secure"))
    assert library.get("style-secure").summary in messages[0]["text"]
    assert SlotSet("topic", "style-secure") in events
    payloads = [button["payload"] for button in messages[0]["buttons"]]
    assert "/more_detail" in payloads and "/ask_example" in payloads


def test_a_confident_classification_is_not_overruled_by_a_passing_word(library, track):
    text = "how does therapy change the model of others"
    messages, events = run(ActionExplainTopic(), track(text, "explain_therapy", confidence=0.95))
    assert messages[0]["text"].startswith(f"**{library.get('therapy').title}**")
    assert SlotSet("topic", "therapy") in events


def test_an_unsure_classification_is_settled_by_the_content(library, track):
    text = "the infant categories from ainsworth's lab study"
    ranking = [
        {"name": "explain_iwm_history", "confidence": 0.31},
        {"name": "explain_strange_situation", "confidence": 0.29},
    ]
    messages, events = run(ActionExplainTopic(), track(text, "nlu_fallback", confidence=0.5, ranking=ranking))
    assert library.get("strange-situation").summary in messages[0]["text"]
    assert SlotSet("topic", "strange-situation") in events


def test_an_unsure_question_is_answered_from_retrieval(library, track):
    text = "the strange situation experiment with the mother leaving the room"
    messages, events = run(ActionExplainTopic(), track(text, "nlu_fallback", confidence=0.2))
    assert library.get("strange-situation").summary in messages[0]["text"]
    assert SlotSet("topic", "strange-situation") in events


def test_gibberish_gets_an_honest_answer_and_the_menu_without_touching_the_topic(library, track):
    messages, events = run(
        ActionExplainTopic(), track("qwzx plorf vrumble", "nlu_fallback", {"topic": "therapy"})
    )
    assert "not sure I understood" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == len(library)
    assert events == []


def test_tell_me_more_goes_one_level_deeper_each_time(library, track):
    topic = library.get("style-avoidant")
    shown: list[str] = []
    for section in topic.sections:  # every section of the topic, in order
        messages, events = run(
            ActionFollowUp(),
            track("tell me more", "more_detail", {"topic": topic.id, "sections_shown": shown}),
        )
        assert topic.sections[section].split("\n")[0] in messages[0]["text"]
        shown = [*shown, section]
        assert events == [SlotSet("sections_shown", shown)]
    messages, events = run(
        ActionFollowUp(), track("more", "more_detail", {"topic": topic.id, "sections_shown": shown})
    )
    assert "everything I have" in messages[0]["text"] and topic.sources[0] in messages[0]["text"]


def test_example_and_why_use_the_topic_explained_last(library, track):
    topic = library.get("earned-security")
    messages, _ = run(ActionFollowUp(), track("example?", "ask_example", {"topic": topic.id}))
    assert topic.sections["Example"].split("\n")[0] in messages[0]["text"]
    messages, _ = run(ActionFollowUp(), track("why?", "ask_why", {"topic": topic.id}))
    assert topic.sections["Why it matters"].split("\n")[0] in messages[0]["text"]


def test_a_follow_up_without_a_topic_offers_the_menu(track):
    messages, events = run(ActionFollowUp(), track("tell me more", "more_detail"))
    assert "Which topic" in messages[0]["text"] and messages[0]["buttons"]
    assert events == []


def test_a_question_worded_like_a_follow_up_with_nothing_explained_yet_is_answered(library, track):
    # a real parent's message (tests/data/real_questions_dev.yml, rq-004); nothing was explained before
    text = (
        "Is it that he's chosen a favourite? Am I doing something wrong? He is just a better parent "
        "than me? Do other parents have this same thing going on?"
    )
    messages, events = run(ActionFollowUp(), track(text, "follow_up"))
    assert "Which topic" not in messages[0]["text"]
    assert SlotSet("topic", "parenting-young-children") in events


def test_a_story_told_with_feelings_is_acknowledged_and_answered(library, track):
    # rq-003 of the development set: no question mark, but a parent wants to understand
    text = (
        "Today I was outside with her and she got hurt. She was fine, but then she acted mad at me and "
        "wouldn't let me comfort her - just wanted dad. It crushed me. I try so hard to be present and "
        "loving, but right now it feels like I'm not the parent she wants."
    )
    messages, events = run(ActionExplainTopic(), track(text, "share_feelings"))
    assert messages[0].get("response") != "utter_share_feelings"
    assert messages[0]["text"].startswith(ACKNOWLEDGEMENT)
    assert SlotSet("topic", "parenting-young-children") in events
    short = "we broke up on saturday and i havent stopped crying since"
    assert (
        run(ActionExplainTopic(), track(short, "share_feelings"))[0][0]["response"] == "utter_share_feelings"
    )


def test_comparing_anxious_and_avoidant_contrasts_both_models(library, track):
    text = "whats the difference between anxious and avoidant"
    messages, events = run(ActionCompareConcepts(), track(text, "compare_concepts"))
    reply = messages[0]["text"]
    assert library.get("style-anxious").summary in reply and library.get("style-avoidant").summary in reply
    assert "model of self" in reply and "model of others" in reply
    assert SlotSet("topic", "style-avoidant") in events


def test_comparing_with_that_uses_the_current_topic(library, track):
    messages, _events = run(
        ActionCompareConcepts(),
        track("how is that different from secure?", "compare_concepts", {"topic": "style-fearful"}),
    )
    assert library.get("style-fearful").title in messages[0]["text"]
    assert library.get("style-secure").title in messages[0]["text"]
    assert "Both go with" not in messages[0]["text"]  # secure and fearful differ on both models


def test_a_comparison_without_two_concepts_asks_which_ones(track):
    messages, events = run(ActionCompareConcepts(), track("compare them", "compare_concepts"))
    assert "Which two ideas" in messages[0]["text"]
    assert events == []


def test_the_menu_lists_every_topic_as_a_button(library, track):
    messages, _ = run(ActionShowTopics(), track("topics", "list_topics"))
    payloads = {button["payload"] for button in messages[0]["buttons"]}
    assert payloads == {f"/{topic.intent}" for topic in library}


def test_a_topic_question_that_is_really_a_comparison_gets_the_comparison(library, track):
    text = "whats the difference between saying IWMs are stable and saying attachment theory is deterministic"
    ranking = [{"name": "compare_concepts", "confidence": 0.24}]
    messages, events = run(
        ActionExplainTopic(), track(text, "explain_determinism", confidence=0.65, ranking=ranking)
    )
    assert library.get("stability").summary in messages[0]["text"]
    assert library.get("determinism").summary in messages[0]["text"]
    assert SlotSet("topic", "determinism") in events


def test_a_clear_concept_question_mid_questionnaire_is_answered_a_vague_reply_is_not(library):
    def ask(text: str, confidence: float) -> str:
        dispatcher = CollectingDispatcher()
        latest = tracker({}, text, "explain_style_avoidant")
        latest.latest_message["intent"]["confidence"] = confidence
        latest.latest_message["intent_ranking"] = [
            {"name": "explain_style_avoidant", "confidence": confidence}
        ]
        asyncio.run(ActionExplainDuringAssessment().run(dispatcher, latest, {}))
        return dispatcher.messages[0]["text"]

    assert library.get("style-avoidant").summary in ask("what does dismissive avoidant mean?", 0.97)
    assert "couldn't tell" in ask("hmm it depends", 0.45)


def test_after_help_lines_a_clear_question_is_answered_and_a_plain_cry_for_help_is_not(track):
    question = "My dad hit us when I was little. Can my attachment style still change as an adult?"
    messages, events = run(ActionAnswerBesideHelp(), track(question, "crisis_possible", confidence=1.0))
    assert len(messages) == 1 and "change" in messages[0]["text"].lower()
    assert not messages[0]["text"].startswith("That sounds really hard")  # the help already said it
    assert any(event["event"] == "slot" and event["name"] == "topic" for event in events)
    for text in ("I can't take this anymore", "what's the point of anything?"):
        assert run(ActionAnswerBesideHelp(), track(text, "crisis", confidence=1.0)) == ([], [])


def test_a_rating_with_no_questionnaire_says_so_but_a_long_message_holding_dates_is_answered(library, track):
    messages, events = run(ActionAnswerStrayRating(), track("maybe a 5", "rate_statement"))
    assert messages == [{**messages[0], "response": "utter_no_questionnaire"}] and events == []

    letter = (
        "When I read your columns on attachment theory [3/2/2019 4/07/2019] I realized the avoidant "
        "style fits my boyfriend exactly. How can I help him open up to me?"
    )
    messages, events = run(ActionAnswerStrayRating(), track(letter, "rate_statement"))
    assert "questionnaire running" not in messages[0].get("text", "")
    assert "partner" in messages[0]["text"].lower()
    assert any(event.get("name") == "topic" and event.get("value") for event in events)


def test_feelings_about_a_controlling_partner_get_the_abuse_lines_not_only_sympathy(track):
    text = "my husband tracks my phone and won't let me see my friends and I feel so trapped"
    messages, _ = run(ActionExplainTopic(), track(text, "share_feelings"))
    assert messages[0].get("response") != "utter_share_feelings"
    assert "not an attachment style" in messages[0]["text"] and "1-800-799-7233" in messages[0]["text"]
