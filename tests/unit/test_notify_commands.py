"""The Windows toast and macOS notification commands carry any text safely: a quote or markup
in a report title can neither end the script early nor become toast XML."""

from __future__ import annotations

import re

from app.notify import macos_notify_command, windows_toast_command


def test_windows_toast_quotes_and_escapes_what_the_person_wrote() -> None:
    argv = windows_toast_command("Report sent", "\"Bob's <b>VPN</b>\" was sent as ticket 7.")
    assert argv[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command"]
    script = argv[4]
    # Inside a single-quoted PowerShell string a quote is doubled, never left to close it.
    xml = re.search(r"\$x\.LoadXml\('(.*?)'\);", script).group(1)  # type: ignore[union-attr]
    assert "Bob''s" in xml and "Bob's" not in xml.replace("''", "")
    assert "&lt;b&gt;VPN&lt;/b&gt;" in xml and "<b>" not in xml
    assert xml.startswith("<toast>") and xml.endswith("</toast>")


def test_macos_notification_escapes_quotes_and_backslashes() -> None:
    argv = macos_notify_command('Report "sent"', 'C:\\path "x"')
    assert argv[:2] == ["osascript", "-e"]
    assert argv[2] == ('display notification "C:\\\\path \\"x\\"" with title "Flare" '
                       'subtitle "Report \\"sent\\""')
