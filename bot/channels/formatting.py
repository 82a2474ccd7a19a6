"""Turning the bot's small Markdown subset into safe channel markup.

Replies use **bold**, *italic* / _italic_, "- " lists and ``` blocks (shown verbatim).
Channels get HTML with every other character escaped first, so neither bot nor user
text can inject markup.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])", re.DOTALL)
_FENCED = re.compile(r"```\n?(.*?)\n?```", re.DOTALL)


def markdown_to_html(text: str) -> str:
    """Escape everything, then turn the Markdown subset into <b> and <i> tags.

    Fenced blocks (the data export) stay verbatim: JSON keys like first_seen are not italics.
    """
    parts = _FENCED.split(text)
    return "".join(html.escape(part, quote=False) if i % 2 else _inline(part) for i, part in enumerate(parts))


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return _ITALIC.sub(r"<i>\1</i>", escaped)


def split_message(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries so each part fits the limit."""
    parts: list[str] = []
    remaining = text
    while len(remaining) > limit:
        window = remaining[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
        parts.append(remaining[:cut].rstrip())
        remaining = remaining[cut:].lstrip()
    if remaining:
        parts.append(remaining)
    return parts


def coalesce_texts(replies: list[dict]) -> list[dict]:
    """Join consecutive text-only replies again.

    Rasa's REST channel splits every plain text reply at blank lines into separate
    messages; a chat app should show one message with paragraphs instead.
    """
    merged: list[dict] = []
    for reply in replies:
        text_only = set(reply) <= {"text", "recipient_id"} and reply.get("text")
        previous = merged[-1] if merged else None
        if text_only and previous is not None and set(previous) <= {"text", "recipient_id"}:
            previous["text"] += "\n\n" + reply["text"]
        else:
            merged.append(dict(reply))
    return merged
