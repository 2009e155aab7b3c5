"""What journeys do again and again: wait for the bundle, Tab to a question, type and check,
answer the Outlook case."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.journey.atspi import (
    ROLE_ENTRY,
    ROLE_LABEL,
    ROLE_LIST,
    ROLE_PUSH_BUTTON,
    ROLE_TEXT,
    Node,
)
from tests.journey.desktop import Desktop, Person


def wait_for_bundle(out: Path, timeout_s: float = 30.0) -> dict[str, Any]:
    """The report.json of the one bundle the folder destination wrote."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(out.glob("*/report.json"))
        if found:
            return dict(json.loads(found[0].read_text(encoding="utf-8")))
        time.sleep(0.2)
    listing = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
    raise AssertionError(f"no bundle in the reports folder after {timeout_s} s: {listing}")


def tab_to(person: Person, name: str, *, limit: int = 12, back: bool = False) -> Node:
    """Press Tab (Shift+Tab) until the widget named (or labelled) ``name`` has the focus."""
    seen = []
    for _ in range(limit):
        node = person.screen.focused()
        if node.name == name or any(lbl.startswith(name) for lbl in person.atspi.labels(node)):
            return node
        seen.append(str(node))
        person.key("shift+Tab" if back else "Tab")
    node = person.screen.focused()
    if node.name == name or any(lbl.startswith(name) for lbl in person.atspi.labels(node)):
        return node
    raise AssertionError(f"Tab never reached {name!r}; it went through: " + ", ".join(seen))


def type_into_focus(person: Person, d: Desktop, text: str, shot: str) -> None:
    """Type ``text`` into whatever has the focus, and check that all of it arrived there
    and the focus did not move while typing."""
    before = person.screen.focused()
    person.type(text)
    after = person.screen.focused()
    d.screenshot(shot)
    assert after.path == before.path, f"the focus moved while typing: {before} -> {after}"
    got = person.atspi.text(after)
    assert got.endswith(text), f"typed {text!r}, the field holds {got!r}"


OUTLOOK = {
    "trying_to_do": "Send the monthly report to finance, with the Excel file attached.",
    "what_happened": "I click Send; Outlook says \"Cannot connect to the server\" and the mail "
                     "stays put.",
    "expected": "The mail leaves the Outbox and shows up in Sent Items.",
    "error_text": "Cannot connect to the server. Error 0x800CCC0E",
}


def show_outlook_error(d: Desktop) -> None:
    """The program in front when the person reports: an "Outlook" window with the error."""
    d.start(["xmessage", "-title", "Inbox - Outlook", "-center", OUTLOOK["error_text"]],
            "outlook")
    d.wait_window("Inbox - Outlook")


def answer_outlook_case(p: Person, d: Desktop, *, choose_category: bool = True) -> None:
    """From the category page ("A program shows an error", unless already chosen and on the
    questions page): every answer by keyboard and a screenshot of the error on the screen,
    on the shortest path the window offers: the category's number chooses it and goes on; the
    focus starts in the first empty answer; the category already says an error was seen, so
    the error's text follows "What did you expect"; Alt+T takes the picture and the focus goes
    on to the next empty answer; each drop-down takes its option's number and goes on to the
    next empty answer ("When" is the screenshot's time). Leaves the focus on the subject."""
    s = p.screen
    if choose_category:
        s.find(ROLE_LIST, "Kind of problem")
        p.key("2")  # "2. A program shows an error": chosen, and on to the questions
    s.find(ROLE_LABEL, "Tell us what happened")
    # The program in front is prefilled, so the focus starts at the first empty answer.
    app = s.wait(lambda ns: next((n for n in ns if n.role in (ROLE_TEXT, ROLE_ENTRY)
                                  and n.name == "Which program or website?"), None),
                 describe="the answer to 'Which program or website?'")
    assert "Outlook" in p.atspi.text(app), "the program in front was not prefilled"
    assert not [n for n in s.nodes() if n.name == "Did you see an error message?"], (
        "the category already says an error was seen: not asked again")
    assert_focus(p, "What were you trying to do?")
    type_into_focus(p, d, OUTLOOK["trying_to_do"], "trying")
    p.key("Tab")
    assert_focus(p, "What happened?")
    type_into_focus(p, d, OUTLOOK["what_happened"], "happened")
    p.key("Tab")
    assert_focus(p, "What did you expect to happen?")
    type_into_focus(p, d, OUTLOOK["expected"], "expected")
    p.key("Tab")
    assert_focus(p, "The text of the error message")
    type_into_focus(p, d, OUTLOOK["error_text"], "error-text")
    p.key("alt+t")  # "Take a screenshot", from inside the answer
    s.find(ROLE_LABEL, "Screenshot attached.", timeout_s=20)
    d.screenshot("screenshot-taken")
    # Each drop-down by its option's number; the focus goes on by itself (checked by the
    # next assert_focus), and the options picked are checked in the report.
    for question, number in (("Has this happened before?", "2"),  # Sometimes
                             ("Have you restarted the program or the computer since it "
                              "started?", "2"),  # Yes, it didn't help
                             ("Who is affected?", "1"),  # Just me
                             ("How much does it stop your work?", "2")):  # It slows me down
        assert_focus(p, question)
        p.key(number)
    assert_focus(p, "Subject of your report")
    d.screenshot("answered")


