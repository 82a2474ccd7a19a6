"""Keys and settings that protect people: secrets kept 0600 and out of argv, retention within bounds."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from bot import keys
from bot.privacy import ConfigurationError, pseudonym_key, pseudonymize, retention_period


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "VAR_DIR", tmp_path / "var")
    for name in ("IWM_PSEUDONYM_KEY", "IWM_PSEUDONYM_KEY_FILE", "IWM_REST_TOKEN", "IWM_REST_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "var"


def test_a_missing_secret_is_created_once_readable_by_its_owner_only(var_dir):
    first = keys.secret("IWM_REST_TOKEN")
    assert keys.secret("IWM_REST_TOKEN") == first and len(first) == 64
    assert stat.S_IMODE((var_dir / "iwm_rest_token").stat().st_mode) == 0o600


def test_a_secret_comes_from_the_environment_or_a_named_file_first(var_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("IWM_REST_TOKEN", "from-env")
    assert keys.secret("IWM_REST_TOKEN") == "from-env"
    monkeypatch.delenv("IWM_REST_TOKEN")
    (tmp_path / "token").write_text("from-file\n")
    monkeypatch.setenv("IWM_REST_TOKEN_FILE", str(tmp_path / "token"))
    assert keys.secret("IWM_REST_TOKEN") == "from-file"
    assert not var_dir.exists()  # nothing generated when one was given


def test_one_pseudonym_key_is_stable_and_independent_of_any_bot_token(var_dir, monkeypatch):
    key = pseudonym_key()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:rotated")
    assert pseudonym_key() == key
    assert pseudonymize("telegram", "42", key) != pseudonymize("telegram", "42", b"123:rotated")


@pytest.mark.parametrize("setting", ["abc", "nan", "inf", "-inf", "0", "-3", "0.5", "1e6", "3651"])
def test_a_retention_period_outside_1_to_3650_days_is_refused_with_a_clear_message(setting, monkeypatch):
    monkeypatch.setenv("IWM_RETENTION_DAYS", setting)
    with pytest.raises(
        ConfigurationError, match="IWM_RETENTION_DAYS must be a number of days from 1 to 3650"
    ):
        retention_period()


@pytest.mark.parametrize(("setting", "days"), [("", 365), ("1", 1), ("30", 30), ("3650", 3650), (" 90 ", 90)])
def test_a_retention_period_within_bounds_is_taken(setting, days, monkeypatch):
    monkeypatch.setenv("IWM_RETENTION_DAYS", setting)
    assert retention_period() == timedelta(days=days)
