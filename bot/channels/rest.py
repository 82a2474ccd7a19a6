"""Rasa's REST webhook, closed to strangers: for the Telegram bridge and the tests, not for the public.

Rasa's own `rest` channel takes any sender id from anyone, so whoever reaches it can speak
(and read) as anybody. This one, mounted at the same path (/webhooks/rest/webhook), wants
`Authorization: Bearer <IWM_REST_TOKEN>`, a real sender id, a text message, and it applies
the channel guard (bot.channels.guard): long messages are cut with a note, floods get a
polite "slow down".

credentials.yml:

    bot.channels.rest.GuardedRestInput:
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels import TEMPORARILY_UNAVAILABLE
from bot.channels.guard import CUT_NOTE, SLOW_DOWN, RateLimiter, bound
from bot.keys import secret

logger = logging.getLogger(__name__)
SENDER = re.compile(r"^[\w.:@-]{1,128}$")
BAD_REQUEST = 'Send JSON {"sender": "<1-128 letters, digits or .:@_->", "message": "<text>"}.'


class GuardedRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(secret("IWM_REST_TOKEN"), RateLimiter.from_environment())

    def __init__(self, token: str, limiter: RateLimiter) -> None:
        self._expected = f"Bearer {token}".encode()
        self.limiter = limiter

    def _authorized(self, request: Request) -> bool:
        given = (request.headers.get("authorization") or "").encode()
        return hmac.compare_digest(given, self._expected)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"guarded_rest_{id(self)}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            if not self._authorized(request):
                return response.json({"error": "This endpoint needs the bot's REST token."}, status=401)
            try:
                body = request.json
            except Exception:  # Sanic raises its own type for any unreadable body
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            text = body.get("message") if isinstance(body, dict) else None
            if not isinstance(sender, str) or not SENDER.match(sender) or not isinstance(text, str):
                return response.json({"error": BAD_REQUEST}, status=400)
            if not self.limiter.allow(sender):
                return response.json([{"recipient_id": sender, "text": SLOW_DOWN}])
            text, was_cut = bound(text)
            collector = CollectingOutputChannel()
            notes = [{"recipient_id": sender, "text": CUT_NOTE}] if was_cut else []
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
            except Exception as error:  # what was said so far, then why the rest is missing
                logger.error("REST message failed: %s", type(error).__name__)
                unavailable = {"recipient_id": sender, "text": TEMPORARILY_UNAVAILABLE}
                return response.json([*notes, *collector.messages, unavailable])
            return response.json(notes + collector.messages)

        return webhook
