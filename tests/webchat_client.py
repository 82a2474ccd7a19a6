"""A bare socket.io client for the web chat channel: speaks the frames the widget speaks, or any others.

The browser tests use the real widget; this client lets tests send what no widget would
(no Origin, guessed session ids, malformed frames, huge frames).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import websockets


class RawWebChat:
    def __init__(self, base_url: str, origin: str | None = None):
        self.url = base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.origin = origin
        self.socket: Any = None
        self.received: list[dict] = []
        self.secret: str | None = None

    async def __aenter__(self) -> RawWebChat:
        headers = {"Origin": self.origin} if self.origin else {}
        self.socket = await websockets.connect(self.url, extra_headers=headers, max_size=None)
        assert (await self.socket.recv()).startswith("0")  # engine.io open
        await self.socket.send("40")
        assert (await self._next_frame()).startswith("40")
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.socket.close()

    async def _next_frame(self, timeout: float = 30) -> str:
        while True:
            frame = await asyncio.wait_for(self.socket.recv(), timeout)
            if frame == "2":
                await self.socket.send("3")  # engine.io ping -> pong
                continue
            return frame

    async def emit(self, event: str, *data: Any) -> None:
        await self.socket.send("42" + json.dumps([event, *data]))

    async def session(self, secret: str | None = None) -> str:
        await self.emit("session_request", {"session_id": secret})
        while True:
            event, *data = await self._event()
            if event == "session_confirm":
                self.secret = data[0]
                return self.secret

    async def _event(self, timeout: float = 30) -> list:
        while True:
            frame = await self._next_frame(timeout)
            if frame.startswith("42"):
                return json.loads(frame[2:])

    async def say(self, text: str, quiet_s: float = 1.5, timeout: float = 60) -> list[dict]:
        """Everything the bot sends back until it has been quiet for `quiet_s` seconds."""
        await self.emit("user_uttered", {"message": text})
        return await self.replies(quiet_s, timeout)

    async def replies(self, quiet_s: float = 1.5, timeout: float = 60) -> list[dict]:
        replies: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event, *data = await self._event(timeout=quiet_s if replies else timeout)
            except asyncio.TimeoutError:
                break
            if event == "bot_uttered":
                replies.append(data[0])
        self.received += replies
        return replies


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)
