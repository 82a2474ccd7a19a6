"""The Rasa-free core of explanations: reading a message (kind, topic, bank) and composing the answer."""

from __future__ import annotations

import dataclasses

import pytest

from bot.content import (
    SECTION_DEPTH,
    SECTION_EXAMPLE,
    SECTION_PARENTS,
    SECTION_PARTNER,
    SECTION_SIGNS,
    SECTION_TRY,
    SECTION_WHY,
)
from bot.nlp import RELATIONSHIP_LABEL, content_lemmas
from bot.reading import Reading
from bot.tutor import ACKNOWLEDGEMENT, QUIZ_BUTTON, SELF_CHECK


@pytest.mark.parametrize(
    ("question", "topic_id"),
    [
        ("mary ainsworth's lab procedure where the mother leaves and comes back", "strange-situation"),
        ("adult attachment interview versus questionnaires like the ECR", "measurement"),
        ("earned security after a hard childhood", "earned-security"),
        ("is attachment about temperament or culture", "temperament-culture"),
    ],
)
def test_retrieval_finds_the_topic_of_a_plain_question(reader, question, topic_id):
    assert reader.read(question).topics[0][0] == topic_id


@pytest.mark.parametrize("question", ["qwzx plorf", "how do I cook pasta", "!!!", "🙂🙂"])
def test_a_message_about_nothing_the_bot_covers_is_read_as_far_from_everything(reader, tutor, question):
    answer = tutor.answer(reader.read(question))
    assert answer.topic_id is None and answer.via == "outside"


def test_lemmas_ignore_stop_words_and_punctuation(nlp):
    assert content_lemmas(nlp, "Why are the children avoiding their parents?") == ["child", "avoid", "parent"]


def test_concepts_are_spotted_in_order_with_their_topic_ids(reader):
    assert reader.read("Dismissive-avoidant vs anxious preoccupied?").concepts == [
        "style-avoidant",
        "style-anxious",
    ]
    assert reader.read("what's the difference between EARNED SECURITY and secure").concepts == [
        "earned-security",
        "style-secure",
    ]


def test_relationship_words_are_tagged(nlp):
    labels = {(ent.text, ent.label_, ent.ent_id_) for ent in nlp("my boyfriend and my mum").ents}
    assert labels == {("boyfriend", RELATIONSHIP_LABEL, "partner"), ("mum", RELATIONSHIP_LABEL, "parent")}


def test_comparison_ignores_the_umbrella_concept_when_two_specific_ones_are_named(reader, tutor):
    _, topic_ids = tutor.compare(
        reader.read("is an IWM that is stable the same as determinism?").concepts, None
    )
    assert topic_ids == ["stability", "determinism"]


@pytest.mark.parametrize(
    ("message", "compare"),
    [
        ("How does anxious attachment differ from avoidant attachment?", True),
        ("secure vs avoidant", True),
        # "different" in the story, or not comparing anything, asks for no comparison (spent blind set 12)
        ("Ainsworth described three different styles and Main added a fourth. I have read papers on "
         "anxiety and avoidance in adults. How do those two scales relate to the styles?", False),
        ("Describe evidence that working models carry attachment over into different times of life.", False),
    ],
)  # fmt: skip
def test_only_the_asking_sentence_asks_for_a_comparison(reader, message, compare):
    assert reader.read(message).compare is compare


def test_comparing_two_styles_that_share_a_model_says_so(reader, tutor):
    reply, _ = tutor.compare(reader.read("secure vs avoidant").concepts, None)
    assert "Both go with a positive model of self" in reply.text
    assert "They differ in the model of others" in reply.text


def test_non_style_comparisons_show_both_summaries(reader, tutor, library):
    reply, topic_ids = tutor.compare(reader.read("therapy or earned security?").concepts, None)
    assert topic_ids == ["therapy", "earned-security"]
    assert all(library.get(topic_id).summary in reply.text for topic_id in topic_ids)
    assert "model of self" not in reply.text


