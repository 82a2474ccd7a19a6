"""Content integrity: every topic present, well formed, linked, and reachable in the dialogue."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import SECTIONS, ContentError, ContentLibrary, intent_for_topic, parse_topic

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_IDS = {
    "iwm-definition", "iwm-history", "strange-situation", "model-of-self", "model-of-others",
    "self-other-interplay", "childhood-formation", "adult-relationships", "style-secure",
    "style-anxious", "style-avoidant", "style-fearful", "stability", "earned-security", "therapy",
    "applications", "measurement", "multiple-models", "temperament-culture", "determinism",
}  # fmt: skip
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
        assert tuple(topic.sections) == SECTIONS
        for name, text in topic.sections.items():
            assert len(text.split()) >= 30, f"{topic.id}: section {name} is too thin"


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


@pytest.mark.parametrize("name", ["heldout.yml", "heldout_blind.yml"])
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
