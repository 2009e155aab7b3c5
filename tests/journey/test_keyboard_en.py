"""Journey (a): a person files the Outlook case in English with the keyboard alone.

An error window from "Outlook" is on the screen; the person opens Flare, picks the category,
types every answer (real sentences, at typing speed, into whatever has the focus), takes a
screenshot, reviews and sends. What reaches the folder destination must hold every character.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import (
    answer_outlook_case,
    assert_outlook_answers,
    next_to_review,
    show_outlook_error,
    wait_for_bundle,
)

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]


def test_keyboard_only_outlook_case(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "a-keyboard-en", language="en") as d:
        write_settings(d.home, {"reports.folder": str(out), "reporter.email": "ann@example.org"})
        show_outlook_error(d)
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Report a problem")
        p = Person(d)
        try:
            s = p.screen
            s.find(atspi.ROLE_LIST, "Kind of problem")
            d.screenshot("category")
            # Nothing is chosen for the person: Next says what to do.
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Choose what the problem is about.")
            d.screenshot("category-refused")
            # Its number chooses a category and goes on (the numbers stand in the list).
            p.key("2")
            s.find(atspi.ROLE_LABEL, "Tell us what happened")
            d.screenshot("questions")
            answer_outlook_case(p, d, choose_category=False)
            next_to_review(p, d)
            # The screenshots and diagnostics pages were passed by; Back leads to them, Next
            # returns to the review (past the diagnostics again).
            p.key("alt+b")
            s.find(atspi.ROLE_LABEL, "Diagnostics")
            d.screenshot("diagnostics")
            p.key("alt+b")
            s.find(atspi.ROLE_LABEL, "Screenshots")
            d.screenshot("screenshots")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Check what will be sent", timeout_s=30)
            where = s.find(atspi.ROLE_LABEL, contains="Send saves the report in the folder")
            assert str(out) in where.name
            s.find(atspi.ROLE_PUSH_BUTTON, "Send")
            d.screenshot("review")
            p.key("Return")  # Send is the review page's default button
            s.find(atspi.ROLE_LABEL, "Thank you", timeout_s=30)
            d.screenshot("sent")
        finally:
            p.close()
    assert_outlook_answers(wait_for_bundle(out))
