"""The web chat widget in a real browser: Debian's chromium driven by Playwright.

The widget is served by the Rasa server under /webchat/ and talks to it over socket.io.
Screenshots go to results/artifacts/ so a person can look at them.
"""

from __future__ import annotations

import gzip
import http.server
import re
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page, expect

from bot.channels.webchat import (
    STATIC_DIR,
    allowed_origins_from,
    conversation_id,
    origin_is_allowed,
    own_origins,
    session_secret_from,
    user_text_from,
)
from tests.servers import ROOT, Servers, free_port

ARTIFACTS = ROOT / "results" / "artifacts"
WIDGET = STATIC_DIR / "widget.js"


# --- the channel's own rules, without a browser ------------------------------------------
def test_only_the_own_and_configured_origins_may_connect():
    embedders = allowed_origins_from("https://www.example.org, https://example.org/")
    assert embedders == ["https://www.example.org", "https://example.org"]
    allowed = own_origins(None, "5005") + embedders
    assert origin_is_allowed("http://127.0.0.1:5005", allowed)
    assert origin_is_allowed("https://example.org", allowed)
    assert not origin_is_allowed("https://evil.example.com", allowed)
    assert not origin_is_allowed("http://127.0.0.1:5006", own_origins(None, "5005"))
    # the bot's own origin is configured, never taken from the request's Host header
    assert own_origins("https://bot.example.org", "5005") == ["https://bot.example.org"]


@given(st.one_of(st.none(), st.integers(), st.text(), st.dictionaries(st.text(), st.text() | st.integers())))
def test_whatever_a_client_sends_the_channel_gets_a_valid_session_and_text_or_nothing(data):
    assert re.fullmatch(r"[0-9a-f]{32,64}", session_secret_from(data))
    text = user_text_from(data)
    assert text is None or isinstance(text, str)


def test_a_session_secret_the_server_issued_is_kept_and_anything_else_replaced():
    issued = session_secret_from(None)
    assert len(issued) == 64 and session_secret_from({"session_id": issued}) == issued
    assert session_secret_from({"session_id": "../../etc/passwd"}) != "../../etc/passwd"


def test_the_conversation_id_cannot_be_turned_back_into_the_secret_that_opens_it():
    secret = session_secret_from(None)
    conversation = conversation_id(secret, b"key")
    assert secret not in conversation and conversation == conversation_id(secret, b"key")
    assert conversation_id(conversation.removeprefix("wc-"), b"key") != conversation


def test_the_widget_is_small():
    raw = WIDGET.read_bytes()
    assert len(raw) < 20_000 and len(gzip.compress(raw)) < 7_000


# --- in the browser ----------------------------------------------------------------------
class HostPage:
    """Another website (its own origin) that embeds the widget with one script tag."""

    def __init__(self, bot_url: str, port: int | None = None):
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A host site</title></head>'
            f'<body><h1>A site that embeds the bot</h1><script src="{bot_url}/webchat/widget.js" '
            f'data-server="{bot_url}" data-title="Ask about attachment" data-color="#7a3e9d" '
            'data-lang="es" defer></script></body></html>'
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args) -> None:
                pass

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def allowed_site() -> Iterator[int]:
    yield free_port()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, allowed_site):
    """Both servers, with one other site allowed to embed the widget."""
    servers = Servers(
        tmp_path_factory.mktemp("webchat"),
        "test_webchat-servers.log",
        env={"WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{allowed_site}"},
    )
    servers.start()
    yield servers
    servers.stop()


