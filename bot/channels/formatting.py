"""Turning the bot's small Markdown subset into safe channel markup.

Replies use **bold**, *italic* / _italic_, "- " lists and ``` blocks (shown verbatim).
Channels get HTML with every other character escaped first, so neither bot nor user
text can inject markup; long HTML is split so that every part is well formed on its own.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])", re.DOTALL)
_FENCED = re.compile(r"```\n?(.*?)\n?```", re.DOTALL)


_TAG = re.compile(r"<(/?)(b|i|pre)>")
_CLOSING_RESERVE = len("</b></i></pre>")


def markdown_to_html(text: str) -> str:
    """Escape everything, then turn the Markdown subset into <b>, <i> and <pre> tags.

    Fenced blocks (the data export) stay verbatim: JSON keys like first_seen are not italics.
    """
    parts = _FENCED.split(text)
    return "".join(
        (f"<pre>{html.escape(part, quote=False)}</pre>" if part else "") if i % 2 else _inline(part)
        for i, part in enumerate(parts)
    )  # (an empty block is no block: Telegram refuses an empty entity)


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return _ITALIC.sub(r"<i>\1</i>", escaped)


def _cut_point(window: str) -> int:
    """Where to end a part: a paragraph, line or word boundary, never inside a tag or an entity."""
    cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
    if cut <= 0:
        cut = len(window)
    head = window[:cut]
    for opener, closer in (("<", ">"), ("&", ";")):
        start = head.rfind(opener)
        if start > head.rfind(closer):
            cut = start
            head = window[:cut]
    return cut if cut > 0 else len(window)


def _open_after(open_tags: list[str], chunk: str) -> list[str]:
    tags = list(open_tags)
    for closing, name in _TAG.findall(chunk):
        if not closing:
            tags.append(name)
        elif name in tags:
            tags.remove(name)
    return tags


def split_html(text: str, limit: int) -> list[str]:
    """Split HTML from markdown_to_html so each part fits the limit and is well formed on its own.

    Cuts fall at paragraph, line or word boundaries; tags open at a cut are closed at the end
    of that part and opened again at the start of the next.
    """
    parts: list[str] = []
    open_tags: list[str] = []
    remaining = text
    while remaining:
        prefix = "".join(f"<{name}>" for name in open_tags)
        if len(prefix) + len(remaining) <= limit:
            parts.append(prefix + remaining)
            break
        cut = _cut_point(remaining[: limit - len(prefix) - _CLOSING_RESERVE])
        chunk = remaining[:cut]
        still_open = _open_after(open_tags, chunk)
        parts.append(prefix + chunk.rstrip() + "".join(f"</{name}>" for name in reversed(still_open)))
        open_tags, remaining = still_open, remaining[cut:].lstrip()
    return [part for part in parts if _TAG.sub("", part).strip()]


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
