"""Web chat channel: a socket.io endpoint for the embeddable widget, plus the widget itself.

Rasa's own socketio channel accepts websocket connections from every origin and serves no
client. This channel speaks the same events (session_request / user_uttered / bot_uttered),
accepts only the server's own origin and the origins configured for the deployment, and
serves `widget.js` and a demo page under /webchat/.

credentials.yml:

    bot.channels.webchat.WebChatInput:
      allowed_origins: ["https://www.example.org"]   # or WEBCHAT_ALLOWED_ORIGINS="a b"
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import response
from sanic.request import Request
from socketio import AsyncServer

from bot.channels import NO_REPLY

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("webchat_static")
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_MESSAGE_CHARS = 4000  # longer messages are cut: nobody types more, and NLU time grows with length
USER_EVENT, BOT_EVENT = "user_uttered", "bot_uttered"
STATIC_TYPES = {".js": "application/javascript; charset=utf-8", ".html": "text/html; charset=utf-8"}


def allowed_origins_from(setting: str | list[str] | None) -> list[str]:
    """Origins from credentials.yml or WEBCHAT_ALLOWED_ORIGINS (space or comma separated)."""
    if isinstance(setting, str):
        setting = setting.replace(",", " ").split()
    return [origin.rstrip("/") for origin in setting or []]


def origin_is_allowed(origin: str | None, environ: dict, allowed: list[str]) -> bool:
    """The page's own server and the configured origins; browsers always send an Origin."""
    if not origin:
        return True  # not a browser: CORS protects browsers, other clients can send anything anyway
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    return origin == own or origin in allowed


def session_id_from(data: Any) -> str:
    """The client's session id if it is one we could have issued, else a new one."""
    candidate = data.get("session_id") if isinstance(data, dict) else None
    return candidate if isinstance(candidate, str) and SESSION_ID.match(candidate) else uuid.uuid4().hex


def user_text_from(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    return data["message"][:MAX_MESSAGE_CHARS]


class CountingOutput(SocketIOOutput):
    """Knows whether anything was sent, so the widget never meets silence."""

    sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        self.sent += 1
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class WebChatInput(InputChannel):
    """socket.io for the widget, with an origin allow-list and the widget's files."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        setting = os.environ.get("WEBCHAT_ALLOWED_ORIGINS") or credentials.get("allowed_origins")
        return cls(allowed_origins_from(setting))

    def __init__(self, allowed_origins: list[str] | None = None) -> None:
        self.allowed_origins = allowed_origins or []
        self.sio: AsyncServer | None = None

    def url_prefix(self) -> str:
        return "/webchat"  # absolute, so Rasa mounts it here rather than under /webhooks/

    def get_output_channel(self) -> OutputChannel | None:
        return SocketIOOutput(self.sio, BOT_EVENT) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=lambda origin, environ: origin_is_allowed(
                origin, environ, self.allowed_origins
            ),
        )
        self.sio = sio
        webchat = SocketBlueprint(sio, "/socket.io", "webchat", __name__)

        @webchat.route("/", methods=["GET"])
        async def demo_page(_: Request) -> response.HTTPResponse:
            return await _static("index.html")

        @webchat.route("/<filename:[a-z.-]+>", methods=["GET"])
        async def static_file(_: Request, filename: str) -> response.HTTPResponse:
            return await _static(filename)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            session_id = session_id_from(data)
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(USER_EVENT)
        async def user_uttered(sid: str, data: Any) -> None:
            text = user_text_from(data)
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if text is None or not (isinstance(session_id, str) and SESSION_ID.match(session_id)):
                return  # only our widget talks here, and it always sends both
            if session_id not in sio.rooms(sid):
                await sio.enter_room(sid, session_id)  # a reconnect that skipped session_request
            output = CountingOutput(sio, BOT_EVENT)
            await on_new_message(UserMessage(text, output, session_id, input_channel=self.name()))
            if not output.sent:
                await output.send_text_message(session_id, NO_REPLY)

        return webchat


async def _static(filename: str) -> response.HTTPResponse:
    path = STATIC_DIR / filename
    if path.suffix not in STATIC_TYPES or not path.is_file():
        return response.text("Not found", status=404)
    return await response.file(
        path, mime_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"}
    )
