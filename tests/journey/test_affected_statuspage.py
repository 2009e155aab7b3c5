"""Journey (g2): IT's status page (a local Statuspage v2 server) announces an outage; the
report window's first page shows it with its latest update and time, the person says "I'm
affected too", reviews and sends, and no ticket is opened: the sent page gives the status
page's link. In English, Russian and Ukrainian (the words come from the catalog)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.i18n import Translator
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_policy, write_settings
from tests.statuspage_server import status_page

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

TITLE = "Video calls drop after a minute"
UPDATE = "We have found the cause at the conference provider and are rolling out a fix."


def _shown(screen: atspi.Screen, name: str) -> list[atspi.Node]:
    return [n for n in screen.nodes() if n.name == name and n.showing]


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_affected_by_a_status_page_incident_opens_no_ticket(tmp_path: Path,
                                                            language: str) -> None:
    t = Translator(language)
    updated = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=7)
    with status_page() as page, desktop(tmp_path, f"g2-affected-statuspage-{language}",
                                        language=language) as d:
        page.announce("vc1", TITLE, UPDATE, status="identified", at=updated)
        reports = d.home / "reports"
        write_settings(d.home, {"destination.type": "folder",
                                "reports.folder": str(reports)})
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "incidents.feeds": [{"type": "statuspage", "name": "Status", "url": page.url}]}))
        d.start([*flare_command(), "report"], "flare")
        d.wait_window(t.tr("Report a problem"))
        p = Person(d)
        try:
            s = p.screen
            known = s.find(atspi.ROLE_PUSH_BUTTON,
                           t.ntr("{n} known problem or open ticket",
                                 "{n} known problems or open tickets", n=1), timeout_s=30)
            p.click(known)
            s.find(atspi.ROLE_LABEL, t.tr("Is it already known?"))
            # The latest update and its time, as the status page says them.
            when = t.tr("Last update at {time}", time=f"{updated.astimezone():%H:%M}")
            shown = s.find(atspi.ROLE_LABEL, contains=UPDATE)
            assert TITLE in shown.name and when in shown.name, shown.name
            d.screenshot("offered")
            p.click(s.find(None, t.tr("I'm affected too: {title}", title=TITLE)))
            next_button = s.find(atspi.ROLE_PUSH_BUTTON, t.tr("&Next").replace("&", ""))
            p.click(next_button)
            s.find(atspi.ROLE_LABEL, t.tr("You are affected by a known problem"))
            s.find(atspi.ROLE_LABEL, t.tr(
                "Nothing is sent: support already knows about this problem. Send shows you "
                "where to follow it."))
            d.screenshot("question")
            p.click(next_button)
            s.find(atspi.ROLE_LABEL, t.tr("Check what will be sent"), timeout_s=30)
            d.screenshot("review")
            assert not _shown(s, t.tr("Your e-mail address")), \
                "nothing is sent: no e-mail address is asked for"
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, t.tr("&Send").replace("&", "")))
            link = f"{page.url}/incidents/vc1"
            s.find(atspi.ROLE_LABEL, t.tr(
                "Support already knows about this problem, so no ticket was opened. "
                "Follow it here: {url}", url=link), timeout_s=30)
            d.screenshot("sent")
            assert not _shown(s, t.tr(
                "You can follow it under \"My reports\" in the Flare menu.")), \
                "nothing was sent, so there is nothing to follow in My reports"
        finally:
            p.close()
        # Nothing was filed: no report in the folder, and the status page was only read.
        assert not reports.exists() or not any(reports.iterdir())
        assert page.requests >= 1
