from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.content import ContentLibrary
from bot.embedding import shared_encoder
from bot.nlp import load_pipeline
from bot.reader import Reader
from bot.retrieval import SemanticIndex
from bot.tutor import Tutor
from tests.servers import Servers

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of each kind we support: a SQLite file, and a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'iwm.sqlite3'}"
        return
    name = f"iwm_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(POSTGRES_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def library() -> ContentLibrary:
    return ContentLibrary.load()


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def reader(library, nlp) -> Reader:
    semantic = SemanticIndex(library, shared_encoder())
    return Reader.load(library, nlp, semantic)


@pytest.fixture(scope="session")
def tutor(library) -> Tutor:
    return Tutor(library)


@pytest.fixture(scope="module")
def servers(request, tmp_path_factory):
    """Private Rasa and action servers for one test module, with their own databases."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    servers = Servers(tmp_path_factory.mktemp(name), f"{name}-servers.log")
    servers.start()
    yield servers
    servers.stop()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, driven by Playwright
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