def test_asking_for_a_contrast_gets_the_comparison_even_if_the_classifier_picked_one_topic(
    reader, tutor, library
):
    question = "whats the difference between saying IWMs are stable and saying attachment is deterministic"
    ranking = {"explain_determinism": 0.65, "compare_concepts": 0.09}
    answer = tutor.answer(reader.read(question, ranking, "explain_determinism"))
    stability, determinism = library.get("stability").title, library.get("determinism").title
    assert answer.reply.text.startswith(f"**{stability}** and **{determinism}**")
    plain = tutor.answer(reader.read("is attachment theory deterministic?", {"explain_determinism": 0.9},
                                     "explain_determinism"))  # fmt: skip
    assert plain.topic_id == "determinism" and plain.reply.text.startswith(f"**{determinism}**\n")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("what is a secure base", "what"),
        ("can you give me an example of avoidant attachment", "example"),
        ("why does my attachment style matter", "why-matters"),
        ("why is the internal working model concept important in psychology?", "why-matters"),
        ("why do I always fall for people who are taken?", "why"),
        ("I'm so clingy with my boyfriend. how do I stop?", "what-to-do"),
        ("Am I anxiously attached? I panic when he doesn't text back.", "is-this-me"),
        ("my girlfriend pulls away whenever we get close, how can i help her feel safe with me", "partner"),
        (
            "My wife says I smother her, and she's right. How can I stop being so afraid she'll leave me?",
            "what-to-do",
        ),
        ("He's been distant for a week and I'm freaking out. How can I make him love me?", "what-to-do"),
        ("my 2 year old screams at daycare drop-off every morning", "child"),
        ("We adopted our son at 6 and he still won't let us hug him. Will it get better?", "child"),
        # an adult speaking of their own childhood is asking for themselves, not as a parent
        ("I was taken into foster care when I was a child. Why do I push everyone away?", "why"),
        ("I was adopted as a baby by kind parents. Why am I so scared of rejection?", "why"),
        ("I'm 15 and my mom hugs my little brother but never me. What can I do?", "what-to-do"),
        # a child mentioned in passing does not make a question about a marriage a parent's question
        ("We have a 3-year-old son. She has been distant lately. How can I help my wife open up?", "partner"),
        ("My husband and I foster a 4 year old. How do we help him settle?", "child"),
        # ...nor does a message more about a partner than about the child it mentions
        (
            "I'm not nice to my husband (or my son, sometimes). My husband is patient. Why do I lash out?",
            "why",
        ),
        ("My 5-month-old cries whenever his dad holds him. My husband is crushed. What can we do?", "child"),
        # a story that asks nothing is not about the husband of its closing sentences
        (
            "My two-year-old has tantrums unless daddy does her bath. She says she doesn't love mommy. "
            "My husband tries to make room for me. He says it is just a phase.",
            "child",
        ),
        # the asker is the subject: the answer is for them, not "if it's your partner"
        ("My boyfriend says I'm too needy and he's pulling away. What can I do?", "what-to-do"),
        ("I find it so hard to trust him even though he's done nothing wrong. How do I stop?", "what-to-do"),
        ("My husband died in May and I still talk to him at night. Is anything wrong with me?", "is-this-me"),
        ("I get anxiety when he travels. Should I talk to my partner about the fears I have?", "what-to-do"),
        # a bare "what can I do?" after a story about the partner asks about the partner...
        (
            "My husband won't hug me unless I ask. He says he loves me but never shows it. So what do I do?",
            "partner",
        ),
        # spent blind set 10: a partner named "my man", a story ending "how should I deal with this?"
        (
            "He is jealous and clingy. I love my man but the way he acts might end us, what should I do?",
            "partner",
        ),
        (
            "My husband never says how he feels about me, even when I ask. How should I deal with this?",
            "partner",
        ),
        # ...unless the story is the asker's own, or a breakup they are getting over
        ("I get so jealous when my girlfriend goes out with friends. What should I do?", "what-to-do"),
        ("My boyfriend sulks when I go out and reads my texts. What should I do? Is that love?", "partner"),
        # an adult adopted as a baby, or married after a pregnancy, is not asking as a parent
        (
            "I was adopted when two weeks old and I always expect people to leave. Is that common?",
            "is-this-me",
        ),
        (
            "We married because she got pregnant. Now my wife won't talk to me and our marriage is dead. "
            "Should I leave her?",
            "partner",
        ),
        (
            "Since we broke up I can't get him out of my head. My boyfriend was my world. What can I do?",
            "what-to-do",
        ),
        (
            "I have trust issues and blow up when my fiance texts his ex. Please help me stop ruining this.",
            "what-to-do",
        ),
        (
            "I definitely have trust issues with my boyfriend. I ruined my last relationship. What can I do?",
            "what-to-do",
        ),
        ("I freak out whenever he travels for work. What's wrong with me?", "is-this-me"),
        ("I feel relieved when my dates cancel. Does anyone else feel this way?", "is-this-me"),
        ("I lose interest once someone likes me back. Is this something I should worry about?", "is-this-me"),
        ("When a guy gets serious I pull away. I think I have a problem. Please help me.", "is-this-me"),
        ("I hope I'm not the only one scared of dating for no reason at all.", "is-this-me"),
        ("He's away all week for work. Do other wives of truckers feel the same way I do?", "is-this-me"),
        ("Is homesickness normal for a 37-year-old? My parents are on a cruise.", "is-this-me"),
        # a girlfriend called "my girl"; asking a partner to change (found on spent blind set 12)
        ("When my girl and I go out she swears women look at me. How do I get her to trust me?", "partner"),
        ("My boyfriend expects me to cook and clean like my dad did. Can I ask him to change?", "partner"),
        ("Abby, when is it OK to say this isn't working?", "what"),
        ("Can my attachment style change at 40?", "can-change"),
        ("My parents never showed love. What if I’m never able to trust anyone?", "can-change"),
        ("Is there still hope for someone like me?", "can-change"),
        ("My parents were cold. Is there hope for me?", "can-change"),
        ("Should I just accept that I'll always be the one who gets left?", "can-change"),
        ("can you test my attachment style?", "take-test"),
        # a grown child, or a parent asking about their own parents, is no question about a young child
        ("Our 30-year-old son won't speak to us. What can we do to bring our son back?", "what-to-do"),
        (
            "I'm a mother of a 2 year old. My mom left when I was little. "
            "Where do I start healing from that?",
            "what-to-do",
        ),
        (
            "I have my own children now, but my mother still can't stand me. Please help me help myself?",
            "what-to-do",
        ),
        ("How can a person build self-esteem after a cold childhood?", "what-to-do"),
        # the writer's own single mom, a friend known since kindergarten: no parent's question
        ("My mom is a single mom and calls me all day. How do I show her I'm an adult?", "what-to-do"),
        ("My friend, known since kindergarten, has a boyfriend now. Will I always be alone?", "can-change"),
        # the writer's own part ("I don't want to be like that") or the partner's feelings
        ("My husband goes out a lot. I don't want to be like that with him. Please help me", "what-to-do"),
        ("We've dated for a month. How do I tell if his feelings for me are real?", "partner"),
        ("My husband shuts down when his mother calls. What can I do to help?", "partner"),
        # can it change, why, or advice about a partner, in other words (found on spent real letters)
        ("I have pushed away everyone who got close. I turned 41 this year. Am I too old to change?",
         "can-change"),
        ("Everyone leaves eventually, so I leave first. Is there any cure for this?", "can-change"),
        ("I still replay every argument. Do the what-ifs ever stop?", "can-change"),
        ("I panic whenever my girlfriend is out late. Where did this come from?", "why"),
        ("I never hug anyone, even my friends. Could my upbringing have anything to do with it?", "why"),
        ("My boyfriend has gone quiet for weeks and only talks about work. Any advice?", "partner"),
        # ...but "any suggestions?" after a parent's story stays the parent's question
        ("Our 3-year-old screams when my husband puts her to bed. Any suggestions?", "child"),
    ],
)  # fmt: skip
def test_the_kind_of_answer_wanted_is_told_apart_from_the_concept(reader, message, kind):
    assert reader.read(message).kind == kind


