"""A small async client for Rasa's REST webhook, used by the channel front ends.

Retries with backoff when Rasa is down or slow; the caller gets RasaUnavailable after the
last try and tells the person, instead of crashing or staying silent. The webhook wants the
REST token (bot/channels/rest.py); a refused token is a configuration error, not retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import httpx

logger = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error, even after retries."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        token: str,
        backoff_s: Sequence[float] = (0.5, 1.0, 2.0),
        timeout_s: float = 30.0,
    ):
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}
        self._backoff = tuple(backoff_s)
        self._timeout = timeout_s

    async def send(self, sender: str, text: str) -> list[dict]:
        """All of the bot's replies to one message, in order."""
        payload = {"sender": sender, "message": text}
        for attempt, pause in enumerate((*self._backoff, None), start=1):
            try:
                response = await self._http.post(
                    self._url, json=payload, headers=self._headers, timeout=self._timeout
                )
                if response.status_code == 401:
                    logger.error("Rasa refused the REST token: check IWM_REST_TOKEN on both sides")
                    raise RasaUnavailable("unauthorized")
                response.raise_for_status()
                return response.json()
            except (httpx.HTTPError, ValueError) as error:
                logger.warning("Rasa request failed (attempt %d): %s", attempt, type(error).__name__)
                if pause is None:
                    raise RasaUnavailable(str(type(error).__name__)) from None
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")