def assert_focus(person: Person, name: str) -> Node:
    """The widget named (or labelled) ``name`` has the focus, with no key pressed for it."""
    node = person.screen.focused()
    assert node.name == name or any(lbl.startswith(name) for lbl in person.atspi.labels(node)), (
        f"the focus is on {node}, not on {name!r}")
    return node


def past_similar_tickets(p: Person, d: Desktop, timeout_s: float = 30.0) -> None:
    """After the questions, a helpdesk that holds similar recent tickets (earlier journeys
    filed the same Outlook case in this RT) offers them first: "No, this is a new problem" is
    the default, so Next goes on (past the screenshots, which the report already holds)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for name in ("Check what will be sent", "Is it already in a ticket?"):
            try:
                p.screen.find(ROLE_LABEL, name, timeout_s=0.3)
            except AssertionError:
                continue
            if name != "Check what will be sent":
                d.screenshot("similar-offered")
                p.key("ctrl+Return")
            return


def next_to_review(p: Person, d: Desktop) -> None:
    """From the questions page, Next once to the review page: the screenshots page asks
    nothing and the report holds the screenshot, the diagnostics page asks nothing, so both
    are passed by (the review offers "Edit the screenshots…", and Back leads to both)."""
    p.key("ctrl+Return")
    past_similar_tickets(p, d)
    p.screen.find(ROLE_LABEL, "Check what will be sent", timeout_s=30)
    p.screen.find(ROLE_PUSH_BUTTON, "Edit the screenshots…")


def assert_outlook_answers(report: dict[str, Any]) -> None:
    answers = {a["question_id"]: a["value"] for a in report["answers"]}
    for qid, text in OUTLOOK.items():
        assert answers[qid] == text, (qid, answers.get(qid))
    assert "Outlook" in answers["application"]
    assert answers["error_seen"] is True, "the category's answer did not reach the report"
    assert (answers["first_time"], answers["restarted"], answers["impact"],
            answers["urgency"]) == ("sometimes", "restarted_no_change", "me", "slowed")
    assert report["category"] == "app_error"
    assert report["steps"], "the screenshot did not reach the report"


def tray_icon_centre(d: Desktop) -> tuple[int, int]:
    """Where Flare's icon sits in trayer's panel (absolute screen coordinates)."""
    import re

    deadline = time.monotonic() + 20
    seen: tuple[int, int] | None = None
    while time.monotonic() < deadline:
        found = None
        for line in d.run("xwininfo", "-root", "-tree").splitlines():
            m = re.search(r'"Flare": \("[^"]*" "Flare"\)\s+(\d+)x(\d+)'
                          r'\+-?\d+\+-?\d+\s+\+(\d+)\+(\d+)', line)
            if m and int(m.group(1)) < 64:
                w, h, x, y = map(int, m.groups())
                found = (x + w // 2, y + h // 2)
        # Qt creates the icon's window at the screen's origin before the tray host embeds
        # it: only a place that holds for two looks, away from the origin, is the panel's.
        if found is not None and found == seen and max(found) > 32:
            return found
        seen = found
        time.sleep(0.2)
    raise AssertionError("Flare's tray icon never appeared")


def tray_menu(p: Person, d: Desktop, downs: int, until: str) -> None:
    """Right-click the tray icon and take the entry ``downs`` lines down by keyboard (Qt's
    tray menu is not in the accessibility tree); ``until``: a window title or a button name
    that shows it worked."""
    x, y = tray_icon_centre(d)
    for _ in range(3):
        d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "3")
        p.clicks += 1
        time.sleep(0.8)
        p.key(*["Down"] * downs, "Return")
        try:
            if p.screen.wait(lambda ns: next((n for n in ns if n.name == until
                                              or until in n.name), None),
                             timeout_s=5, describe=until):
                return
        except AssertionError:
            d.screenshot("menu-missing")
            d.run("xdotool", "key", "Escape")
    raise AssertionError(f"the tray menu never led to {until!r}")
