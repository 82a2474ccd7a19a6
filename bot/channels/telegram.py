"""Telegram front end (python-telegram-bot 22): bridges Telegram chats and Rasa's REST webhook.

Rasa's own telegram channel needs a public HTTPS webhook and ignores button presses, so
this bridge relays every message and button press to Rasa and every reply back, in order:
text (as escaped HTML, split at Telegram's limit), buttons as inline keyboards, images as
photos. One Application; state lives in its bot_data and its callback-data cache, not in
globals. It serves private chats only (a group would make everyone in it one person), caps
message length and pace like every channel (bot.channels.guard), and ignores edits.
Button payloads stay on the server (python-telegram-bot's arbitrary callback data):
Telegram only carries an opaque key, so payloads of any length fit, and a press on a button
the bot no longer knows (after a restart) gets a clear "expired" reply.

    TELEGRAM_BOT_TOKEN=... python -m bot.channels.telegram            # long polling
    TELEGRAM_WEBHOOK_URL=https://host/tg TELEGRAM_WEBHOOK_SECRET=...   # webhook mode
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
from collections.abc import Awaitable, Callable

import httpx
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InvalidCallbackData,
    MessageHandler,
    filters,
)

from bot import replies
from bot.channels import NO_REPLY
from bot.channels.formatting import coalesce_texts, markdown_to_html, split_html
from bot.channels.guard import CUT_NOTE, SLOW_DOWN, RateLimiter, bound
from bot.channels.rasa_client import RasaClient, RasaUnavailable
from bot.keys import secret
from bot.privacy import pseudonym_key, pseudonymize

logger = logging.getLogger(__name__)

# Slash commands and the Rasa message each one sends.
COMMANDS = {
    "start": (replies.GREET, "Welcome, and what this bot is"),
    "help": (replies.ASK_HELP, "What I can do"),
    "topics": (replies.LIST_TOPICS, "All topics"),
    "quiz": (replies.START_ASSESSMENT, "Take the attachment questionnaire"),
    "resume": (replies.RESUME_ASSESSMENT, "Continue a paused questionnaire"),
    "results": (replies.SHOW_RESULTS, "Your questionnaire results"),
    "save": (replies.SAVE_RESULTS, "Your results as a one-page PDF to keep"),
    "privacy": (replies.ASK_PRIVACY, "What is stored, and what this bot is not"),
    "mydata": (replies.EXPORT_DATA, "Everything stored about you, as JSON"),
    "delete": (replies.DELETE_DATA, "Delete your answers, results and this conversation"),
}
TEXT_LIMIT = 3500  # below Telegram's 4096 so escaping and tags never push a part over
BUTTON_MEMORY = 4096  # keyboards whose payloads the bot remembers (python-telegram-bot's LRU cache)
UNAVAILABLE = (
    "Sorry, I can't reach my answering engine right now. Please try again in a minute; "
    "nothing you've saved so far is lost."
)
EXPIRED_BUTTON = (
    "Sorry, that button has expired. Please type your message, or send /help to see what I can do."
)
PRIVATE_ONLY = (
    "I only talk in private chats, so that what you share stays between you and me. "
    "Please message me directly."
)
EDITED = "I only read new messages, so I didn't take that edit. Please send it again as a new message."
TEXT_ONLY = "I can only read text messages. Please type what you'd like to ask."


def sender_id(chat_id: int, key: bytes) -> str:
    """Rasa sees a keyed hash of the chat (bot.privacy), never the Telegram id itself."""
    return "tg-" + pseudonymize("telegram", str(chat_id), key)[:32]


def _keyboard(buttons: list[dict]) -> InlineKeyboardMarkup | None:
    """Each button carries its whole payload; python-telegram-bot swaps it for a short key."""
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(button["title"][:64], callback_data=button["payload"])] for button in buttons
    ]
    return InlineKeyboardMarkup(rows)


async def relay(chat_id: int, text: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one message to Rasa and every reply back to the chat, in order."""
    if not context.bot_data["limiter"].allow(str(chat_id)):
        await context.bot.send_message(chat_id, SLOW_DOWN)
        return
    text, was_cut = bound(text)
    if was_cut:
        await context.bot.send_message(chat_id, CUT_NOTE)
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
        document = (reply.get("custom") or {}).get("document")
        if isinstance(document, dict):
            await _send_document(chat_id, document, context)
        if reply.get("text"):
            parts = split_html(markdown_to_html(reply["text"]), TEXT_LIMIT)
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                markup = _keyboard(reply.get("buttons") or []) if last else None
                await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup)
        elif reply.get("buttons"):
            markup = _keyboard(reply["buttons"])
            await context.bot.send_message(chat_id, "Choose one:", reply_markup=markup)


