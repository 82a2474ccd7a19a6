"""The Telegram bridge, offline: python-telegram-bot's real HTTP stack against a fake Bot API.

Whole conversations run against the real Rasa and action servers; the fake Telegram
server records what the bot sent.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import uuid

import pytest
from aiohttp import web
from hypothesis import example, given, settings
from hypothesis import strategies as st
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, User

from bot.channels import NO_REPLY
from bot.channels.formatting import coalesce_texts, markdown_to_html, split_html
from bot.channels.guard import CUT_NOTE, MAX_MESSAGE_CHARS, SLOW_DOWN
from bot.channels.telegram import (
    EDITED,
    EXPIRED_BUTTON,
    PRIVATE_ONLY,
    UNAVAILABLE,
    build_application,
    redact_from_logs,
    sender_id,
)
from tests.fake_telegram import FakeTelegram
from tests.servers import MEASUREMENT_RATE_LIMIT, free_port

TOKEN = "123456:TEST-secret-token-value"
KEY = b"telegram-test-key"
TELEGRAM_APP = build_application(
    TOKEN, "http://127.0.0.1:1", KEY, "no-rasa-here"
)  # offline: only its callback cache is used


async def with_bridge(rasa_url: str, scenario, rest_token: str = "no-rasa-here") -> FakeTelegram:
    fake = FakeTelegram(TOKEN)
    await fake.start()
    application = build_application(
        TOKEN, rasa_url, KEY, rest_token, base_url=fake.base_url, backoff_s=(0.05, 0.1)
    )
    try:
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                await scenario(fake)
            finally:
                await application.updater.stop()
                await application.stop()
    finally:
        await application.bot_data["http"].aclose()
        await fake.stop()
    return fake


def test_markdown_becomes_escaped_html():
    assert markdown_to_html("**Secure** and *warm* <script>alert(1)</script> & _more_") == (
        "<b>Secure</b> and <i>warm</i> &lt;script&gt;alert(1)&lt;/script&gt; &amp; <i>more</i>"
    )


def test_long_texts_are_split_at_word_boundaries_under_the_limit():
    text = ("word " * 2000).strip()
    parts = split_html(text, 3500)
    assert all(len(part) <= 3500 for part in parts) and " ".join(parts) == text


def test_paragraphs_split_by_rasa_are_joined_again_but_not_across_buttons_or_images():
    replies = [{"text": "a"}, {"text": "b"}, {"image": "x"}, {"text": "c"}, {"text": "d", "buttons": [1]}]
    assert coalesce_texts(replies) == [
        {"text": "a\n\nb"},
        {"image": "x"},
        {"text": "c"},
        {"text": "d", "buttons": [1]},
    ]


def press(application, payload: str) -> tuple[str, object]:
    """Send a one-button keyboard through the bot's callback cache, then press it as Telegram would."""
    markup = application.bot._replace_keyboard(
        InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=payload)]])
    )
    sent = markup.inline_keyboard[0][0].callback_data
    query = CallbackQuery("q1", User(7, "Test", False), "ci7", data=sent)
    application.bot.callback_data_cache.process_callback_query(query)
    return sent, query.data


def test_payloads_longer_than_64_bytes_travel_behind_a_short_key_and_come_back_whole():
    long_payload = "what is the difference between the fearful avoidant and the dismissive avoidant style?"
    sent, received = press(TELEGRAM_APP, long_payload)
    assert len(sent.encode()) <= 64 and received == long_payload
    assert press(TELEGRAM_APP, "/explain_therapy")[1] == "/explain_therapy"


def test_a_stale_or_forged_button_gets_an_expired_reply_and_reaches_nobody():
    async def scenario(fake: FakeTelegram) -> None:
        fake.user_presses(9, "made-up-callback-data")
        sent = await fake.wait_for("sendMessage", 1, chat_id=9)
        assert sent[0]["text"] == EXPIRED_BUTTON
        assert fake.calls_to("answerCallbackQuery")

    asyncio.run(with_bridge(f"http://127.0.0.1:{free_port()}", scenario))


def test_rasa_down_gives_a_friendly_message_and_the_token_is_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    closed_port = free_port()

    async def scenario(fake: FakeTelegram) -> None:
        fake.user_sends(7, "hello?")
        sent = await fake.wait_for("sendMessage", 1, chat_id=7)
        assert sent[0]["text"] == UNAVAILABLE
        fake.user_sends(7, "still there?")  # the bridge keeps working
        await fake.wait_for("sendMessage", 2, chat_id=7)

    fake = asyncio.run(with_bridge(f"http://127.0.0.1:{closed_port}", scenario))
    assert [name for name, _ in fake.calls].count("setMyCommands") == 1
    ours = [record.getMessage() for record in caplog.records if not record.name.startswith("aiohttp")]
    assert ours and not [line for line in ours if "secret-token" in line]


