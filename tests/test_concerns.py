"""Control or abuse by someone close, told apart from the worries and habits that sound like it."""

from __future__ import annotations

import dataclasses

import pytest

from bot.concerns import ConcernFinder
from bot.embedding import shared_encoder
from bot.help_lines import CrisisResources
from bot.reading import Reading


@pytest.fixture(scope="module")
def finder() -> ConcernFinder:
    """The patterns and the classifier `make setup` built, as the Reader uses them."""
    return ConcernFinder.load()


def found(finder: ConcernFinder, text: str) -> bool:
    return finder.found(text, shared_encoder().encode([text])[0])


@pytest.mark.parametrize(
    "text",
    [
        "My husband forbade me from seeing her unless our kids were with me",
        "she has been trying to find ways to track my cell phone",
        "She also has been trying to find ways to track my cell phone or track my text messages",
        "my boyfriend won't let me see my friends, is that his avoidant attachment?",
        "I'm scared of my husband when he drinks",
        "he took my bank card and gives me an allowance",
        "my girlfriend keeps threatening to hurt me if I leave",
        "He gets jealous about any time I spend with my friends",
        "he cut me off from my family after we married",
        "he is always accusing me of being interested in every man I talk to",
        "My wife keeps accusing me of cheating whenever I come home late",
        "every time I see him he checks all my messages and my calls",
        "he deleted all the phone numbers from my phone",
        "he started telling me not to talk to my friends",
        # found after blind set 5
        "my stepmom would scream, throw things, lock me out and sometimes slap me",
        "the welts from his latest punishment are still there",
        # found after blind set 6
        "he's always checking my phone and my social media",
        "she keeps going through my messages when I'm asleep",
        # found after blind set 10 (our wordings)
        "I'm not allowed to see some of my friends because he doesn't like them",
        "my girlfriend is so possessive, is that anxious attachment?",
        # found on spent blind set 22 of real questions, inside a long letter about his childhood
        # (our wording)
        "My husband was raised in care after his mother died, and he refuses to talk about any of it. "
        "I've done a lot of reading on attachment and trauma. He calls me names when he's stressed and "
        "then won't speak for a day. How can I help him understand his avoidant style?",
    ],
)
def test_control_or_abuse_done_to_the_writer_is_noticed(finder, text):
    assert found(finder, text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm scared of him leaving me",
        "I checked my phone and he still hadn't texted back",
        "i go through his phone when he sleeps, is that anxious attachment?",
        "he hit me up last night after months of silence",
        "my mom pushed me to apply for college",
        "my 2 year old screams and hits me when I pick her up from daycare",
        "my partner checks in with me a lot during the day",
        "i'm afraid of my boyfriend pulling away when things get serious",
        "he says I'm always accusing him of lying, am I the anxious one?",
        "she accused me of flirting once at a party and we talked it through",
        "my mum told me not to talk to strangers when I was little",
        "I deleted all his numbers after we broke up",
        "he's always checking his phone when we're out",
        "am I too controlling with my boyfriend?",
        "my 3 year old calls me stupid when I say no to sweets",
        "my friends call me names like shorty and I love it",
    ],
)
def test_worries_and_the_writers_own_habits_are_not_taken_for_abuse(finder, text):
    assert not found(finder, text)


@pytest.mark.parametrize(
    "text",
    [
        "he makes me show him my receipts every evening and says I'm useless with money",
        "whenever I disagree with my husband he says no one else would put up with me and I'm crazy",
        "my partner reads all my emails and if I change my password he screams until I give it to him",
    ],
)
def test_the_classifier_notices_what_no_pattern_words(finder, text):
    """Written for this test, in none of the training data: the many ways people tell of
    control that no list of patterns foresees."""
    assert not found(ConcernFinder.load(model=None), text)
    assert found(finder, text)


def test_a_concern_gets_a_plain_word_and_the_abuse_lines_before_the_answer(tutor):
    reading = Reading(kind="partner", concern=True, topics=[("partners", 0.9)], nearest=0.8, confident=True)
    text = tutor.answer(reading).reply.text
    word, services = text.index("not an attachment style"), text.index("1-800-799-7233")
    assert word < services < text.index("**Attachment patterns between partners")
    assert "0800 027 1234" in text and "0808 802 1414" in text


def test_after_the_crisis_help_lines_the_answer_does_not_repeat_them(tutor):
    topics = [("partners", 0.9)]
    reading = Reading(kind="partner", is_question=True, concern=True, topics=topics, nearest=0.8)
    answer = tutor.answer_beside_help(reading)
    assert answer is not None and "1-800-799-7233" not in answer.reply.text


def test_after_the_help_lines_a_letter_gets_its_closest_answer_but_a_short_question_no_guess(tutor):
    close_call = [("model-of-others", 0.55), ("therapy", 0.5)]
    letter = Reading(kind="what-to-do", is_question=True, topics=close_call, nearest=0.6, words=120)
    answer = tutor.answer_beside_help(letter)
    assert answer is not None and answer.via == "choice"
    assert "things to try" in answer.reply.text
    short = dataclasses.replace(letter, words=9)
    assert tutor.answer_beside_help(short) is None
    outside = dataclasses.replace(letter, topics=[("therapy", 0.2)], nearest=0.1)
    assert tutor.answer_beside_help(outside) is None
    assert tutor.answer_beside_help(dataclasses.replace(outside, words=9, confident=True)) is None


def test_a_deployment_file_without_concern_lines_falls_back_to_its_own_services(tmp_path):
    local = tmp_path / "resources.yml"
    local.write_text(
        "intro: Help.\ncheck_in: Are you okay?\nclosing: Bye.\n"
        "resources:\n  - {region: Australia, text: 'Lifeline 13 11 14'}\n"
    )
    resources = CrisisResources.load(local)
    message = resources.concern_message()
    assert "Lifeline 13 11 14" in message and "Are you okay?" in message
