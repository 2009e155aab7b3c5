"""Journey (g3): the person said "I'm affected too" about an outage on IT's status page (a
local Statuspage v2 server); support posts an update there. The tray, at its first check,
tells the person (a notification) and lists the problem under "Known problems" with the
update and its time; choosing it shows every update and the page's link.

Two journeys: the second joins from the tray's own report window and finds the problem in
Known problems right after Send. The first starts after the person joined (the follower
checks a joined incident every incidents.follow_minutes, at least 5, so a journey cannot
wait for that check after a join in the same session): Flare's follower file holds the
incident as Flare's own feed reader read it from the page and ``join`` wrote it, as
test_replies_rt starts from a report already sent. What is checked is what reaches the
person: the notification, the menu (a screenshot read by OCR: Qt's tray menu is not in the
accessibility tree), the window with the updates.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.helpdesk.incident_follow import follower_reader, join, load_joined
from app.i18n import Translator
from tests.journey import atspi
from tests.journey.desktop import (
    Desktop,
    Person,
    desktop,
    flare_command,
    write_policy,
    write_settings,
)
from tests.journey.steps import tray_icon_centre, tray_menu
from tests.needs import missing
from tests.statuspage_server import status_page

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

TITLE = "Video calls drop after a minute"
FIRST = "We are looking into dropped video calls."
UPDATE = "The conference provider rolled out a fix; calls should hold again."
# What IT's status page says, in the language of the office (the menu is read by OCR in it).
TEXTS = {"en": (TITLE, FIRST, UPDATE, "conference provider"),
         "uk": ("Відеодзвінки обриваються за хвилину", "Зʼясовуємо, чому обриваються дзвінки.",
                "Постачальник конференцій виправив збій; дзвінки знову тримаються.",
                "Постачальник конференцій")}


def _state_dir(env: dict[str, str]) -> Path:
    return Path(subprocess.run(
        [sys.executable, "-c", "from app.dirs import Dirs; print(Dirs.for_user().state)"],
        env=env, capture_output=True, text=True, check=True).stdout.strip())


# The tray menu by keyboard: Report a problem, Capture step, Start recording, Screenshot of a
# region, Screenshot of a window, My reports, then Known problems (the queue line is hidden).
KNOWN_PROBLEMS_DOWNS = 7


def _read_menu(shot: Path, language: str = "en") -> str:
    from PIL import Image, ImageOps

    from capture.error_text import ocr, ocr_available

    if not ocr_available():
        missing("tesseract is not installed (tesseract-ocr): the tray menu is read by OCR")
    with Image.open(shot) as im:
        gray = im.convert("L").crop((0, 0, im.width, 240))
    # The tray menu is dark on light; its submenu opens to the left of it, white on the
    # highlight's blue over the black desktop. Each is read on its own, in its polarity
    # (read as one picture, tesseract mixed the two columns' lines).
    row = [gray.getpixel((x, 100)) for x in range(gray.width)]
    left = next((x for x, v in enumerate(row) if isinstance(v, int) and v > 200), 0)
    parts = [gray.crop((left, 0, gray.width, gray.height))]
    if left > 0:
        # White text only: the highlight and the desktop both become the paper.
        parts.insert(0, gray.crop((0, 0, left, gray.height)).point(
            lambda v: 255 if v < 130 else 255 - (v - 130) * 255 // 125))
    text = []
    for part in parts:
        part = ImageOps.autocontrast(part)
        text.append(ocr(part.resize((part.width * 2, part.height * 2)), language))
    return " ".join(" ".join(text).split())


def _open_known_problems(d: Desktop, p: Person, name: str) -> Path:
    """Right-click the tray icon, go down to Known problems and open its submenu; the
    screenshot of the menu and submenu as they show."""
    x, y = tray_icon_centre(d)
    d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "3")
    time.sleep(1.0)
    p.key(*["Down"] * KNOWN_PROBLEMS_DOWNS, "Right")
    time.sleep(0.8)
    return d.screenshot(name)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_update_of_a_joined_problem_reaches_the_tray(tmp_path: Path, language: str) -> None:
    t = Translator(language)
    title, first, update, words_of_update = TEXTS[language]
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=25)
    updated = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    with status_page() as page, desktop(tmp_path, f"g3-known-problems-tray-{language}",
                                        language=language, tray=True) as d:
        page.announce("vc1", title, first, status="identified", at=started)
        write_settings(d.home, {"destination.type": "folder",
                                "reports.folder": str(d.home / "reports"),
                                "destination.poll_minutes": 1, "capture.hotkey": ""})
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "incidents.feeds": [{"type": "statuspage", "name": "Status", "url": page.url}]}))
        state = _state_dir(d.env)
        [incident] = follower_reader(requests.Session(), tmp_path / "cache")(
            "statuspage", page.url)
        assert incident.details == first
        join(state, incident, now=time.time(), interval_s=0)  # due at the tray's first check
        # Support's update on the status page, after the person joined.
        page.post_update("vc1", update, at=updated)
        seen_before = page.requests

        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            # The notification (the tray's balloon) says what changed.
            note = s.find(None, contains=update, timeout_s=60)
            assert title in note.name, note.name
            s.find(None, t.tr("Update on a known problem"))
            d.screenshot("notified")
            assert page.requests > seen_before, "the tray read the status page"
            [j] = load_joined(state)
            assert [u["text"] for u in j.updates] == [first, update]

            # The tray menu: "Known problems (1)", the update and its time on its line.
            when = f"{updated.astimezone():%H:%M}"
            line = t.tr("{title} · {time}: {update}", title=title, time=when, update=update)
            for attempt in range(3):
                shot = _open_known_problems(d, p, f"tray-known-problems-{attempt}")
                p.key("Return")
                try:
                    # The window title ends with the application's name.
                    window = s.find(None, contains=t.tr("Known problem: {title}",
                                                        title=title), timeout_s=10)
                    break
                except AssertionError:
                    d.run("xdotool", "key", "Escape")
            else:
                raise AssertionError(f"the tray menu never opened the problem ({line!r})")
            # What the menu showed, read back from the screenshot (white on blue: scaled up
            # and contrasted for OCR, which is how the line in the menu was read here).
            menu = _read_menu(shot, language)
            known = t.tr("Known problems ({n})", n=1).split(" (")[0]
            for words in (when, words_of_update, known):
                # A colon in a time is the one mark OCR drops now and then (04:52 -> 0452).
                assert words.replace(":", "") in menu.replace(":", ""), \
                    f"{words!r} not in the tray menu as read: {menu!r}"
            # The window: every update, newest first, with its time, and the page's link.
            newest = s.find(atspi.ROLE_LABEL, t.tr("{time}: {update}", time=when,
                                                   update=update))
            oldest = s.find(atspi.ROLE_LABEL, contains=first)
            assert newest.extents[1] < oldest.extents[1], "newest first"
            s.find(atspi.ROLE_PUSH_BUTTON, t.tr("Open its page"))
            d.screenshot("updates")
            assert window.name
        finally:
            p.close()


def test_joining_from_the_tray_lists_the_problem_there(tmp_path: Path) -> None:
    """The joining itself, from the tray: Report a problem, the first page offers the status
    page's incident, "I'm affected too", Send; once the window closes, the tray's Known
    problems lists it with its latest update, and the follower file holds it."""
    t = Translator("en")
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=12)
    with status_page() as page, desktop(tmp_path, "g3-join-from-tray", tray=True) as d:
        page.announce("vc1", TITLE, FIRST, status="identified", at=started)
        write_settings(d.home, {"destination.type": "folder",
                                "reports.folder": str(d.home / "reports"),
                                "destination.poll_minutes": 1, "capture.hotkey": ""})
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "incidents.feeds": [{"type": "statuspage", "name": "Status", "url": page.url}]}))
        state = _state_dir(d.env)
        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            tray_menu(p, d, 1, t.tr("Report a problem"))
            p.click(s.find(atspi.ROLE_PUSH_BUTTON,
                           t.ntr("{n} known problem or open ticket",
                                 "{n} known problems or open tickets", n=1), timeout_s=30))
            p.click(s.find(None, t.tr("I'm affected too: {title}", title=TITLE)))
            next_button = s.find(atspi.ROLE_PUSH_BUTTON, t.tr("&Next").replace("&", ""))
            p.click(next_button)
            s.find(atspi.ROLE_LABEL, t.tr("You are affected by a known problem"))
            p.click(next_button)
            s.find(atspi.ROLE_LABEL, t.tr("Check what will be sent"), timeout_s=30)
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, t.tr("&Send").replace("&", "")))
            s.find(atspi.ROLE_LABEL, contains=f"{page.url}/incidents/vc1", timeout_s=30)
            d.screenshot("sent")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, t.tr("&Close").replace("&", "")))
            # Joined: the follower file has it, with the update the page showed.
            deadline = time.monotonic() + 20
            while not load_joined(state) and time.monotonic() < deadline:
                time.sleep(0.3)
            [j] = load_joined(state)
            assert (j.id, j.source, j.title) == ("vc1", "statuspage", TITLE)
            assert [u["text"] for u in j.updates] == [FIRST]
            when = f"{started.astimezone():%H:%M}"
            menu = ""
            for attempt in range(10):  # the menu is filled once the round after Send ends
                shot = _open_known_problems(d, p, f"tray-after-join-{attempt}")
                p.key("Escape", "Escape")
                menu = _read_menu(shot)
                if "Known problems" in menu:
                    break
                time.sleep(1.0)
            for words in (TITLE, when, "looking into dropped", "Known problems"):
                # A colon in a time is the one mark OCR drops now and then (04:52 -> 0452).
                assert words.replace(":", "") in menu.replace(":", ""), \
                    f"{words!r} not in the tray menu as read: {menu!r}"
        finally:
            p.close()