class RecordingRasa:
    """A stand-in for Rasa's REST webhook that records what the bridge sends and echoes it."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.authorizations: list[str] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> RecordingRasa:
        async def webhook(request: web.Request) -> web.Response:
            body = await request.json()
            self.received.append(body)
            self.authorizations.append(request.headers.get("Authorization", ""))
            return web.json_response(
                [{"recipient_id": body["sender"], "text": f"got {len(body['message'])}"}]
            )

        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._runner.cleanup()


def test_the_bridge_serves_private_chats_only_ignores_edits_and_caps_length_and_pace():
    async def run() -> RecordingRasa:
        async with RecordingRasa() as rasa:

            async def scenario(fake: FakeTelegram) -> None:
                fake.user_sends(-100123, "/mydata", chat_type="group")
                fake.user_sends(-100123, "what is attachment", chat_type="supergroup")
                assert [m["text"] for m in await fake.wait_for("sendMessage", 2, -100123)] == [
                    PRIVATE_ONLY
                ] * 2
                fake.user_presses(-100123, "/confirm_delete", chat_type="group")
                assert (await fake.wait_for("sendMessage", 3, -100123))[2]["text"] in (
                    PRIVATE_ONLY,
                    EXPIRED_BUTTON,
                )

                fake.user_sends(11, "my partner is distant", edited=True)
                assert (await fake.wait_for("sendMessage", 1, 11))[0]["text"] == EDITED

                fake.user_sends(12, "x" * 4096)
                sent = await fake.wait_for("sendMessage", 2, 12)
                assert [m["text"] for m in sent] == [CUT_NOTE, f"got {MAX_MESSAGE_CHARS}"]

                for i in range(25):
                    fake.user_sends(13, f"hello {i}")
                await fake.wait_for("sendMessage", 25, 13)
                assert SLOW_DOWN in [m["text"] for m in fake.calls_to("sendMessage", 13)]

            await with_bridge(rasa.url, scenario, rest_token="rest-secret")
            return rasa

    rasa = asyncio.run(run())
    assert not [
        body for body in rasa.received if body["sender"] == sender_id(-100123, KEY)
    ]  # groups: nothing
    assert len(rasa.received) == 1 + 20 and set(rasa.authorizations) == {"Bearer rest-secret"}


def test_a_rejected_token_in_a_traceback_is_redacted_from_every_log_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redact_from_logs(TOKEN)
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            logging.getLogger("telegram.ext").exception("Error while polling %s", f"/bot{TOKEN}/getUpdates")
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert "Traceback" in written and "rejected" in written and TOKEN not in written


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000), st.integers(60, 800))
def test_split_html_parts_fit_and_are_each_well_formed(text, limit):
    parts = split_html(markdown_to_html(text), limit)
    for part in parts:
        assert len(part) <= limit
        stack = []
        for closing, name in re.findall(r"<(/?)(b|i|pre)>", part):
            if closing:
                assert stack and stack.pop() == name, part
            else:
                stack.append(name)
        assert stack == [], part


def test_a_long_data_export_splits_into_parts_telegram_accepts():
    export = "Here is everything stored about you.\n\n```\n" + '{"first_seen": "x_y"}\n' * 400 + "```"
    parts = split_html(markdown_to_html(export), 3500)
    assert len(parts) > 1 and all(part.count("<pre>") == part.count("</pre>") == 1 for part in parts[1:])
    assert "<i>" not in "".join(parts)  # underscores in the JSON are not italics


def test_an_empty_answer_from_rasa_becomes_a_message_not_silence():
    """Rasa answers nothing when its action server is down; the person still hears back."""

    async def silent_rasa(_: web.Request) -> web.Response:
        return web.json_response([])

    async def scenario_with_silent_rasa() -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", silent_rasa)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]

        async def scenario(fake: FakeTelegram) -> None:
            fake.user_sends(8, "what is a secure base?")
            assert (await fake.wait_for("sendMessage", 1, chat_id=8))[0]["text"] == NO_REPLY

        try:
            return await with_bridge(f"http://127.0.0.1:{port}", scenario)
        finally:
            await runner.cleanup()

    asyncio.run(scenario_with_silent_rasa())


def test_rasa_never_sees_the_telegram_chat_id():
    assert "424242" not in sender_id(424242, KEY)
    assert sender_id(424242, KEY) == sender_id(424242, KEY) != sender_id(424243, KEY)


@pytest.mark.e2e
def test_a_question_and_a_full_assessment_by_inline_buttons(servers, library, monkeypatch):
    # a person reads each statement before pressing; the test presses as fast as replies come, and
    # the bridge's default pace (20 messages in 30 s, tested above) would stop it halfway
    monkeypatch.setenv("IWM_RATE_LIMIT", MEASUREMENT_RATE_LIMIT)
    chat = int(uuid.uuid4().int % 10**9)

    async def scenario(fake: FakeTelegram) -> None:
        fake.user_sends(chat, "/start")
        welcome = (await fake.wait_for("sendMessage", 1, chat))[0]
        assert "automated program" in welcome["text"] and welcome["parse_mode"] == "HTML"
        assert (
            welcome["reply_markup"]["inline_keyboard"][0][0]["text"] == "What is an internal working model?"
        )
        assert fake.calls_to("sendChatAction", chat)[0]["action"] == "typing"

        fake.user_sends(chat, "what does a therapist mean by a secure base")
        answer = (await fake.wait_for("sendMessage", 2, chat))[1]
        assert f"<b>{library.get('therapy').title}</b>" in answer["text"]

        fake.user_sends(chat, "/quiz")
        consent = (await fake.wait_for("sendMessage", 3, chat))[2]
        assert "not a diagnosis" in consent["text"]
        buttons = ["Yes, let's start", "Romantic partner", *["6 Agree"] * 9]
        shown_before = 2  # the consent question is the third message
        for presses, title in enumerate(buttons, start=1):
            await fake.wait_for_button(chat, title, after=shown_before)
            shown_before = len(fake.calls_to("sendMessage", chat))
            fake.user_presses_button(chat, title)
            await fake.wait_for("answerCallbackQuery", presses)
        photos = await fake.wait_for("sendPhoto", 1, chat)
        assert photos[0]["photo"]["size"] > 10_000
        messages = fake.calls_to("sendMessage", chat)
        results = next(message["text"] for message in messages if "Your results" in message["text"])
        # all 6: avoidance (2, 2, 2, 2, 6, 6) -> 3.3; anxiety 6.0
        assert "Attachment anxiety: 6.0" in results and "Attachment avoidance: 3.3" in results
        for message in messages:
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                assert all(len(button["callback_data"].encode()) <= 64 for button in row)

        async def exchange(send, text: str, expected: str) -> None:
            before = len(fake.calls_to("sendMessage", chat))
            send(chat, text)
            await fake.wait_for_text(chat, expected, after=before)

        await exchange(fake.user_sends, "/results", "Your results: romantic partner")
        await fake.wait_for("sendPhoto", 2, chat)
        await exchange(fake.user_sends, "/save", "one-page summary")
        summary = (await fake.wait_for("sendDocument", 1, chat))[0]["document"]
        assert summary["filename"].endswith(".pdf") and summary["size"] > 10_000
        await exchange(fake.user_sends, "/privacy", "pseudonymous")
        await exchange(fake.user_sends, "yes delete it", "nothing was deleted")  # no question was asked
        await exchange(fake.user_sends, "/results", "Your results: romantic partner")
        await exchange(fake.user_sends, "/delete", "Are you sure?")
        await exchange(fake.user_presses_button, "Yes, delete everything", "deleted")
        await exchange(fake.user_sends, "/results", "haven't completed")

    asyncio.run(with_bridge(servers.base_url, scenario, servers.rest_token))


@settings(max_examples=500)
@given(st.text(max_size=200))
def test_every_button_payload_fits_telegrams_limit_and_comes_back_unchanged(payload):
    sent, received = press(TELEGRAM_APP, payload)
    assert len(sent.encode()) <= 64
    assert received == payload


@settings(max_examples=500)
@given(st.text(max_size=500))
@example("``````")  # found by a CI run: an empty block
@example("```<b>hi</b>```")
def test_no_text_can_smuggle_markup_into_a_telegram_message(text):
    html = markdown_to_html(text)
    stripped = re.sub(r"</?(?:b|i|pre)>", "", html)  # the subset the bot's replies use
    assert "<" not in stripped and ">" not in stripped
    assert "<pre></pre>" not in html
