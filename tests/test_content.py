"""Content integrity: every topic present, well formed, linked, and reachable in the dialogue."""

from __future__ import annotations

import contextlib
import re
import statistics
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import (
    REQUIRED_SECTIONS,
    SECTION_CHANGE,
    SECTION_EXAMPLE,
    SECTION_PARENTS,
    SECTION_PARTNER,
    SECTION_SIGNS,
    SECTION_TRY,
    SECTIONS,
    ContentError,
    ContentLibrary,
    intent_for_topic,
    parse_questions,
    parse_topic,
)
from bot.readability import grade_level, longest_sentence

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_IDS = {
    "iwm-definition", "iwm-history", "strange-situation", "model-of-self", "model-of-others",
    "self-other-interplay", "childhood-formation", "adult-relationships", "style-secure",
    "style-anxious", "style-avoidant", "style-fearful", "stability", "earned-security", "therapy",
    "applications", "measurement", "multiple-models", "temperament-culture", "determinism",
    "attachment-basics", "disorganized-attachment", "aai-transmission", "mentalization",
    "parenting-young-children", "parenting-older-children", "partners", "breakups-loss",
    "styles-vs-dimensions", "reactive-attachment-disorder", "finding-help",
}  # fmt: skip
# The first answer to every kind of question, read by anyone: summaries and these sections.
ANSWER_SECTIONS = (SECTION_TRY, SECTION_SIGNS, SECTION_PARTNER, SECTION_PARENTS, SECTION_CHANGE)
MAX_FIRST_ANSWER_WORDS = 18  # words in any one sentence of a first answer
MAX_DEEPER_WORDS = 25  # words in any one sentence of "In depth", "Why it matters", "Example"
RUNNING_CITATION = re.compile(r"et al\.|\((?:19|20)\d\d|\b(?:19|20)\d\d\)")
STYLE_MODELS = {
    "style-secure": {"self": "positive", "others": "positive"},
    "style-anxious": {"self": "negative", "others": "positive"},
    "style-avoidant": {"self": "positive", "others": "negative"},
    "style-fearful": {"self": "negative", "others": "negative"},
}


