"""Journey (a): a person files the Outlook case in English with the keyboard alone.

An error window from "Outlook" is on the screen; the person opens Flare, picks the category,
types every answer (real sentences, at typing speed, into whatever has the focus), takes a
screenshot, reviews and sends. What reaches the folder destination must hold every character.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.conftest import tab_to, type_into_focus, wait_for_bundle
from tests.journey.desktop import Person, desktop, flare_command, write_settings

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

TRYING = "Send the monthly report to finance, with the Excel file attached."
HAPPENED = "I click Send; Outlook says \"Cannot connect to the server\" and the mail stays put."
EXPECTED = "The mail leaves the Outbox and shows up in Sent Items."
ERROR = "Cannot connect to the server. Error 0x800CCC0E"


def test_keyboard_only_outlook_case(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "a-keyboard-en", language="en") as d:
        write_settings(d.home, {"reports.folder": str(out), "reporter.email": "ann@example.org"})
        d.start(["xmessage", "-title", "Inbox - Outlook", "-center", ERROR], "outlook")
        d.wait_window("Inbox - Outlook")
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
            p.key("Down")
            chosen = s.find(atspi.ROLE_LIST_ITEM, "A program shows an error")
            assert atspi.STATE_SELECTED in chosen.states
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Tell us what happened")
            d.screenshot("questions")

            app = tab_to(p, "Which program or website?")
            assert "Outlook" in p.atspi.text(app), "the program in front was not prefilled"
            tab_to(p, "What were you trying to do?")
            type_into_focus(p, d, TRYING, "trying")
            tab_to(p, "What happened?")
            type_into_focus(p, d, HAPPENED, "happened")
            tab_to(p, "What did you expect to happen?")
            type_into_focus(p, d, EXPECTED, "expected")
            tab_to(p, "Did you see an error message?")
            p.key("space")
            tab_to(p, "The text of the error message")
            type_into_focus(p, d, ERROR, "error-text")
            tab_to(p, "Screenshot of the error")
            p.key("space")
            s.find(atspi.ROLE_LABEL, "Screenshot attached.", timeout_s=20)
            d.screenshot("screenshot-taken")
            tab_to(p, "Has this happened before?")
            p.key("Down", "Down")  # "Sometimes"
            tab_to(p, "Have you restarted the program or the computer since it started?")
            p.key("Down", "Down")  # "Yes, it didn't help"
            tab_to(p, "Who is affected?")
            p.key("Down")
            tab_to(p, "How much does it stop your work?")
            p.key("Down", "Down")
            d.screenshot("answered")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Screenshots")
            d.screenshot("screenshots")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Diagnostics")
            d.screenshot("diagnostics")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Check what will be sent", timeout_s=30)
            where = s.find(atspi.ROLE_LABEL, contains="Send saves the report in the folder")
            assert str(out) in where.name
            s.find(atspi.ROLE_PUSH_BUTTON, "Send")
            d.screenshot("review")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, "Thank you", timeout_s=30)
            d.screenshot("sent")
        finally:
            p.close()
    report = wait_for_bundle(out)
    answers = {a["question_id"]: a for a in report["answers"]}
    assert answers["trying_to_do"]["value"] == TRYING
    assert answers["what_happened"]["value"] == HAPPENED
    assert answers["expected"]["value"] == EXPECTED
    assert answers["error_text"]["value"] == ERROR
    assert "Outlook" in answers["application"]["value"]
    assert report["steps"], "the screenshot did not reach the report"
