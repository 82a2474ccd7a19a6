"""The Rasa server launcher's faster check of action server responses gives Rasa's own verdicts."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_ext.server import validate_action_result

RESPONSES = [
    {"events": [{"event": "slot", "name": "topic", "value": "style-secure"}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "followup", "name": "action_answer"}], "responses": []},
    {"events": [], "responses": [{"text": "hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
]


def rasa_verdict(response: dict) -> bool:
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError:
        return False
    return True


@pytest.mark.parametrize("response", RESPONSES)
def test_a_response_is_accepted_or_refused_exactly_as_rasa_would(response):
    try:
        ours = validate_action_result(None, response)
    except jsonschema.ValidationError:
        ours = False
    assert ours == rasa_verdict(response)


def test_both_kinds_of_verdict_are_covered():
    assert {rasa_verdict(response) for response in RESPONSES} == {True, False}