def _training_examples() -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in (ROOT / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
                examples.setdefault(block["intent"], []).extend(lines)
    return examples


def test_every_required_topic_is_present(library):
    assert set(library.ids()) >= REQUIRED_IDS


def test_topics_have_a_short_first_answer_and_all_sections(library):
    for topic in library:
        assert len(topic.summary.split()) <= 70, topic.id
        assert set(REQUIRED_SECTIONS) <= set(topic.sections) and list(topic.sections) == [
            name for name in SECTIONS if name in topic.sections
        ]
        for name, text in topic.sections.items():
            least = 30 if name in REQUIRED_SECTIONS else 15
            assert len(text.split()) >= least, f"{topic.id}: section {name} is too thin"


def test_the_style_topics_offer_signs_partner_parent_and_change_sections(library):
    for topic_id in STYLE_MODELS:
        sections = library.get(topic_id).sections
        assert {SECTION_SIGNS, SECTION_PARTNER, SECTION_PARENTS, SECTION_CHANGE} <= set(sections), topic_id
        assert "questionnaire" in sections[SECTION_SIGNS], topic_id  # "is this me?" points to it


def test_every_list_of_signs_says_it_is_not_a_diagnosis(library):
    with_signs = [topic for topic in library if SECTION_SIGNS in topic.sections]
    assert len(with_signs) >= 10
    for topic in with_signs:
        assert (
            "not a diagnosis" in topic.sections[SECTION_SIGNS] or "diagnose" in topic.sections[SECTION_SIGNS]
        ), topic.id


def test_first_answers_are_plain_enough_for_anyone(library):
    """About a grade-8 reading level: short sentences, and summaries at a low Flesch-Kincaid grade."""
    for topic in library:
        texts = {"summary": topic.summary} | {name: topic.sections[name] for name in ANSWER_SECTIONS
                                              if name in topic.sections}  # fmt: skip
        for part, text in texts.items():
            words, sentence = longest_sentence(text)
            assert words <= MAX_FIRST_ANSWER_WORDS, f"{topic.id} {part}: {sentence}"
        assert grade_level(topic.summary) <= 10, topic.id
        for name in REQUIRED_SECTIONS[:3]:
            words, sentence = longest_sentence(topic.sections[name])
            assert words <= MAX_DEEPER_WORDS, f"{topic.id} {name}: {sentence}"
    for question in library.questions:
        words, sentence = longest_sentence(question.answer)
        assert words <= MAX_FIRST_ANSWER_WORDS, f"{question.id}: {sentence}"
    assert statistics.mean(grade_level(topic.summary) for topic in library) <= 8.5
    assert statistics.mean(grade_level(question.answer) for question in library.questions) <= 8.5


def test_citations_stay_in_sources_not_in_the_text(library):
    for topic in library:
        for part, text in {"summary": topic.summary, **topic.sections}.items():
            assert not RUNNING_CITATION.search(text), f"{topic.id} {part}: {RUNNING_CITATION.search(text)[0]}"
    for question in library.questions:
        assert not RUNNING_CITATION.search(question.answer), question.id


def test_every_example_person_has_a_name_of_their_own(library):
    owners: dict[str, str] = {}
    for topic in library:
        for name in topic.people:
            assert name not in owners, f"{name} is in {owners.get(name)} and {topic.id}"
            owners[name] = topic.id
    assert len(owners) >= len(library)


def test_example_people_stay_in_their_example_since_each_section_is_shown_alone(library):
    for topic in library:
        for name in topic.people:
            for section, text in topic.sections.items():
                if section != SECTION_EXAMPLE:
                    assert not re.search(rf"\b{name}\b", text), f"{topic.id}: {name} in {section}"


def test_the_question_bank_answers_at_least_150_specific_questions_across_topics(library):
    assert len(library.questions) >= 150
    assert {question.topic_id for question in library.questions} == set(library.ids())
    asks = [ask.lower() for question in library.questions for ask in question.asks]
    assert len(asks) == len(set(asks))
    for question in library.questions:
        assert len(question.asks) >= 2, question.id
        heading = question.asks[0]  # shown above the answer: a well-formed question
        assert heading[0].isupper() and heading.endswith("?"), question.id
        assert all(any(f"({year}" in source for year in range(1900, 2030)) for source in question.sources)


def test_every_topic_cites_a_source_with_a_year(library):
    for topic in library:
        for source in topic.sources:
            assert any(f"({year}" in source for year in range(1940, 2030)), (topic.id, source)


def test_style_topics_carry_their_self_and_other_models(library):
    for topic_id, models in STYLE_MODELS.items():
        assert library.get(topic_id).models == models


def test_every_topic_is_reachable_by_intent_rule_and_menu(library):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    rules = yaml.safe_load((ROOT / "nlu" / "rules" / "explain.yml").read_text())["rules"]
    steps = [step for rule in rules for step in rule["steps"]]
    ruled_intents = {
        alternative["intent"]
        for step in steps
        for alternative in step.get("or", [step])
        if "intent" in alternative
    }
    examples = _training_examples()
    menu_ids = {topic_id for group in library.menu for topic_id in group.topic_ids}
    for topic in library:
        assert topic.intent in domain["intents"], topic.id
        assert topic.intent in ruled_intents, topic.id
        assert len(examples.get(topic.intent, [])) >= 30, topic.id
        assert topic.id in menu_ids


def test_each_topic_has_its_own_training_file_and_nothing_else_does(library):
    """nlu/topics/<id>.yml pairs with content/topics/<id>.md, one to one, and holds only that topic."""
    files = {path.stem: path for path in (ROOT / "nlu" / "topics").glob("*.yml")}
    assert set(files) == set(library.ids())
    for topic_id, path in files.items():
        intents = [block["intent"] for block in yaml.safe_load(path.read_text())["nlu"]]
        assert intents == [intent_for_topic(topic_id)], path.name
    elsewhere = [
        path.name
        for path in (ROOT / "nlu").rglob("*.yml")
        if path.parent.name != "topics"
        for block in yaml.safe_load(path.read_text()).get("nlu", [])
        if block.get("intent", "").startswith("explain_")
    ]
    assert elsewhere == []


def test_related_links_point_to_existing_topics(library):
    for topic in library:
        assert topic.related
        assert all(other in library for other in topic.related)


def test_no_training_example_is_duplicated():
    seen: dict[str, str] = {}
    for intent, lines in _training_examples().items():
        for line in lines:
            key = line.lower()
            assert key not in seen, f"'{line}' is in {intent} and {seen[key]}"
            seen[key] = intent


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (ROOT / "tests" / "data").glob("real_questions_*.yml"))
)
def test_real_questions_used_for_measuring_are_neither_training_examples_nor_bank_questions(name, library):
    measured = [
        item["text"].lower()
        for item in yaml.safe_load((ROOT / "tests" / "data" / name).read_text())["questions"]
    ]
    trained = {line.lower() for lines in _training_examples().values() for line in lines}
    trained |= {ask.lower() for question in library.questions for ask in question.asks}
    assert not [text for text in measured if text in trained]


@pytest.mark.parametrize("name", ["heldout.yml", "heldout_blind.yml", "heldout_blind2.yml"])
def test_heldout_questions_are_not_training_examples(name):
    heldout = yaml.safe_load((ROOT / "tests" / "data" / name).read_text())
    trained = {line.lower() for lines in _training_examples().values() for line in lines}
    questions = [q for qs in heldout["topics"].values() for q in qs]
    questions += [item["text"] for item in heldout.get("compare", [])]
    questions += [q for qs in heldout.get("conversation", {}).values() for q in qs]
    assert not [q for q in questions if q.lower() in trained]