def test_every_kind_of_question_gets_its_own_part_of_the_topic(tutor):
    avoidant = [("style-avoidant", 1.5)]
    for kind, section in [("what-to-do", SECTION_TRY), ("is-this-me", SECTION_SIGNS),
                          ("partner", SECTION_PARTNER), ("child", SECTION_PARENTS)]:  # fmt: skip
        answer = tutor.answer(Reading(kind=kind, confident=True, topics=avoidant, nearest=0.8))
        assert answer.section == section and answer.topic_id == "style-avoidant", kind
    signs = tutor.answer(Reading(kind="is-this-me", confident=True, topics=avoidant, nearest=0.8))
    assert "Take the questionnaire" in [button.title for button in signs.reply.buttons]


def test_why_it_happens_gets_what_lies_behind_the_pattern_and_why_it_matters_its_own_part(tutor):
    anxious = [("style-anxious", 1.5)]
    behind = tutor.answer(Reading(kind="why", confident=True, topics=anxious, nearest=0.8))
    assert behind.section == SECTION_DEPTH and "hyperactivating" in behind.reply.text
    matters = tutor.answer(Reading(kind="why-matters", confident=True, topics=anxious, nearest=0.8))
    assert matters.section == SECTION_WHY


def test_a_kind_the_topic_has_no_section_for_goes_to_the_topic_that_covers_it(tutor):
    answer = tutor.answer(Reading(kind="child", confident=True, topics=[("iwm-history", 1.5)], nearest=0.8))
    assert (answer.topic_id, answer.section) == ("parenting-young-children", SECTION_PARENTS)


def test_a_personal_question_goes_to_a_close_topic_about_life_rather_than_the_science(tutor):
    topics = [("multiple-models", 1.0), ("partners", 0.75), ("style-anxious", 0.35)]
    answer = tutor.answer(Reading(kind="what-to-do", confident=True, topics=topics, nearest=0.8))
    assert (answer.topic_id, answer.section) == ("partners", SECTION_TRY)
    definition = tutor.answer(Reading(kind="what", confident=True, topics=topics, nearest=0.8))
    assert definition.topic_id == "multiple-models"


def test_is_this_me_gets_signs_from_a_close_topic_when_the_closest_has_none(tutor):
    topics = [("therapy", 0.9), ("style-anxious", 0.6)]
    answer = tutor.answer(Reading(kind="is-this-me", confident=True, topics=topics, nearest=0.8))
    assert (answer.topic_id, answer.section) == ("style-anxious", SECTION_SIGNS)
    assert "not a diagnosis" in answer.reply.text
    assert "Take the questionnaire" in [button.title for button in answer.reply.buttons]


def test_a_long_message_is_answered_by_its_question_with_its_feelings_acknowledged(reader, tutor):
    message = (
        "My son is 14 months old and has been at daycare since 9 months. For the past weeks he cries every "
        "time I hand him over and it crushes me. I feel like a terrible mother. Is this normal, and what "
        "can I do to make drop-off easier for him?"
    )
    reading = reader.read(message)
    answer = tutor.answer(reading)
    assert reading.kind == "child" and reading.feelings and reading.is_question
    assert answer.via == "question" and answer.question.kind == "child"
    assert "goodbye" in answer.reply.text  # what to do at drop-off, not a definition
    assert answer.reply.text.startswith("That sounds really hard")


@pytest.mark.parametrize(
    ("message", "feelings"),
    [
        ("I'm confused about how I feel since he left. Why do I still miss him?", True),
        ("I have read papers that use attachment anxiety and avoidance. I am confused as to how these "
         "terms fit with the styles. Is this another classification?", False),
    ],
)  # fmt: skip
def test_puzzling_over_ideas_is_not_a_feeling_to_acknowledge(reader, message, feelings):
    assert reader.read(message).feelings is feelings


def test_a_specific_question_the_bank_knows_gets_its_own_answer(reader, tutor, library):
    answer = tutor.answer(reader.read("Does daycare harm my baby's attachment?"))
    assert answer.via == "question" and answer.question.topic_id == "parenting-young-children"
    assert answer.question.answer in answer.reply.text and "Source:" in answer.reply.text


def test_a_bank_entry_of_a_topic_far_behind_the_best_must_be_nearly_the_same_question(tutor):
    # "negative model of others examples": the interplay entry is close in meaning, but the
    # message is clearly about the model of others, which has its own example
    topics = [("model-of-others", 1.51), ("self-other-interplay", 0.45), ("model-of-self", 0.33)]
    reading = Reading(kind="example", topics=topics, nearest=0.8, bank=[("interplay-examples", 0.77, 0.74)])
    answer = tutor.answer(reading)
    assert (answer.topic_id, answer.section) == ("model-of-others", SECTION_EXAMPLE)
    near_twin = dataclasses.replace(reading, bank=[("interplay-examples", 0.88, 0.74)])
    assert tutor.answer(near_twin).question.id == "interplay-examples"


def test_when_no_topic_leads_a_very_close_entry_of_a_topic_the_letter_touches_answers(tutor):
    # a long letter about a partner who left and a daughter who will not speak to her father
    topics = [("partners", 0.6), ("breakups-loss", 0.55), ("model-of-self", 0.5), ("finding-help", 0.2)]
    letter = Reading(
        kind="what-to-do", topics=topics, nearest=0.6, words=120,
        bank=[("finding-estranged-adult-child", 0.66, 0.3)],
    )  # fmt: skip
    assert tutor.answer(letter).question.id == "finding-estranged-adult-child"
    looser = dataclasses.replace(letter, bank=[("finding-estranged-adult-child", 0.62, 0.3)])
    assert tutor.answer(looser).question is None
    settled = dataclasses.replace(letter, topics=[("partners", 1.2), *topics[1:]])
    assert tutor.answer(settled).question is None


def test_a_parents_question_gets_the_parenting_bank_even_when_an_adult_topic_ranks_first(tutor):
    topics = [("childhood-formation", 1.43), ("parenting-young-children", 0.43)]
    reading = Reading(kind="child", topics=topics, nearest=0.67, bank=[("parenting-spoil-baby", 0.69, 0.49)])
    assert tutor.answer(reading).question.id == "parenting-spoil-baby"


