"""A writer describing their own part in everyday words leans towards that style's topic."""

import pytest

from bot.style_cues import ANXIOUS, AVOIDANT, FEARFUL, StyleCues


@pytest.fixture(scope="module")
def cues() -> StyleCues:
    return StyleCues.load()


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("If he doesn't text back within an hour I spiral and send five more messages", ANXIOUS),
        ("I'm so clingy with my girlfriend and I hate it", ANXIOUS),
        ("I’m terrified he’ll find someone better than me", ANXIOUS),
        ("I need constant reassurance that she still loves me", ANXIOUS),
        # fighting one's own jealousy, or consumed by a partner (letters of the spent blind sets)
        ("Therapy helped me control my jealousy for a while but it always comes back", ANXIOUS),
        ("I started to be clingy and possessive and I hate who I've become", ANXIOUS),
        ("I'm completely obsessed with my boyfriend", ANXIOUS),
        ("Whenever I'm not with my girlfriend I feel anxious and can't focus", ANXIOUS),
        ("As soon as things get serious I pull away and go cold", AVOIDANT),
        ("I feel suffocated when a partner wants to see me every day", AVOIDANT),
        ("I don't open up to anyone, not even my husband", AVOIDANT),
        # feeling little where others feel a lot (letters of the spent blind sets)
        ("We've been apart for weeks and honestly I don't miss him at all", AVOIDANT),
        ("Everyone at the airport was crying. I didn't cry, I wasn't even sad", AVOIDANT),
        ("I'm 30 and I've never fallen in love with anyone", AVOIDANT),
        ("My therapist says I keep everyone at arm's length", AVOIDANT),
        ("I have a huge need for personal space and alone-time", AVOIDANT),
        ("I tend to get bored with men so quickly", AVOIDANT),
        ("I want love so badly but as soon as someone gets close I push them away", FEARFUL),
        ("I'm needy and jealous, then I get scared and pull away", FEARFUL),
        ("I always self-sabotage my relationships", FEARFUL),
    ],
)
def test_a_described_pattern_leans_towards_its_style(cues, text, style):
    scores = cues.scores(text)
    assert max(scores, key=scores.get) == style


@pytest.mark.parametrize(
    "text",
    [
        "My boyfriend pulls away whenever I need him",  # his pattern: the partners topic's
        "She gets jealous when I go out with friends",
        "He keeps everyone at arm's length, even me",
        "My girlfriend is obsessed with her phone",
        "I miss him so much since he moved away",
        "What is an internal working model?",
        "Can attachment styles change in adulthood?",
    ],
)
def test_someone_elses_pattern_or_a_plain_question_leans_nowhere(cues, text):
    assert cues.scores(text) == {}


@pytest.mark.parametrize(
    ("text", "style"),
    [
        # without the cues, meaning alone ranks the fearful style first for both
        (
            "What if he finds someone prettier than me? I know he loves me but I can't stop worrying. "
            "How do I stop?",
            ANXIOUS,
        ),
        (
            "I like a guy until he's really into me, then I lose all interest and go cold. "
            "Should I worry about this?",
            AVOIDANT,
        ),
    ],
)
def test_a_writer_describing_their_pattern_gets_that_styles_topic_first(reader, text, style):
    assert reader.read(text).topics[0][0] == style


def test_a_question_about_a_partner_is_answered_by_the_partners_pattern_not_the_writers(reader):
    # the writer's own jealousy would lean to the anxious topic; the question is about her
    text = (
        "I'm so jealous and clingy, I know. But my girlfriend has gone cold and won't talk about it. "
        "Why does she shut down like this?"
    )
    reading = reader.read(text)
    assert reading.kind == "partner" and reading.topics[0][0] == AVOIDANT