VALID = """---
id: sample-topic
title: Sample
summary: A short summary.
keywords: [sample]
related: [other-topic]
sources: ["Bowlby, J. (1969). Attachment."]
---
## In depth
Deeper text.

## Why it matters
Reasons.

## Example
A story.

## Things to try
Something to do.
"""


def test_a_valid_topic_file_parses():
    topic = parse_topic(VALID)
    assert topic.id == "sample-topic" and topic.intent == intent_for_topic("sample-topic")
    assert topic.sections["Example"] == "A story."


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (VALID.replace("---\nid", "id", 1), "front matter"),
        (VALID.replace("title: Sample", "title: [unclosed"), "YAML"),
        (VALID.replace("summary: A short summary.", "summary: ''"), "summary"),
        (VALID.replace("## Why it matters", "## Why"), "sections"),
        (VALID.replace("id: sample-topic", "id: Sample Topic"), "id"),
        (VALID.replace("related: [other-topic]", "related: other-topic"), "related"),
    ],
)
def test_broken_topic_files_are_rejected_with_a_reason(broken, reason):
    with pytest.raises(ContentError, match=reason):
        parse_topic(broken, source="broken.md")


def test_a_bank_entry_is_about_safety_only_when_it_says_so_and_the_flag_must_be_a_boolean():
    entry = {
        "id": "x",
        "ask": ["Is it abuse?"],
        "kind": "partner",
        "answer": "It can be.",
        "sources": ["A (2000)"],
    }
    assert parse_questions({"questions": [entry]}, "partners")[0].safety is False
    assert parse_questions({"questions": [{**entry, "safety": True}]}, "partners")[0].safety is True
    with pytest.raises(ContentError, match="safety"):
        parse_questions({"questions": [{**entry, "safety": "yes"}]}, "partners")


def test_an_entry_about_one_situation_fits_only_messages_that_name_it():
    entry = {
        "id": "x",
        "ask": ["My adopted son hates me"],
        "kind": "child",
        "answer": "It can pass.",
        "sources": ["A (2000)"],
    }
    anyone = parse_questions({"questions": [entry]}, "childhood-formation")[0]
    assert anyone.fits_situation("my toddler cries at daycare")
    [adopted] = parse_questions(
        {"questions": [{**entry, "when": ["adopt", "foster"]}]}, "childhood-formation"
    )
    assert adopted.fits_situation("We ADOPTED him at four") and adopted.fits_situation("our foster son")
    assert not adopted.fits_situation("my toddler cries at daycare every morning")
    with pytest.raises(ContentError, match="when"):
        parse_questions({"questions": [{**entry, "when": "adopt"}]}, "childhood-formation")


def test_every_way_of_asking_an_entry_names_its_situation(library):
    # else the entry could never answer the very question it was written for
    for question in library.questions:
        assert all(question.fits_situation(ask) for ask in question.asks), question.id
    assert sum(bool(question.when) for question in library.questions) >= 34


def test_a_grown_childs_estrangement_is_no_answer_to_a_teenager_who_will_not_talk(library):
    # spent blind set 17: "how do I get my teenage son to talk with me?" got why adult children
    # cut contact
    why_cut_off = next(q for q in library.questions if q.id == "older-why-adult-child-cut-contact")
    assert not why_cut_off.fits_situation("How do I get my teenage son to talk with me? He grunts at me.")
    assert why_cut_off.fits_situation("our daughter, now 40, hasn’t spoken to us in years")


def test_the_entries_about_control_and_threats_are_marked_as_about_safety(library):
    marked = {question.id for question in library.questions if question.safety}
    assert {
        "partners-control-not-style",
        "partners-self-harm-threat-if-leave",
        "partners-name-calling-angry",
    } <= marked


def test_a_related_id_that_does_not_exist_is_rejected(library):
    topics = list(library)
    dangling = parse_topic(VALID.replace("id: sample-topic", f"id: {topics[0].id}"))
    with pytest.raises(ContentError, match="other-topic"):
        ContentLibrary([dangling, *topics[1:]], library.menu)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_either_parses_or_fails_with_a_content_error(text):
    with contextlib.suppress(ContentError):
        parse_topic(text)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "title", "summary", "keywords", "related", "sources", "models"]),
        st.one_of(
            st.none(), st.integers(), st.text(), st.lists(st.text()), st.dictionaries(st.text(), st.text())
        ),
    )
)
def test_any_front_matter_mapping_either_parses_or_fails_with_a_content_error(meta):
    text = "---\n" + yaml.safe_dump(meta) + "---\n" + VALID.split("---\n", 2)[2]
    with contextlib.suppress(ContentError):
        parse_topic(text)