def test_a_parents_words_about_a_young_child_keep_their_parenting_score(tutor):
    # like a letter of spent blind set 17: a fiance and a 4-year-old son, scored as parenting an
    # older child; that topic does not fit a 4-year-old, and without its score nothing was left
    # to answer from: "that's outside what I know about"
    topics = [("parenting-older-children", 0.91), ("breakups-loss", 0.23), ("parenting-young-children", 0.21)]
    reading = Reading(kind="what-to-do", young_child=True, topics=topics, nearest=0.54)
    answer = tutor.answer(reading)
    assert answer.via != "outside" and answer.topic_id == "parenting-young-children"


def test_a_grown_childs_letter_scored_as_parenting_gets_the_closest_entry_not_outside(tutor):
    # like a letter of spent blind set 17: a man of 30 whose father ignores him scores highest on
    # parenting older children, which is not for him; with that topic left out nothing was left
    # to answer from, and the closest entry (from another topic) went unused
    topics = [("parenting-older-children", 1.31), ("determinism", 0.32), ("multiple-models", 0.3)]
    bank = [("adult-keep-trying-with-father", 0.69, 0.72)]
    reading = Reading(kind="partner", topics=topics, bank=bank, nearest=0.54, words=150)
    answer = tutor.answer(reading)
    assert answer.via == "question" and answer.question.id == "adult-keep-trying-with-father"


def test_a_grown_child_whose_letter_scored_as_parenting_gets_an_entry_beside_a_babies_topic(tutor):
    # like a letter of spent blind set 18 (a daughter on a mother who "drives me crazy"): parenting
    # older children led and was left out, the babies' topic stayed in with a weak score, and the
    # reply was "outside what I know" though an entry for grown children fitted
    topics = [("parenting-older-children", 0.7), ("model-of-self", 0.32), ("parenting-young-children", 0.24)]
    bank = [("adult-parent-leans-on-me", 0.62, 0.0)]
    reading = Reading(kind="what-to-do", topics=topics, bank=bank, nearest=0.49, words=130, is_question=True)
    answer = tutor.answer(reading)
    assert answer.via == "question" and answer.question.id == "adult-parent-leans-on-me"


def test_a_close_call_answers_the_closest_and_offers_the_others(tutor):
    reading = Reading(
        kind="what", topics=[("style-anxious", 0.5), ("partners", 0.45), ("therapy", 0.2)], nearest=0.6
    )
    answer = tutor.answer(reading)
    titles = [button.title for button in answer.reply.buttons]
    assert answer.topic_id == "style-anxious" and "Attachment patterns between partners" in titles
    assert answer.reply.text.endswith("Pick it below and I'll answer from there.")


def test_in_a_close_call_the_choice_comes_after_the_question_like_yours(tutor):
    reading = Reading(
        kind="what-to-do", topics=[("style-anxious", 0.5), ("partners", 0.45)],
        bank=[("anxious-reassurance-seeking", 0.57, 0.0)], nearest=0.6, words=40,
    )  # fmt: skip
    text = tutor.answer(reading).reply.text
    assert text.index("A question like yours") < text.index("Is your question closer to one of these?")


@pytest.mark.parametrize(
    ("kind", "topics", "answering"),
    [
        # a worried writer's words pull towards "anxious" while the partner they ask about withdraws
        ("partner", [("style-anxious", 0.7), ("style-avoidant", 0.63), ("partners", 0.52)], "partners"),
        # ...unless one topic clearly leads ("my husband shuts down... is he avoidant?")
        ("partner", [("style-avoidant", 1.4), ("partners", 0.3)], "style-avoidant"),
        # ...even when the topic about partners is far behind: it covers both sides of the cycle
        (
            "partner",
            [("style-anxious", 0.9), ("model-of-self", 0.4), ("stability", 0.3), ("partners", 0.2)],
            "partners",
        ),
        # "can my style change?" between two styles: the topic about change, not one style's guess
        (
            "can-change",
            [("style-fearful", 0.6), ("earned-security", 0.5), ("style-anxious", 0.4)],
            "earned-security",
        ),
        # ...also when the topic about change is nowhere near: a hard childhood, then "can I change?"
        (
            "can-change",
            [("multiple-models", 0.62), ("determinism", 0.48), ("style-fearful", 0.39)],
            "earned-security",
        ),
        # ...but a style that clearly leads answers for itself
        ("can-change", [("style-fearful", 1.2), ("style-anxious", 0.6)], "style-fearful"),
        (
            "child",
            [("childhood-formation", 0.7), ("parenting-young-children", 0.6)],
            "parenting-young-children",
        ),
    ],
)
def test_a_personal_question_near_the_topic_about_its_kind_gets_that_topic(tutor, kind, topics, answering):
    answer = tutor.answer(Reading(kind=kind, topics=topics, nearest=0.6))
    assert answer.topic_id == answering


@pytest.mark.parametrize("topic_id", ["measurement", "style-anxious", "styles-vs-dimensions"])
def test_topics_about_ones_own_style_offer_the_questionnaire_once(tutor, topic_id):
    titles = [button.title for button in tutor.explain(topic_id).buttons]
    assert titles[0] == "Take the questionnaire" and titles.count("Take the questionnaire") == 1
    if SECTION_SIGNS in tutor.library.get(topic_id).sections:
        signs = [button.title for button in tutor.section(topic_id, SECTION_SIGNS, []).buttons]
        assert signs.count("Take the questionnaire") == 1


def test_topics_about_the_science_of_others_do_not_push_the_questionnaire(tutor):
    assert "Take the questionnaire" not in [button.title for button in tutor.explain("iwm-history").buttons]


@pytest.mark.parametrize(
    "message",
    ["I'm dying to know what my attachment style is", "so curious which style i am lol"],
)
def test_eagerness_to_know_ones_style_asks_for_the_questionnaire(reader, message):
    assert reader.read(message).kind == "take-test"


def test_a_general_answer_comes_with_the_closest_specific_question_people_ask(reader, tutor, library):
    # like rq-035 of the development set: grief in general, and the bank's answer on a carer's guilt
    # (read as asking what to do, it gets that answer itself: here it asks what grief is)
    message = (
        "My mom died six months ago and I'm still having a hard time accepting her death. I keep thinking "
        "about what I could or should have done better when she was still alive. Now I feel guilty."
    )
    answer = tutor.answer(dataclasses.replace(reader.read(message), kind="what"))
    assert answer.via in ("section", "summary", "choice") and answer.topic_id == "breakups-loss"
    assert answer.related is not None and "guilt" in answer.related.answer.lower()
    before_it, _ = answer.reply.text.split(f"**A question like yours: {answer.related.asks[0]}**")
    assert before_it.strip() == ACKNOWLEDGEMENT  # only the word for the feelings comes before it
    # the specific answer first (readers marked down replies whose answering part came second),
    # then the topic's general one
    assert (
        answer.related.answer in answer.reply.text
        and len(answer.reply.text) > len(answer.related.answer) + 200
    )


