from __future__ import annotations

import pytest

from bot.content import ContentLibrary
from bot.nlp import load_pipeline
from bot.tutor import Tutor


@pytest.fixture(scope="session")
def library() -> ContentLibrary:
    return ContentLibrary.load()


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def tutor(library, nlp) -> Tutor:
    return Tutor(library, nlp)
