"""Telegram front end (python-telegram-bot 22): bridges Telegram chats and Rasa's REST webhook.

Rasa's own telegram channel needs a public HTTPS webhook and ignores button presses, so
this bridge relays every message and button press to Rasa and every reply back, in order:
text (as escaped HTML, split at Telegram's limit), buttons as inline keyboards, images as
photos. One Application; state lives in its bot_data/chat_data, not in globals.

    TELEGRAM_BOT_TOKEN=... python -m bot.channels.telegram            # long polling
    TELEGRAM_WEBHOOK_URL=https://host/tg TELEGRAM_WEBHOOK_SECRET=...   # webhook mode
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets

import httpx
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, InlineKeyboardButtonLimit, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels import NO_REPLY
from bot.channels.formatting import coalesce_texts, markdown_to_html, split_message
from bot.channels.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

# Slash commands and the Rasa message each one sends.
COMMANDS = {
    "start": ("/greet", "Welcome, and what this bot is"),
    "help": ("/ask_help", "What I can do"),
    "topics": ("/list_topics", "All topics"),
    "quiz": ("/start_assessment", "Take the attachment questionnaire"),
    "resume": ("/resume_assessment", "Continue a paused questionnaire"),
    "results": ("/show_results", "Your questionnaire results"),
    "privacy": ("/ask_privacy", "What is stored, and what this bot is not"),
    "mydata": ("/export_data", "Everything stored about you, as JSON"),
    "delete": ("/delete_data", "Delete your answers, results and this conversation"),
}
CALLBACK_LIMIT = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes
TEXT_LIMIT = 3500  # below Telegram's 4096 so escaping and tags never push a part over
UNAVAILABLE = (
    "Sorry, I can't reach my answering engine right now. Please try again in a minute; "
    "nothing you've saved so far is lost."
)


def sender_id(chat_id: int, key: bytes) -> str:
    """Rasa sees a keyed hash of the chat, never the Telegram id itself."""
    return "tg-" + hmac.new(key, str(chat_id).encode(), hashlib.sha256).hexdigest()[:32]


def _callback_data(payload: str, chat_data: dict) -> str:
    """Payloads that exceed Telegram's 64-byte limit are kept per chat behind a short key."""
    if len(payload.encode()) <= CALLBACK_LIMIT:
        return payload
    long_payloads = chat_data.setdefault("long_payloads", {})
    key = f"#p{len(long_payloads)}"
    long_payloads[key] = payload
    return key


def _keyboard(buttons: list[dict], chat_data: dict) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(
                button["title"][:64], callback_data=_callback_data(button["payload"], chat_data)
            )
        ]
        for button in buttons
    ]
    return InlineKeyboardMarkup(rows)


async def relay(chat_id: int, text: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one message to Rasa and every reply back to the chat, in order."""
    rasa: RasaClient = context.bot_data["rasa"]
    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    try:
        replies = await rasa.send(sender_id(chat_id, context.bot_data["sender_key"]), text)
    except RasaUnavailable:
        await context.bot.send_message(chat_id, UNAVAILABLE)
        return
    if not replies:
        await context.bot.send_message(chat_id, NO_REPLY)
    for reply in coalesce_texts(replies):
        if reply.get("image"):
            await _send_image(chat_id, reply["image"], context)
        if reply.get("text"):
            parts = split_message(reply["text"], TEXT_LIMIT)
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                markup = _keyboard(reply.get("buttons") or [], context.chat_data) if last else None
                await context.bot.send_message(chat_id, markdown_to_html(part), parse_mode=ParseMode.HTML,
                                               reply_markup=markup)  # fmt: skip
        elif reply.get("buttons"):
            markup = _keyboard(reply["buttons"], context.chat_data)
            await context.bot.send_message(chat_id, "Choose one:", reply_markup=markup)


async def _send_image(chat_id: int, image: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    if image.startswith("data:image/"):
        data = base64.b64decode(image.split(",", 1)[1])
        await context.bot.send_photo(chat_id, photo=data)
    else:
        await context.bot.send_photo(chat_id, photo=image)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    await relay(update.effective_chat.id, COMMANDS[command][0], context)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await relay(update.effective_chat.id, update.effective_message.text, context)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()  # always answered, so the button stops spinning
    payload = (context.chat_data.get("long_payloads") or {}).get(query.data, query.data)
    await relay(update.effective_chat.id, payload, context)


async def _register_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, (_, text) in COMMANDS.items()])


async def _close_http(application: Application) -> None:
    await application.bot_data["http"].aclose()


def redact_from_logs(secret: str) -> None:
    """Every log record, from any library, has the secret replaced before any handler sees it.

    httpx and python-telegram-bot log request URLs, and the Bot API puts the token in the URL.
    """
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        if secret in message:
            record.msg, record.args = message.replace(secret, "<token>"), ()
        return record

    logging.setLogRecordFactory(redacting_factory)


def build_application(
    token: str,
    rasa_url: str,
    sender_key: bytes,
    base_url: str | None = None,
    backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0),
) -> Application:
    redact_from_logs(token)
    builder = Application.builder().token(token).post_init(_register_commands).post_shutdown(_close_http)
    if base_url:  # a local Bot API server, or a fake one in the tests
        builder = builder.base_url(base_url).base_file_url(base_url)
    application = builder.build()
    http = httpx.AsyncClient()
    application.bot_data.update(http=http, rasa=RasaClient(rasa_url, http, backoff_s), sender_key=sender_key)
    application.add_handler(CommandHandler(list(COMMANDS), on_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return application


def main() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s", level=logging.INFO)
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    key = (os.environ.get("IWM_PSEUDONYM_KEY") or token).encode()
    rasa_url = os.environ.get("RASA_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    application = build_application(token, rasa_url, key, os.environ.get("TELEGRAM_API_BASE_URL"))
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL")
    if webhook_url:
        application.run_webhook(
            listen="0.0.0.0",
            port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            url_path="telegram",
            webhook_url=webhook_url,
            secret_token=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32),
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