def test_a_disorder_is_not_suggested_beside_an_everyday_worry(reader, tutor, library):
    message = (
        "My son has been in daycare since he was 9 months old. Now he's 14 months old, and for the past "
        "2-3 weeks he cries when I drop him off at daycare. Is this a sign that something is wrong?"
    )
    answer = tutor.answer(reader.read(message))
    shown = [entry.topic_id for entry in _entries_shown(answer)]
    assert not any(library.get(topic_id).clinical for topic_id in shown)


@pytest.mark.parametrize("similarity", [0.58, 0.65])  # beside a topic's answer, or the answer itself
@pytest.mark.parametrize("concern", [False, True])
def test_an_entry_about_threats_is_shown_only_when_the_message_describes_them(tutor, concern, similarity):
    # like rb10-006 (spent blind set 10): "he says our relationship would have to end if I study
    # abroad" had been answered with the entry about a partner who threatens self-harm if you leave
    reading = Reading(
        kind="partner",
        is_question=True,
        concern=concern,
        topics=[("partners", 0.9), ("style-anxious", 0.5)],
        nearest=0.8,
        bank=[
            ("partners-self-harm-threat-if-leave", similarity, 0.0),
            ("partners-support-anxious", 0.56, 0.0),
        ],
    )
    answer = tutor.answer(reading)
    shown = {entry.id for entry in _entries_shown(answer)}
    assert shown and ("partners-self-harm-threat-if-leave" in shown) == concern


def test_is_this_me_answered_from_the_bank_still_gets_the_caveat_and_the_questionnaire(tutor):
    reading = Reading(
        kind="is-this-me",
        is_question=True,
        topics=[("style-anxious", 1.2)],
        nearest=0.8,
        bank=[("anxious-calm-down", 0.95, 0.9)],  # the same question, though it asks what to do
    )
    answer = tutor.answer(reading)
    assert answer.via == "question" and answer.question.id == "anxious-calm-down"
    assert answer.reply.text.endswith(SELF_CHECK) and QUIZ_BUTTON in answer.reply.buttons


def test_is_this_me_gets_one_caveat_with_the_signs_and_none_about_a_baby(tutor):
    signs = tutor.answer(
        Reading(kind="is-this-me", confident=True, topics=[("style-anxious", 1.2)], nearest=0.8)
    )
    assert signs.section == SECTION_SIGNS and SELF_CHECK not in signs.reply.text
    baby = tutor.answer(
        Reading(kind="is-this-me", confident=True, topics=[("parenting-young-children", 1.2)], nearest=0.8)
    )
    assert SELF_CHECK not in baby.reply.text and QUIZ_BUTTON not in baby.reply.buttons


def test_a_message_far_from_every_bank_entry_gets_no_related_question(reader, tutor):
    assert tutor.answer(reader.read("what is an internal working model?")).related is None


@pytest.mark.parametrize(
    "message",
    [
        "My girlfriend says I'm too anxious and clingy, and I can tell she's losing patience with me. "
        "I don't want to lose her. Please help!",
        "I find it so hard to trust my husband even though he has never cheated. I check his phone and "
        "get jealous when he talks to other women. How do I stop?",
    ],
)
def test_someone_describing_their_own_part_gets_no_advice_written_for_their_partner(reader, tutor, message):
    reading = reader.read(message)
    answer = tutor.answer(reading)
    shown = _entries_shown(answer)
    assert reading.about_self and reading.kind != "partner"
    assert [entry.asks[0] for entry in shown if entry.kind == "partner"] == []
    assert "If it's your partner" not in answer.reply.text


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        (
            "Outline the stages of attachment identified by Schaffer and Emerson. (4 marks)",
            "attachment-schaffer-stages",
        ),
        ("Describe Bowlby's phases in the development of attachment.", "attachment-bowlby-phases"),
        ("Outline and evaluate the concept of internal working models. (16 marks)", "iwm-evaluate"),
        ("Evaluate Bowlby's theory of attachment (16 marks)", "history-evaluate-bowlby"),
    ],
)
def test_an_exam_prompt_about_a_named_finding_gets_that_finding(reader, tutor, message, entry_id):
    """A specific fact of any near topic answers when the message is clearly closest to it."""
    answer = tutor.answer(reader.read(message))
    assert answer.question is not None and answer.question.id == entry_id


def test_a_specific_fact_of_a_runner_up_topic_answers_when_the_message_is_clearly_closest_to_it(tutor):
    topics = [("applications", 0.53), ("childhood-formation", 0.32), ("attachment-basics", 0.3)]
    bank = [("attachment-schaffer-stages", 0.76, 0.45), ("attachment-features-of-bond", 0.64, 0.0)]
    answer = tutor.answer(Reading(kind="what", topics=topics, bank=bank, nearest=0.64))
    assert answer.question is not None and answer.question.id == "attachment-schaffer-stages"
    assert tutor.answer(Reading(kind="what", topics=topics, bank=bank, nearest=0.75)).question is None


def test_a_fact_worded_like_the_question_answers_from_any_topic_unless_a_topic_example_is_closer(tutor):
    # "what is monotropy?": far from every topic example, and the history topic not even touched
    topics = [("iwm-definition", 0.33), ("style-anxious", 0.22)]
    bank = [("history-monotropy", 0.82, 0.7)]
    answer = tutor.answer(Reading(kind="what", topics=topics, bank=bank, nearest=0.24))
    assert answer.question is not None and answer.question.id == "history-monotropy"
    # "what does monotropy involve?" (blind set 8 had been told it was outside the bot's scope)
    involve = Reading(
        kind="what", topics=[("therapy", 0.5)], bank=[("history-monotropy", 0.76, 0.498)], nearest=0.32
    )
    assert tutor.answer(involve).question.id == "history-monotropy"
    # "what is attachment theory?": a topic example is closer than the learning-theory fact
    topics = [("attachment-basics", 0.78), ("iwm-history", 0.47)]
    bank = [("history-learning-theory", 0.85, 0.71)]
    answer = tutor.answer(Reading(kind="what", topics=topics, bank=bank, nearest=0.93))
    assert answer.question is None and answer.topic_id == "attachment-basics"
    # from a topic the message does not touch, sharing fewer words is not enough
    topics, bank = [("iwm-definition", 0.33), ("style-anxious", 0.22)], [("history-monotropy", 0.82, 0.3)]
    assert tutor.answer(Reading(kind="what", topics=topics, bank=bank, nearest=0.24)).question is None


