"""Web chat channel: a socket.io endpoint for the embeddable widget, plus the widget itself.

Rasa's own socketio channel accepts every origin, lets any socket join any session id and
serves no client. This channel speaks the same events (session_request / user_uttered /
bot_uttered) with these differences:

- The browser keeps a random session secret; the conversation id Rasa sees is a keyed hash
  of it (bot.privacy). A session id alone, or a guessed one, opens nothing, and a socket is
  only ever in the one conversation its own secret names.
- Only the bot's own origin (configured, never read from request headers) and the origins
  configured for the deployment may connect.
- Messages are capped and paced by the channel guard; malformed frames are dropped with one
  line of log.

credentials.yml:

    bot.channels.webchat.WebChatInput:
      allowed_origins: ["https://www.example.org"]   # or WEBCHAT_ALLOWED_ORIGINS="a b"
      public_origin: "https://bot.example.org"        # or WEBCHAT_PUBLIC_ORIGIN
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import response
from sanic.request import Request
from socketio import AsyncServer

from bot.channels import NO_REPLY, TEMPORARILY_UNAVAILABLE
from bot.channels.guard import CUT_NOTE, SLOW_DOWN, RateLimiter, bound
from bot.privacy import pseudonym_key, pseudonymize

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("webchat_static")
SESSION_SECRET = re.compile(r"^[0-9a-f]{32,64}$")
MAX_FRAME_BYTES = 64 * 1024  # a frame holds one message of at most MAX_MESSAGE_CHARS
USER_EVENT, BOT_EVENT = "user_uttered", "bot_uttered"
STATIC_TYPES = {".js": "application/javascript; charset=utf-8", ".html": "text/html; charset=utf-8"}


class OneLineFrameErrors(logging.Filter):
    """engine.io logs a traceback for each frame it cannot decode; for hostile input one line will do."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg, record.args = (
                f"web chat: dropped a malformed frame ({record.exc_info[0].__name__})",
                (),
            )
            record.exc_info, record.exc_text = None, None
        return True


for _name in ("engineio.server", "socketio.server"):
    logging.getLogger(_name).addFilter(OneLineFrameErrors())


def allowed_origins_from(setting: str | list[str] | None) -> list[str]:
    """Origins from credentials.yml or an environment variable (space or comma separated)."""
    if isinstance(setting, str):
        setting = setting.replace(",", " ").split()
    return [origin.rstrip("/") for origin in setting or []]


def own_origins(setting: str | list[str] | None, port: str) -> list[str]:
    """Where the bot's own pages are served from: configured, else this machine on the Rasa port."""
    return allowed_origins_from(setting) or [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def origin_is_allowed(origin: str | None, allowed: list[str]) -> bool:
    """Browsers always send an Origin and CORS protects them; other clients can send anything anyway,
    and a session secret is the only key to a conversation."""
    return not origin or origin.rstrip("/") in allowed


def session_secret_from(data: Any) -> str:
    """The client's session secret if it is one we could have issued, else a new one."""
    candidate = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(candidate, str) and SESSION_SECRET.match(candidate):
        return candidate
    return secrets.token_hex(32)


def conversation_id(session_secret: str, key: bytes) -> str:
    """The id Rasa stores the conversation under; it cannot be turned back into the secret."""
    return "wc-" + pseudonymize("webchat", session_secret, key)[:32]


def user_text_from(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    return data["message"]


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output, except that a custom message reaches the widget as the event's data
    (Rasa's passes its keys to `emit` as arguments)."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self.sio.emit(self.bot_message_evt, json_message, room=recipient_id)


class CountingOutput(WebChatOutput):
    """Knows whether anything was sent, so the widget never meets silence."""

    sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        self.sent += 1
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class WebChatInput(InputChannel):
    """socket.io for the widget: derived conversation ids, an origin allow-list, the widget's files."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        embedders = os.environ.get("WEBCHAT_ALLOWED_ORIGINS") or credentials.get("allowed_origins")
        public = os.environ.get("WEBCHAT_PUBLIC_ORIGIN") or credentials.get("public_origin")
        port = os.environ.get("RASA_PORT", "5005")
        return cls(
            own_origins(public, port) + allowed_origins_from(embedders),
            pseudonym_key(),
            RateLimiter.from_environment(),
        )

    def __init__(self, allowed_origins: list[str], key: bytes, limiter: RateLimiter) -> None:
        self.allowed_origins = allowed_origins
        self.key = key
        self.limiter = limiter
        self.sio: AsyncServer | None = None

    def url_prefix(self) -> str:
        return "/webchat"  # absolute, so Rasa mounts it here rather than under /webhooks/

    def get_output_channel(self) -> OutputChannel | None:
        return WebChatOutput(self.sio, BOT_EVENT) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=lambda origin, _environ: origin_is_allowed(origin, self.allowed_origins),
            max_http_buffer_size=MAX_FRAME_BYTES,
            logger=False,
            engineio_logger=False,
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
        async def session_request(sid: str, data: Any = None) -> None:
            session_secret = session_secret_from(data)
            conversation = conversation_id(session_secret, self.key)
            session = await sio.get_session(sid)
            if session.get("conversation") not in (None, conversation):
                await sio.leave_room(sid, session["conversation"])  # one socket, one conversation
            await sio.save_session(sid, {"conversation": conversation})
            await sio.enter_room(sid, conversation)
            await sio.emit("session_confirm", session_secret, room=sid)

        @sio.on(USER_EVENT)
        async def user_uttered(sid: str, data: Any = None) -> None:
            conversation = (await sio.get_session(sid)).get("conversation")
            text = user_text_from(data)
            if conversation is None or text is None:
                logger.info("web chat: dropped a %s frame without a session or text", USER_EVENT)
                return
            notes = WebChatOutput(sio, BOT_EVENT)
            if not (self.limiter.allow(f"socket:{sid}") and self.limiter.allow(conversation)):
                await notes.send_text_message(conversation, SLOW_DOWN)
                return
            text, was_cut = bound(text)
            if was_cut:
                await notes.send_text_message(conversation, CUT_NOTE)
            output = CountingOutput(sio, BOT_EVENT)
            try:
                await on_new_message(UserMessage(text, output, conversation, input_channel=self.name()))
            except Exception as error:  # e.g. the tracker store or the lock store is down
                logger.error("web chat message failed: %s", type(error).__name__)
                await output.send_text_message(conversation, TEMPORARILY_UNAVAILABLE)
                return
            if not output.sent:
                await output.send_text_message(conversation, NO_REPLY)

        return webchat


async def _static(filename: str) -> response.HTTPResponse:
    path = STATIC_DIR / filename
    if path.suffix not in STATIC_TYPES or not path.is_file():
        return response.text("Not found", status=404)
    return await response.file(
        path, mime_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"}
    )
