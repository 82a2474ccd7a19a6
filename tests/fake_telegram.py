"""A fake Telegram Bot API server on 127.0.0.1 for offline tests of the Telegram bridge.

It serves queued updates to getUpdates (long polling), records every method call with
its parameters, and answers like the real API, so the bridge runs through
python-telegram-bot's real HTTP stack.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time

from aiohttp import web

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "IWM Guide", "username": "iwm_guide_bot"}


class FakeTelegram:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self._updates: asyncio.Queue[dict] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/bot"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # --- what a user does -------------------------------------------------------------------
    def user_sends(self, chat_id: int, text: str, chat_type: str = "private", edited: bool = False) -> None:
        message = self._message(chat_id, text, from_user=True, chat_type=chat_type)
        if text.startswith("/") and text[1:2].isalpha():
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if edited:
            message["edit_date"] = int(time.time())
        key = "edited_message" if edited else "message"
        self._updates.put_nowait({"update_id": next(self._ids), key: message})

    def user_presses(self, chat_id: int, callback_data: str, chat_type: str = "private") -> str:
        query_id = f"cq{next(self._ids)}"
        self._updates.put_nowait(
            {
                "update_id": next(self._ids),
                "callback_query": {
                    "id": query_id,
                    "from": self._user(chat_id),
                    "chat_instance": f"ci{chat_id}",
                    "data": callback_data,
                    "message": self._message(chat_id, "(a message with buttons)", False, chat_type),
                },
            }
        )
        return query_id

    def user_presses_button(self, chat_id: int, title: str) -> str:
        """Press the newest button with this title that the bot sent to the chat."""
        for name, params in reversed(self.calls):
            if name not in ("sendMessage", "sendPhoto") or str(params.get("chat_id")) != str(chat_id):
                continue
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == title:
                        return self.user_presses(chat_id, button["callback_data"])
        raise AssertionError(f"the bot sent chat {chat_id} no button titled {title!r}")

    async def wait_for_button(self, chat_id: int, title: str, after: int = 0, timeout: float = 60) -> None:
        """Wait until a message after the first `after` ones to the chat shows this button.

        A person presses a button only once they see it; one turn's reply can arrive as
        several messages, and the button may be on the last of them.
        """
        deadline = time.monotonic() + timeout
        while True:
            titles = {
                button["text"]
                for message in self.calls_to("sendMessage", chat_id)[after:]
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                for button in row
            }
            if title in titles:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no button titled {title!r} after message #{after}")
            await asyncio.sleep(0.05)

    # --- what the bot did -------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[dict]:
        return [
            params
            for name, params in self.calls
            if name == method and (chat_id is None or str(params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for(
        self, method: str, count: int, chat_id: int | None = None, timeout: float = 60
    ) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method, chat_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{method} called {len(self.calls_to(method, chat_id))} times, wanted {count}"
                )
            await asyncio.sleep(0.05)
        return self.calls_to(method, chat_id)

    async def wait_for_text(self, chat_id: int, expected: str, after: int = 0, timeout: float = 60) -> str:
        """The first message after the first `after` ones that contains `expected`.

        Replies to one turn arrive as several messages, so waiting for "one more message"
        can catch the tail of the previous turn instead of the answer to this one.
        """
        deadline = time.monotonic() + timeout
        while True:
            texts = [message["text"] for message in self.calls_to("sendMessage", chat_id)[after:]]
            found = next((text for text in texts if expected in text), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no message containing {expected!r} after #{after}; got {texts}")
            await asyncio.sleep(0.05)

    # --- the API ----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if method == "getUpdates":
            return self._ok(await self._get_updates(float(params.get("timeout") or 0)))
        if method == "getMe":
            return self._ok({**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                             "supports_inline_queries": False})  # fmt: skip
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            message = self._message(int(params["chat_id"]), params.get("text", ""), from_user=False)
            if method == "sendPhoto":
                message["photo"] = [{"file_id": "f1", "file_unique_id": "u1", "width": 640, "height": 600}]
            if method == "sendDocument":
                message["document"] = {"file_id": "d1", "file_unique_id": "u2", "file_name": "results.pdf"}
            return self._ok(message)
        return self._ok(True)  # deleteWebhook, setMyCommands, sendChatAction, answerCallbackQuery

    async def _get_updates(self, timeout: float) -> list[dict]:
        try:
            first = await asyncio.wait_for(self._updates.get(), timeout=max(timeout, 0.1))
        except asyncio.TimeoutError:
            return []
        updates = [first]
        while not self._updates.empty():
            updates.append(self._updates.get_nowait())
        return updates

    @staticmethod
    async def _params(request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params = {}
        for key, value in form.items():
            if hasattr(value, "file"):
                params[key] = {"filename": value.filename, "size": len(value.file.read())}
                continue
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        return params

    @staticmethod
    def _ok(result) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _user(chat_id: int) -> dict:
        return {"id": chat_id, "is_bot": False, "first_name": "Test"}

    def _message(self, chat_id: int, text: str, from_user: bool, chat_type: str = "private") -> dict:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {
                "id": chat_id,
                "type": chat_type,
                **({"title": "A group"} if chat_type != "private" else {}),
            },
            "from": self._user(chat_id) if from_user else BOT_USER,
            "text": text,
        }
