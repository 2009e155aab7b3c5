"""Who the report says is reporting: settings first, then the account's full name."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from app.context import AppContext
from app.identity import reporter_email, reporter_name


def test_settings_name_and_email_win(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(
        tmp_path, reporter__name="Olena Kovalenko", reporter__email=" olena@example.org "
    )
    assert reporter_name(ctx) == "Olena Kovalenko"
    assert reporter_email(ctx) == "olena@example.org"


def test_account_full_name_when_not_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pwd.getpwuid(os.getuid())
    fake = pwd.struct_passwd((*real[:4], "Taras Shevchenko,Room 12,,", *real[5:]))
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: fake)
    ctx = AppContext.for_tests(tmp_path)
    assert reporter_name(ctx) == "Taras Shevchenko"
    assert reporter_email(ctx) == ""


def test_email_from_it_template_with_the_login_name(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "Olena.K")
    ctx = AppContext.for_tests(tmp_path, reporter__email_template="{username}@example.org")
    assert reporter_email(ctx) == "olena.k@example.org"
    own = AppContext.for_tests(tmp_path, reporter__email_template="{username}@example.org",
                               reporter__email="o.kovalenko@example.org")
    assert reporter_email(own) == "o.kovalenko@example.org"


def test_a_full_name_that_is_only_the_login_name_is_no_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pwd.getpwuid(os.getuid())
    fake = pwd.struct_passwd((*real[:4], "root", *real[5:]))
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: fake)
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    assert reporter_name(AppContext.for_tests(tmp_path)) == ""