def test_a_letter_weak_on_both_topic_and_examples_is_outside_what_the_bot_knows(tutor):
    # a neighbour's barking dog: no topic above 0.4 and no training example within 0.45
    topics = [("partners", 0.37), ("style-fearful", 0.28)]
    dog = Reading(kind="what-to-do", is_question=True, topics=topics, nearest=0.44, words=120)
    answer = tutor.answer(dog)
    assert answer.via == "outside" and answer.reply.text.startswith("That's outside what I know about")
    near_an_example = dataclasses.replace(dog, nearest=0.5)
    assert tutor.answer(near_an_example).via != "outside"


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        (
            "My best friend keeps cancelling our plans and I always have to reach out first. "
            "I feel so hurt and anxious about it. What should I do?",
            "adult-distant-friend",
        ),
        (
            "My friend didn't show up for me after my surgery even though I was always there for her. "
            "Should I pull away?",
            "adult-friend-let-me-down",
        ),
        # friends who only comment on a partner leave the question about the partner
        ("my friends say my boyfriend is using me and I get so anxious when he doesn't text back", None),
    ],
)
def test_a_question_about_a_friend_gets_the_answer_about_friendships(reader, tutor, message, entry):
    answer = tutor.answer(reader.read(message))
    about_friends = answer.question is not None and "friend" in answer.question.id
    assert (answer.question.id if about_friends else None) == entry


@pytest.mark.parametrize(
    "message",
    [
        # like letters of spent blind set 15: a toddler at daycare got an adopted child's answer, and
        # a step-mother bonding with a 10-year-old the answer for a new dad and his baby
        "My 2 1/2 year old son just started day care and cries every single morning and says he hates it "
        "there and hates me for leaving him. How can I make the mornings easier for him?",
        "I recently married a man with a ten-year-old daughter and I'm having a hard time bonding with her. "
        "I really want our relationship to be better. Please help.",
    ],
)
def test_an_answer_about_another_situation_is_not_given(reader, tutor, library, message):
    entries = {question.id: question for question in library.questions}
    reading = reader.read(message)
    assert reading.bank and all(entries[entry_id].fits_situation(message) for entry_id, _, _ in reading.bank)
    answer = tutor.answer(reading)
    shown = answer.question or answer.related
    assert shown is None or shown.fits_situation(message)


def test_a_parents_question_never_gets_an_answer_for_an_adult_about_their_own_childhood(tutor):
    # "does adoption affect children adopted after infancy?" is very close to "I was adopted as a
    # baby, why am I so afraid of rejection?", which speaks to the adoptee, not to the parent
    entry = "childhood-adopted-adult-rejection"
    topics = [("childhood-formation", 0.8), ("parenting-young-children", 0.5)]
    bank = [(entry, 0.8, 0.3)]
    by_a_parent = tutor.answer(Reading(kind="child", is_question=True, topics=topics, bank=bank, words=40))
    by_an_adoptee = tutor.answer(Reading(kind="why", is_question=True, topics=topics, bank=bank, words=40))
    assert by_a_parent.question is None and by_an_adoptee.question.id == entry


@pytest.mark.parametrize(
    ("message", "older"),
    [
        (
            "My 16-year-old son refuses to talk to me for days after every argument. How should I handle it?",
            True,
        ),
        ("Our 7 year old clings to me and won't go to his dad's at handover. What do I do?", True),
        ("my teenage daughter says she hates me, is our bond broken?", True),
        ("my 2 year old cries every morning at daycare drop off, what can I do?", False),
        ("My daughter is now 8 months old and screams when I leave the room. Is that normal?", False),
        ("my 7 yr old is fine but our adopted 4 year old pushes me away, how do I help him?", False),
        # ages told another way (found on spent blind sets 12 and 13)
        ("My son is scared whenever we're apart. He's 10 years old. What can I do?", True),
        ("We adopted our son seven years ago and he is twelve now. He wants to go back. Any advice?", True),
        ("My son will be 16 soon and he never talks to me anymore. Any suggestions?", True),
        # ages in words, a baby sister beside an older child, an age now past (spent blind set 15)
        ("I married a man with a ten-year old daughter and I can't bond with her. Please help.", True),
        (
            "My eight-year-old cries at every weekend away since she was two years old and now shares a "
            "room with her baby sister. How can I help her?",
            True,
        ),
    ],
)
def test_a_teenagers_parent_never_gets_the_answers_written_for_babies_and_toddlers(
    reader, tutor, message, older
):
    reading = reader.read(message)
    assert reading.kind == "child" and reading.older_child == older
    if older:
        answer = tutor.answer(reading)
        shown = [entry.topic_id for entry in _entries_shown(answer)]
        assert answer.via != "outside" and answer.topic_id is not None
        assert "parenting-young-children" not in [answer.topic_id, *shown]


@pytest.mark.parametrize("childless", [False, True])
def test_a_letter_that_names_no_child_never_gets_the_answers_for_babies(reader, tutor, childless):
    # like rb10-014 of spent blind set 10 ("...crying each night... someone to hold me at night"):
    # its nearest examples in meaning were about babies' sleep, so that topic scored best
    message = (
        "We've been together three years and he won't touch me anymore. I lie awake crying each night "
        "and I just want someone to hold me. Do I stay and hope it changes, or do I leave?"
    )
    assert reader.read(message).childless
    assert not reader.read("does the ferber method harm attachment?").childless
    topics = [("parenting-young-children", 0.52), ("partners", 0.32), ("style-anxious", 0.24)]
    reading = Reading(
        kind="what", is_question=True, childless=childless, topics=topics, nearest=0.6, words=40
    )
    assert (tutor.answer(reading).topic_id == "parenting-young-children") != childless


