"""The action server, closed to strangers: on loopback by default, answering only the Rasa server.

rasa_sdk's own launcher listens on every interface and runs any action for anyone who
posts a made-up tracker. This one binds ACTION_HOST (default 127.0.0.1) and wants
`Authorization: Bearer <ACTION_SERVER_TOKEN>` on every call but the health check; the Rasa
server sends it (endpoints.yml). The token comes from the environment or a file, never argv.

    ACTION_PORT=5055 python -m bot.rasa_ext.action_server
"""

from __future__ import annotations

import hmac
import importlib
import logging
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot.keys import secret

ACTION_PACKAGE = "actions"
OPEN_PATHS = ("/health",)


def guarded_app(token: str) -> Sanic:
    app = create_app(ACTION_PACKAGE, cors_origins=None)
    expected = f"Bearer {token}".encode()

    @app.listener("before_server_start")
    async def warm_up(_app: Sanic, _loop: object) -> None:
        # the action package's own `warm_up`, if it has one: content loads before the first request
        getattr(importlib.import_module(ACTION_PACKAGE), "warm_up", lambda: None)()

    @app.middleware("request")
    async def require_token(request: Request) -> response.HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get("authorization") or "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "The action server answers only its Rasa server."}, status=401)
        return None

    return app


def main() -> None:
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    host = os.environ.get("ACTION_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTION_PORT", "5055"))
    app = guarded_app(secret("ACTION_SERVER_TOKEN"))
    logging.getLogger(__name__).info("Action server on http://%s:%d (token required)", host, port)
    app.run(host, port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
