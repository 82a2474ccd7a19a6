"""`rasa run`, with the HTTP API's token read from the environment or a file instead of argv.

Rasa takes its API token only as `--auth-token`, which anyone on the machine can read in
`ps`. This launcher accepts the usual `rasa run` arguments (without that one), and when
RASA_AUTH_TOKEN (or RASA_AUTH_TOKEN_FILE) is set it opens the API protected by it. It also
caps the size of requests and websocket frames.

    python -m bot.rasa_ext.server --model models/iwm.tar.gz --endpoints endpoints.yml ...
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

import rasa.__main__
import rasa.cli.run

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


def main() -> None:
    if "--auth-token" in sys.argv:
        sys.exit("error: pass the API token in RASA_AUTH_TOKEN or RASA_AUTH_TOKEN_FILE, not in argv")
    token = secret("RASA_AUTH_TOKEN", generate=False)
    if token:
        rasa.cli.run.run = with_api_token(rasa.cli.run.run, token)  # the `run` subcommand's handler
    for name, value in PUBLIC_LIMITS.items():
        os.environ.setdefault(name, value)  # Sanic reads SANIC_* settings when Rasa creates its app
    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