@pytest.mark.parametrize(
    "message",
    [
        "My 16-year-old son refuses to talk to me for days after every argument. How should I handle it?",
        "my adult daughter has cut contact with me and I don't know why. what can I do?",
        "I have a 7-year-old stepson and I need advice on how to bond with him",
        "my 17 year old is leaving for college and we've grown so distant, any suggestions?",
        # a teenager, a son gone to college, a grown son with his name, no age in figures (our
        # wordings of letters in spent blind set 18, which got "outside what I know")
        "How do I stay close to my teenager when he just shuts me out? I feel useless.",
        "We raised a lovely son who has just gone off to college and the house is so quiet. How often "
        "should I call him without smothering him?",
        "My son, Tom, is 35 and we were always close, but lately he hardly calls. Why would he pull away?",
    ],
)
def test_a_parent_of_an_older_child_gets_the_answers_for_older_children(reader, tutor, message):
    answer = tutor.answer(reader.read(message))
    topics = [answer.topic_id] + [entry.topic_id for entry in _entries_shown(answer)]
    assert "parenting-older-children" in topics
    assert "parenting-young-children" not in topics


@pytest.mark.parametrize(
    "message",
    [
        "my 2 year old cries every morning at daycare drop off, what can I do?",
        "My son is 12 months old and so clingy, he screams when I leave the room. Is that normal?",
        "My daughter is four and a half now. She used to love visitors but now hides from them. Why?",
        "My mother still runs my life even though I'm almost 30. How do I start making my own decisions?",
        "We've been dating 3 years and she's wonderful with our son, but she won't talk about marriage. "
        "What should I do?",
    ],
)
def test_only_the_parent_of_a_child_past_the_toddler_years_gets_the_answers_for_older_children(
    reader, tutor, message
):
    answer = tutor.answer(reader.read(message))
    topics = [answer.topic_id] + [entry.topic_id for entry in _entries_shown(answer)]
    assert "parenting-older-children" not in topics


def _entries_shown(answer) -> list:
    """The bank entries a reply shows: the one that answers, and the related one beside it."""
    return [entry for entry in (answer.question, answer.related) if entry]


@pytest.mark.parametrize(
    ("message", "not_written_for"),
    [
        # like letters of spent blind set 19: a sister's silence was answered with an entry written
        # for partners, a widowed mother's loneliness (told by her son) from the babies' topic
        (
            "My older brother stopped talking to me after an argument about money. I keep reaching out "
            "and he never answers. How do I get through to him?",
            {"partners"},
        ),
        (
            "My sister and I argued badly last spring and said awful things. Now she ignores every text "
            "I send. What can I do to reach her?",
            {"partners"},
        ),
        (
            "My mother keeps criticising everything I do and I feel like a child again whenever I visit. "
            "What should I do?",
            {"parenting-young-children", "parenting-older-children"},
        ),
    ],
)
def test_a_letter_about_someone_close_gets_no_answer_written_for_another_relationship(
    reader, tutor, message, not_written_for
):
    answer = tutor.answer(reader.read(message))
    assert answer.topic_id not in not_written_for
    assert all(entry.topic_id not in not_written_for for entry in _entries_shown(answer))


@pytest.mark.parametrize(
    ("message", "relationships"),
    [
        ("My girlfriend and my sister can't stand each other. What should I do?", ["partner", "sibling"]),
        ("my mum thinks my boyfriend is too distant with me, is he avoidant?", ["parent", "partner"]),
        ("Since we got divorced my ex only texts about the kids. How do I let go?", ["partner"]),
        ("Our 3-year-old screams when my mother babysits. Is that normal?", ["child", "parent"]),
        ("My therapist is going on leave and I'm panicking. Why?", ["therapist"]),
        ("Why do I push people away when they get close?", []),
    ],
)
def test_the_close_relationships_a_letter_names_are_read(reader, message, relationships):
    assert reader.read(message).relationships == relationships


def test_a_bank_entry_about_one_relationship_is_no_answer_to_a_letter_about_another(tutor):
    # an entry written for partners, to a letter naming a sister and no partner: not given; to a
    # letter naming both, or nobody at all, given
    entry = "partners-refuses-to-talk"
    letter = {"kind": "what-to-do", "topics": [("adult-relationships", 0.8), ("partners", 0.6)], "words": 30}

    def answered(relationships: list[str]) -> str | None:
        shown = _entries_shown(_answer_to(tutor, relationships, bank=[(entry, 0.9, 0.6)], **letter))
        return shown[0].id if shown else None

    assert answered(["sibling"]) != entry
    assert answered(["partner", "sibling"]) == entry
    assert answered([]) == entry


def test_a_letter_no_topic_fits_gets_a_close_entry_about_the_very_relationship_it_names(tutor):
    # "why am I so scared of disappointing my mom?": every topic weak, but the bank holds an entry
    # about a parent's approval; a letter that names no one gets the honest "outside" instead
    letter = {
        "kind": "why",
        "topics": [("aai-transmission", 0.22), ("determinism", 0.21)],
        "bank": [("childhood-parent-approval", 0.6, 0.2)],
        "nearest": 0.48,
        "words": 20,
    }
    about_a_parent = _answer_to(tutor, ["parent"], **letter)
    assert about_a_parent.via == "question" and about_a_parent.question.id == "childhood-parent-approval"
    assert _answer_to(tutor, [], **letter).via == "outside"


def _answer_to(tutor, relationships: list[str], **reading):
    """The answer to a question naming these relationships."""
    return tutor.answer(Reading(is_question=True, relationships=relationships, **reading))


def test_a_grown_childs_parent_asking_what_to_do_gets_no_babies_topic(tutor):
    # a mother of a 40-year-old who stopped speaking to her, read as closest to babies' care (she had
    # baby-sat the grandchildren) with parenting older children close behind, got babies' tips and a
    # choice (spent blind set 20): whatever the kind asked, a grown child's parent is no baby's
    answer = _answer_to(
        tutor,
        ["child"],
        kind="what-to-do",
        older_child=True,
        topics=[
            ("parenting-young-children", 0.61),
            ("aai-transmission", 0.56),
            ("parenting-older-children", 0.55),
        ],
        nearest=0.6,
        words=80,
    )
    assert answer.topic_id == "parenting-older-children"
    assert "parenting-young-children" not in [entry.topic_id for entry in _entries_shown(answer)]


