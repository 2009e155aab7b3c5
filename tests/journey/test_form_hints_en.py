"""Journey: what the form says to a vague answer and to two problems in one (issue 14).

The person types "Outlook doesn't work" and presses Next: the form keeps them on the page and
says what it already has and what to add ("“Outlook” is a good start…"). They replace it with
two problems joined by "also": the form lets them on, with a quiet hint that quotes both and
suggests sending the second as a new report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import tab_to

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

TWO = "Outlook does not send mail with attachments, also Excel crashes when I open the Q3 report"


def test_vague_answer_named_and_two_problems_quoted(tmp_path: Path) -> None:
    with desktop(tmp_path, "form-hints-en", language="en") as d:
        write_settings(d.home, {"reports.folder": str(tmp_path / "reports"),
                                "reporter.email": "ann@example.org"})
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Report a problem")
        p = Person(d)
        try:
            s = p.screen
            s.find(atspi.ROLE_LIST, "Kind of problem")
            p.key("Down", "alt+n")
            s.find(atspi.ROLE_LABEL, "Tell us what happened")
            tab_to(p, "Which program or website?")
            p.type("Outlook")
            tab_to(p, "What were you trying to do?")
            p.type("Send the monthly report to finance")
            tab_to(p, "What happened?")
            p.type("Outlook doesn't work")
            p.key("alt+n")  # refused: the focus goes back to the answer that says too little
            said = s.find(atspi.ROLE_LABEL, contains="is a good start")
            assert "Outlook" in said.name and "what exactly goes wrong" in said.name
            s.find(atspi.ROLE_LABEL, "Tell us what happened")  # still on the questions
            assert p.screen.focused().path == tab_to(p, "What happened?").path
            tab_to(p, "What did you expect to happen?")  # the message above it comes into view
            d.screenshot("vague-named")
            field = tab_to(p, "What happened?", back=True)
            p.key("ctrl+a")
            p.type(TWO)
            assert p.atspi.text(field) == TWO
            hint = s.find(atspi.ROLE_LABEL, contains="looks like more than one problem")
            assert "Outlook does not send mail with attachments" in hint.name
            assert "Excel crashes when I open the Q3 report" in hint.name
            assert "new report" in hint.name
            assert not [n for n in s.nodes() if "is a good start" in n.name]
            tab_to(p, "What did you expect to happen?")  # the hint above it comes into view
            d.screenshot("two-problems-hint")
        finally:
            p.close()