async def _send_image(chat_id: int, image: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    if image.startswith("data:image/"):
        data = base64.b64decode(image.split(",", 1)[1])
        await context.bot.send_photo(chat_id, photo=data)
    else:
        await context.bot.send_photo(chat_id, photo=image)


async def _send_document(chat_id: int, document: dict, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only a PDF the bot made itself (a data URI) is sent on, never a link."""
    data = str(document.get("data") or "")
    if not data.startswith("data:application/pdf;base64,"):
        return
    filename = str(document.get("filename") or "results.pdf")[:64]
    await context.bot.send_document(
        chat_id, document=base64.b64decode(data.split(",", 1)[1]), filename=filename
    )


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    await relay(update.effective_chat.id, COMMANDS[command][0], context)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await relay(update.effective_chat.id, update.effective_message.text, context)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()  # always answered, so the button stops spinning
    if update.effective_chat.type != ChatType.PRIVATE:
        await context.bot.send_message(update.effective_chat.id, PRIVATE_ONLY)
        return
    await relay(update.effective_chat.id, query.data, context)


def reply_with(text: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """A handler that answers with a fixed text: groups, edits, stickers and other non-text."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, text)

    return handler


async def on_expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from before a restart, or one the bot never sent: its payload is unknown."""
    await update.callback_query.answer()
    await context.bot.send_message(update.effective_chat.id, EXPIRED_BUTTON)


async def _register_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, (_, text) in COMMANDS.items()])


async def _close_http(application: Application) -> None:
    await application.bot_data["http"].aclose()


class Redaction(logging.Filter):
    """Replaces a secret in what a log handler is about to write: the message and any traceback.

    httpx and python-telegram-bot log request URLs, the Bot API puts the token in the URL,
    and an exception about a rejected token quotes it.
    """

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = record.getMessage().replace(self.secret, "<token>"), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for name in ("exc_text", "stack_info"):
            value = getattr(record, name)
            if value:
                setattr(record, name, value.replace(self.secret, "<token>"))
        return True


def redact_from_logs(secret: str) -> None:
    """Every handler of the root logger, where every library's records end up, redacts the secret."""
    redaction = Redaction(secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redaction)


def build_application(
    token: str,
    rasa_url: str,
    sender_key: bytes,
    rest_token: str,
    base_url: str | None = None,
    backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0),
) -> Application:
    redact_from_logs(token)
    builder = (
        Application.builder()
        .token(token)
        .arbitrary_callback_data(BUTTON_MEMORY)
        .post_init(_register_commands)
        .post_shutdown(_close_http)
    )
    if base_url:  # a local Bot API server, or a fake one in the tests
        builder = builder.base_url(base_url).base_file_url(base_url)
    application = builder.build()
    http = httpx.AsyncClient()
    application.bot_data.update(
        http=http,
        rasa=RasaClient(rasa_url, http, rest_token, backoff_s),
        sender_key=sender_key,
        limiter=RateLimiter.from_environment(),
    )
    private, new = filters.ChatType.PRIVATE, filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler(list(COMMANDS), on_command, filters=private & new))
    application.add_handler(MessageHandler(private & new & filters.TEXT, on_text))  # unknown /commands too
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, reply_with(EDITED)))
    application.add_handler(MessageHandler(private & new, reply_with(TEXT_ONLY)))
    application.add_handler(
        MessageHandler(~private & new & (filters.TEXT | filters.COMMAND), reply_with(PRIVATE_ONLY))
    )
    application.add_handler(CallbackQueryHandler(on_expired_button, pattern=InvalidCallbackData))
    application.add_handler(CallbackQueryHandler(on_button, pattern=str))
    return application


def main() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s", level=logging.INFO)
    token = secret("TELEGRAM_BOT_TOKEN", generate=False)
    if not token:
        raise SystemExit("error: set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE)")
    rasa_url = os.environ.get("RASA_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    application = build_application(
        token, rasa_url, pseudonym_key(), secret("IWM_REST_TOKEN"), os.environ.get("TELEGRAM_API_BASE_URL")
    )
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL")
    if webhook_url:  # behind a TLS-terminating proxy, which forwards to this loopback port
        application.run_webhook(
            listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            url_path="telegram",
            webhook_url=webhook_url,
            secret_token=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32),
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