def open_chat(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Open chat")).click()
    expect(page.locator(".msg.bot").first).to_contain_text("automated program", timeout=30_000)


def chat_on_demo_page(browser: Browser, servers: Servers, **page_options) -> Page:
    page = browser.new_page(**page_options)
    page.goto(f"{servers.base_url}/webchat/")
    open_chat(page)
    return page


def send(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def last_bot_text(page: Page) -> str:
    return page.locator(".msg.bot").last.inner_text()


def wait_for_reply(page: Page, count_before: int, timeout: float = 30_000) -> None:
    expect(page.locator(".msg.bot")).not_to_have_count(count_before, timeout=timeout)


@pytest.mark.e2e
def test_a_visitor_asks_clicks_through_buttons_sees_the_chart_and_reloads(browser, servers, library):
    page = chat_on_demo_page(browser, servers, viewport={"width": 1280, "height": 860})
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.id") == "iwm-input"

    send(page, "what does a therapist mean by a secure base")
    therapy = library.get("therapy").title
    expect(page.locator(".msg.bot", has_text=therapy)).to_be_visible(timeout=30_000)

    # a related topic offered as a button is explained when clicked
    titles = {topic.title for topic in library}
    offered = page.locator(".buttons button").filter(has_text=re.compile("|".join(map(re.escape, titles))))
    expect(offered.first).to_be_visible(timeout=30_000)  # the buttons may come a moment after the text
    title = next(text for text in page.locator(".buttons button").all_inner_texts() if text in titles)
    page.get_by_role("button", name=title, exact=True).click()
    expect(page.locator(".msg.user").last).to_have_text(f"You said: {title}")
    expect(page.locator(".msg.bot", has_text=title)).to_be_visible(timeout=30_000)

    # the whole questionnaire by buttons, then the chart
    send(page, "I'd like to take the attachment quiz")
    page.get_by_role("button", name="Yes, let's start").click(timeout=30_000)
    page.get_by_role("button", name="Romantic partner").click(timeout=30_000)
    for number in range(1, 10):
        expect(page.locator(".msg.bot", has_text=f"{number} of 9").last).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="6 Agree").click()
    chart = page.locator(".msg.bot img")
    expect(chart).to_be_visible(timeout=60_000)
    assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 300
    expect(page.locator(".msg.bot", has_text="Your results")).to_be_visible()
    expect(page.get_by_role("button", name="Can this change?")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-desktop.png"))

    # a one-page PDF of the results, as a download
    send(page, "save my results as a pdf")
    download_link = page.locator(".msg.bot a.download")
    expect(download_link).to_be_visible(timeout=30_000)
    assert download_link.get_attribute("href").startswith("data:application/pdf;base64,JVBER")  # %PDF
    assert download_link.get_attribute("download").endswith(".pdf")

    # a reload keeps the transcript on screen and the conversation on the server
    shown = page.locator(".msg").count()
    page.reload()
    expect(page.locator(".msg")).to_have_count(shown, timeout=10_000)
    send(page, "show my results")
    expect(page.locator(".msg.bot", has_text="Your results").nth(1)).to_be_visible(timeout=30_000)

    # "New conversation" starts afresh: a new greeting, and the server no longer knows us
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg.bot").first).to_contain_text("automated program", timeout=30_000)
    expect(page.locator(".msg.user")).to_have_count(0)
    send(page, "show my results")
    expect(page.locator(".msg.bot").last).to_contain_text("haven't completed", timeout=30_000)
    page.close()


@pytest.mark.e2e
def test_deleting_my_data_needs_its_own_yes_and_then_the_browser_forgets_the_chat_too(browser, servers):
    page = chat_on_demo_page(browser, servers)
    bots = page.locator(".msg.bot").count()
    send(page, "yes delete it")  # nothing asked yet: nothing happens
    wait_for_reply(page, bots)
    expect(page.locator(".msg.bot").last).to_contain_text("nothing was deleted", timeout=30_000)
    send(page, "delete my data")
    expect(page.locator(".msg.bot").last).to_contain_text("Are you sure?", timeout=30_000)
    secret_before = page.evaluate("Object.values(localStorage).map(JSON.parse)[0].sessionId")
    send(page, "yes")
    expect(page.locator(".note")).to_contain_text("Your data was deleted", timeout=30_000)
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.locator(".msg.bot").first).to_contain_text("automated program", timeout=30_000)
    stored = page.evaluate("Object.values(localStorage).map(JSON.parse)[0]")
    assert stored["sessionId"] != secret_before
    assert not [entry for entry in stored["log"] if entry["from"] == "user"]
    page.close()


@pytest.mark.e2e
def test_script_in_a_message_is_shown_as_text_never_run(browser, servers):
    page = chat_on_demo_page(browser, servers)
    payload = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">**bold**'
    bots = page.locator(".msg.bot").count()
    send(page, payload)
    wait_for_reply(page, bots)
    expect(page.locator(".msg.user").last).to_have_text(f"You said: {payload}")
    assert page.evaluate("window.pwned") is None
    widget_html = page.evaluate("document.querySelector('.iwm-webchat').shadowRoot.innerHTML")
    assert "<script>" not in widget_html and 'src="x"' not in widget_html
    page.close()


@pytest.mark.e2e
def test_on_a_phone_the_chat_fills_the_screen_and_works_by_keyboard(browser, servers, library):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{servers.base_url}/webchat/")
    launcher = page.get_by_role("button", name=re.compile("Open chat"))
    for _ in range(5):  # the page's own focusable parts come first
        page.keyboard.press("Tab")
        if launcher.evaluate("(button) => button.getRootNode().activeElement === button"):
            break
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot").first).to_contain_text("automated program", timeout=30_000)
    panel = page.get_by_role("dialog", name="IWM Guide")
    assert panel.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
    greeting = page.locator(".msg.bot").count()
    page.keyboard.type("why do I keep choosing partners who pull away?")
    page.keyboard.press("Enter")
    wait_for_reply(page, greeting)
    expect(page.locator(".typing")).to_have_count(0)
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    page.screenshot(path=str(ARTIFACTS / "webchat-phone.png"))
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    context.close()


@pytest.mark.e2e
def test_only_configured_sites_can_embed_the_widget(browser, servers, allowed_site):
    allowed = HostPage(servers.base_url, port=allowed_site)
    stranger = HostPage(servers.base_url)
    try:
        page = browser.new_page()
        page.goto(allowed.url)
        page.get_by_role("button", name=re.compile("Abrir chat")).click()  # data-lang="es"
        expect(page.locator(".msg.bot").first).to_contain_text("automated program", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "webchat-embedded.png"))
        page.close()

        page = browser.new_page()
        page.goto(stranger.url)
        page.get_by_role("button", name=re.compile("Abrir chat")).click()
        expect(page.locator(".note")).to_contain_text("No se puede conectar", timeout=15_000)
        assert page.locator(".msg.bot").count() == 0
        page.close()
    finally:
        allowed.close()
        stranger.close()


@pytest.mark.e2e
def test_with_the_action_server_down_the_widget_says_so_instead_of_going_silent(browser, servers):
    """Runs last in this module: it stops the action server."""
    page = chat_on_demo_page(browser, servers)
    servers.stop_action_server()
    send(page, "what is an internal working model?")
    expect(page.locator(".msg.bot").last).to_contain_text("couldn't put an answer together", timeout=30_000)
    page.close()
