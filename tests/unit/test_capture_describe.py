"""The line each step says about itself, in the reporter's language, and never the text typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.i18n import Translator
from capture.a11y import Element
from capture.describe import MESSAGES, describe_click, describe_typing

ROOT = Path(__file__).resolve().parents[2]
SEND = Element(43, "push button", "Send", "Quarterly report – Message", "Outlook")
PASSWORD = Element(40, "password text", "Password", "Sign in", "Invoices")


def test_a_click_names_the_control_its_role_window_and_program() -> None:
    assert describe_click(1, 10, 20, SEND, None, None) == (
        "Left click on 'Send' (button) in 'Quarterly report – Message' (Outlook)")
    assert describe_click(3, 10, 20, SEND, None, None).startswith("Right click on 'Send'")


def test_without_the_tree_the_window_and_then_the_point_are_said() -> None:
    assert describe_click(1, 5, 6, None, "Inbox - Outlook", "outlook.exe") == (
        "Left click in 'Inbox - Outlook' (outlook.exe)")
    assert describe_click(1, 5, 6, None, None, None) == "Left click at (5, 6)"
    unnamed = Element(37, "page tab", "", "Settings", "Invoices")
    assert describe_click(1, 5, 6, unnamed, None, None) == (
        "Left click on a tab in 'Settings' (Invoices)")
    odd = Element(999, "future widget", "Knob", "Mixer", "Sound")
    assert "(future widget)" in describe_click(1, 0, 0, odd, None, None)


def test_typing_says_where_never_what() -> None:
    assert describe_typing(PASSWORD, None, None) == (
        "Typed into 'Password' (password field) in 'Sign in' (Invoices)")
    assert describe_typing(None, "Terminal", "xterm") == "Typed in 'Terminal' (xterm)"
    assert describe_typing(None, None, None) == "Typed on the keyboard"


@pytest.mark.parametrize("language, expected", [
    ("ru", "Щелчок левой кнопкой по «Send» (кнопка) в окне «Quarterly report – Message» "
           "(Outlook)"),
    ("uk", "Клацання лівою кнопкою на «Send» (кнопка) у вікні «Quarterly report – Message» "
           "(Outlook)"),
])
def test_the_line_is_in_the_reporters_language(language: str, expected: str) -> None:
    assert describe_click(1, 0, 0, SEND, None, None, Translator(language).tr) == expected


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_every_word_of_a_step_line_is_translated(language: str) -> None:
    t = Translator(language)
    assert [m for m in MESSAGES if t.tr(m) == m] == []