@pytest.mark.parametrize(
    ("message", "grown"),
    [
        ("My adult son moved out and now won't speak to his father or me. What can I do to reach him?", True),
        ("Our daughter is 27 and keeps us at arm's length. How do we get closer?", True),
        # a teenager named too: a teenager's answers may fit
        ("My 30-year-old son still acts like the sulky teenager he was. How do I talk to him?", False),
        ("My 15-year-old won't speak to me. What can I do?", False),
    ],
)
def test_a_grown_childs_parent_gets_no_answer_written_for_a_teenagers_parent(reader, tutor, message, grown):
    # the mother of an adult daughter who would not speak to the family got therapy for depressed
    # teens (spent blind set 20; our wordings)
    reading = reader.read(message)
    assert reading.grown_child == grown
    if grown:
        teenage = [
            entry.id for entry in _entries_shown(tutor.answer(reading)) if entry.id in tutor._about_teenagers
        ]
        assert not teenage


def test_a_parents_question_worded_like_a_partners_gets_no_partners_answer(reader, tutor):
    # "how can I help her open up?" reads like a partner's question; about one's grown daughter it
    # got the partners' section (our wording)
    reading = reader.read(
        "My grown daughter has moved away and only calls her sister, never me. "
        "How can I help her open up to me?"
    )
    assert reading.kind == "child"
    assert tutor.answer(reading).topic_id != "partners"


def test_a_childs_age_after_a_name_in_quotes_is_read(reader):
    # advice columns print a name in quotes: "My daughter, “Paige,” is 14" was read as no age, and
    # her father's question got the breakups topic (spent blind set 20; our wording)
    assert reader.read('My daughter, "Mia," is 15 and she has stopped answering my calls.').older_child
    assert reader.read(
        "My daughter, \u201cMia,\u201d is 15 and she has stopped answering my calls."
    ).older_child


@pytest.mark.parametrize(
    ("message", "grown"),
    [
        ("I had two grown sons; the younger one no longer speaks to me. What should I write to him?", True),
        ("We have a daughter in her late 20s who has cut off all contact. How can I reach her?", True),
        ("Our son is now in his thirties and only calls his father. How do I get closer?", True),
        # the writer as an adult child, not a parent
        ("As an adult child of divorce, why do I panic when my girlfriend is late?", False),
    ],
)
def test_a_grown_child_named_without_my_or_an_age_is_read(reader, message, grown):
    # "I had two grown sons" and "a daughter in her late 20s" were read as no child's age, and their
    # parents got the breakups topic's advice about an ex (spent blind set 21; our wordings)
    reading = reader.read(message)
    assert reading.grown_child == grown
    assert reading.older_child == grown


@pytest.mark.parametrize(
    "message",
    [
        'My daughter, "Mia," is 15 and barely speaks to me since the divorce. What can I do?',
        "Since she hit puberty my daughter has stopped talking to me. How do I get her to open up?",
        "My six year old's father walked away after we split and has had no contact. How do I help my son?",
    ],
)
def test_a_younger_childs_parent_gets_no_answer_written_for_a_grown_childs_parent(reader, tutor, message):
    # the parent of a 15-year-old who barely spoke to her got the entry about an adult daughter who
    # cut contact (our sample exchange); a teenager named only by puberty, a six-year-old whose
    # father left (spent blind sets 15 and 14; our wordings)
    reading = reader.read(message)
    assert reading.minor and not reading.grown_child
    shown = [entry.id for entry in _entries_shown(tutor.answer(reading))]
    assert not [entry_id for entry_id in shown if entry_id in tutor._about_grown_children]


@pytest.mark.parametrize(
    ("message", "relationship"),
    [
        (
            "My brother and I haven't spoken in five years, since a row over our father's will. "
            "I'd like to send him a card this Christmas. What should I do?",
            "sibling",
        ),
        (
            "My son is 34 and no longer speaks to me after I remarried. I lost my husband and my mother "
            "the same year and I am so lonely. What can I do?",
            "child",
        ),
    ],
)
def test_a_letter_about_someone_who_keeps_away_gets_an_answer_about_estrangement(
    reader, tutor, message, relationship
):
    # letters about an estranged son, sister or brother got the breakups topic's advice about muting
    # an ex (spent blind set 21: five letters; our wordings)
    reading = reader.read(message)
    assert reading.estranged
    answer = tutor.answer(reading)
    assert answer.question is not None and answer.question.id in tutor._about_estrangement
    assert relationship in tutor._relationship_of.get(answer.question.id, relationship)
    assert answer.topic_id != "breakups-loss"


def test_a_ghosting_partner_is_no_estrangement(reader):
    assert not reader.read("He stopped texting me after three dates. Why do men pull away?").estranged
    assert not reader.read("My fiance says he has fallen out of love with me. Is it my anxiety?").estranged


def test_babysitting_is_no_baby(reader):
    # a grandmother who baby-sat her grown daughter's children was answered from the babies' topic
    # (spent blind set 20)
    reading = reader.read(
        "My 35-year-old son stopped calling after I said I could no longer baby-sit his boys. "
        "How can I repair things with my son?"
    )
    assert reading.older_child and not reading.young_child


def test_an_entry_about_a_relationship_the_bank_seldom_covers_answers_a_letter_naming_it(tutor):
    # a letter about drifting apart from a sister read as closest to a style and to parenting, not
    # to the topic that holds the siblings' entry (spent blind set 20); a letter that names no
    # sibling does not get it from that far
    letter = {
        "kind": "what-to-do",
        "topics": [("style-fearful", 0.7), ("parenting-older-children", 0.6)],
        "bank": [("adult-siblings-drifted", 0.62, 0.1)],
        "nearest": 0.6,
        "words": 60,
    }
    assert _answer_to(tutor, ["sibling"], **letter).question.id == "adult-siblings-drifted"
    assert _answer_to(tutor, [], **letter).question is None
