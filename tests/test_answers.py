"""Typed questionnaire answers: what people write, and anything else they might."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import BACK, RATING, SKIP, UNCLEAR, ParsedAnswer, after_answer, parse_answer


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("7", RATING, 7), ("6/7", RATING, 6), ("Strongly agree!", RATING, 7), ("not really", RATING, 3),
        ("neutral", RATING, 4), ("skip this one", SKIP, None), ("go back", BACK, None),
        ("8", UNCLEAR, None), ("-1", UNCLEAR, None), ("agree and disagree", UNCLEAR, None),
        ("", UNCLEAR, None),
        ("'; DROP TABLE answers; --", UNCLEAR, None), ("😀", UNCLEAR, None),
    ],
)  # fmt: skip
def test_typed_answers_are_read_or_asked_again(text, kind, value):
    assert parse_answer(text) == ParsedAnswer(kind, value)


@settings(max_examples=1000)
@given(st.text(max_size=300))
def test_any_text_is_a_rating_on_the_scale_a_skip_a_back_or_unclear(text):
    parsed = parse_answer(text)
    assert parsed.kind in {RATING, SKIP, BACK, UNCLEAR}
    assert (parsed.value is not None) == (parsed.kind == RATING)
    assert parsed.value is None or 1 <= parsed.value <= 7


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("7. also i have pills ready", "also i have pills ready"),
        ("1 (strongly disagree). there's nobody left", "there's nobody left"),
        ("Q4: agree, 6 - and lately I can't go on", "and lately I can't go on"),
        ("item 12 strongly disagree. item 13 agree. can we stop?", "can we stop?"),
        ("5", ""),
        ("strongly agree", ""),
        # no answer first: the text as it is ("no one" is not the answer "no")
        ("no one would notice if I was gone", "no one would notice if I was gone"),
        ("sometimes I think about it", "sometimes I think about it"),
        ("3rd time this week he left", "3rd time this week he left"),
        ("I don\u2019t know", "I don\u2019t know"),  # the text as written, not a copy to read again
    ],
)  # fmt: skip
def test_what_follows_an_answer_is_read_apart_from_the_rating(text, rest):
    assert after_answer(text) == rest


@given(st.text(max_size=300))
def test_what_follows_an_answer_is_always_part_of_the_text(text):
    assert after_answer(text) in text
