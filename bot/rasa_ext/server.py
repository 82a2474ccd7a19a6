"""`rasa run`, with the HTTP API's token read from the environment or a file instead of argv.

Rasa takes its API token only as `--auth-token`, which anyone on the machine can read in
`ps`. This launcher accepts the usual `rasa run` arguments (without that one), and when
RASA_AUTH_TOKEN (or RASA_AUTH_TOKEN_FILE) is set it opens the API protected by it. It also
caps the size of requests and websocket frames, and lets a tracker store outage reach the channels
instead of Rasa's silent fallback (see `tracker_store_without_fallback`).

    python -m bot.rasa_ext.server --model models/iwm.tar.gz --endpoints endpoints.yml ...
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import rasa.__main__
import rasa.cli.run
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain

from bot.keys import secret

# No request body or websocket frame bigger than this reaches the Rasa server: one message is at
# most 4,000 characters (bot/channels/guard.py). The action server, on loopback, is not limited.
PUBLIC_LIMITS = {"SANIC_REQUEST_MAX_SIZE": "65536", "SANIC_WEBSOCKET_MAX_SIZE": "65536"}

Command = Callable[[argparse.Namespace], None]


def with_api_token(run: Command, token: str) -> Command:
    def run_with_token(args: argparse.Namespace) -> None:
        args.auth_token, args.enable_api = token, True
        run(args)

    return run_with_token


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator of action server responses, built and checked once.

    Rasa calls `jsonschema.validate` for every custom action's response, which checks the events
    schema against the meta-schema again each time: 14% of the Rasa server's busy time under load
    (scripts/profile_server.py). The same schema validated by one validator, built once, gives
    the same verdicts.
    """
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(action_response_validator().iter_errors(result))
    if error is not None:
        raise error
    return True


def tracker_store_without_fallback(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    """The configured tracker store itself, so that its errors reach the channels.

    Rasa wraps it in a `FailSafeTrackerStore`, which, when the database cannot be read, hands
    the processor an empty conversation and keeps what follows in this process's memory: with
    PostgreSQL down, a person halfway through the questionnaire was told none was running, and
    their next turns would be lost. Raised instead, the error becomes the channels' "temporarily
    unavailable, try again in a moment", and the conversation resumes where it was.
    """
    if store is None:
        return InMemoryTrackerStore(domain)
    store.domain = domain
    return store


def main() -> None:
    if "--auth-token" in sys.argv:
        sys.exit("error: pass the API token in RASA_AUTH_TOKEN or RASA_AUTH_TOKEN_FILE, not in argv")
    token = secret("RASA_AUTH_TOKEN", generate=False)
    if token:
        rasa.cli.run.run = with_api_token(rasa.cli.run.run, token)  # the `run` subcommand's handler
    RemoteAction._validate_action_result = validate_action_result
    Agent._create_tracker_store = staticmethod(tracker_store_without_fallback)
    for name, value in PUBLIC_LIMITS.items():
        os.environ.setdefault(name, value)  # Sanic reads SANIC_* settings when Rasa creates its app
    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
