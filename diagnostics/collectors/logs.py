"""Recent system errors: journald or syslog, Windows Event Log, macOS unified log.

Only a short window and a bounded size: enough for support to spot the crash or the failing
driver, not a log dump. Parsers are pure and tested on recorded output.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.i18n import N_, current
from diagnostics.collector import (
    CollectContext,
    Collector,
    CollectorOutput,
    SkipCollector,
    warn,
)
from diagnostics.commands import CommandError, available, run

MAX_ENTRIES = 50
MAX_MESSAGE = 400
MAX_TOTAL = 24 * 1024
SYSLOG_FILES = ("/var/log/syslog", "/var/log/messages")
_ERRORISH = re.compile(
    r"(?i)\b(error|err|fail(?:ed|ure)?|critical|crit|fatal|panic|segfault|oom|out of memory)\b"
)


def _entry(time: str, source: str, message: str, level: str = "error") -> dict[str, str]:
    msg = " ".join(message.split())
    if len(msg) > MAX_MESSAGE:
        msg = msg[: MAX_MESSAGE - 1] + "…"
    return {"time": time, "source": source, "level": level, "message": msg}


def limit(entries: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """Newest entries first, within count and size limits; returns (kept, dropped)."""
    kept: list[dict[str, str]] = []
    total = 0
    for e in entries[:MAX_ENTRIES]:
        total += len(e["message"]) + len(e["source"]) + 40
        if total > MAX_TOTAL:
            break
        kept.append(e)
    return kept, len(entries) - len(kept)


_JOURNAL_LEVEL = {"0": "emergency", "1": "alert", "2": "critical", "3": "error"}


def parse_journal(text: str) -> list[dict[str, str]]:
    """`journalctl -o json` lines (oldest first) -> entries newest first."""
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        msg = rec.get("MESSAGE", "")
        if isinstance(msg, list):  # journald stores non-UTF-8 messages as byte arrays
            msg = bytes(b for b in msg if isinstance(b, int) and 0 <= b < 256).decode(
                "utf-8", "replace")
        try:
            ts = datetime.fromtimestamp(int(rec["__REALTIME_TIMESTAMP"]) / 1e6, UTC)
            when = ts.isoformat(timespec="seconds")
        except (KeyError, ValueError):
            when = ""
        source = rec.get("SYSLOG_IDENTIFIER") or rec.get("_COMM") or rec.get("_SYSTEMD_UNIT", "")
        out.append(_entry(when, str(source), str(msg),
                          _JOURNAL_LEVEL.get(str(rec.get("PRIORITY", "3")), "error")))
    out.reverse()
    return out


_SYSLOG_ISO = re.compile(r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?"
                         r"(?:[+-]\d\d:?\d\d|Z)?)\s+"
                         r"\S+\s+(?P<src>[^:\[\s]+)(?:\[\d+\])?:\s*(?P<msg>.*)$")
_SYSLOG_BSD = re.compile(r"^(?P<ts>[A-Z][a-z]{2}\s+\d{1,2} \d\d:\d\d:\d\d)\s+\S+\s+"
                         r"(?P<src>[^:\[\s]+)(?:\[\d+\])?:\s*(?P<msg>.*)$")


def parse_syslog(text: str, since: datetime, now: datetime) -> list[dict[str, str]]:
    """Error-looking lines of a classic syslog file newer than ``since``, newest first."""
    out = []
    for line in text.splitlines():
        m = _SYSLOG_ISO.match(line)
        if m:
            try:
                ts = datetime.fromisoformat(m.group("ts").replace("Z", "+00:00"))
            except ValueError:
                continue
            if ts.tzinfo is None:
                ts = ts.replace(tzinfo=now.tzinfo)
        else:
            m = _SYSLOG_BSD.match(line)
            if not m:
                continue
            try:  # BSD syslog has no year: assume the current one
                ts = datetime.strptime(f"{now.year} {m.group('ts')}", "%Y %b %d %H:%M:%S")
            except ValueError:
                continue
            ts = ts.replace(tzinfo=now.tzinfo)
        if ts < since or not _ERRORISH.search(m.group("msg")):
            continue
        out.append(_entry(ts.isoformat(timespec="seconds"), m.group("src"), m.group("msg")))
    out.reverse()
    return out


def parse_wevtutil(text: str, log: str) -> list[dict[str, str]]:
    """`wevtutil qe LOG /f:text` output (already newest first with /rd:true)."""
    out = []
    for block in re.split(r"(?m)^Event\[\d+\]:\s*$", text):
        if not block.strip():
            continue
        fields: dict[str, str] = {}
        desc: list[str] = []
        in_desc = False
        for line in block.splitlines():
            if in_desc:
                desc.append(line.strip())
                continue
            key, sep, value = line.strip().partition(":")
            if not sep:
                continue
            if key == "Description":
                in_desc = True
                if value.strip():
                    desc.append(value.strip())
            else:
                fields[key] = value.strip()
        if not fields:
            continue
        source = fields.get("Source", "")
        if fields.get("Event ID"):
            source += f" ({log} {fields['Event ID']})"
        out.append(_entry(fields.get("Date", ""), source, " ".join(d for d in desc if d),
                          fields.get("Level", "Error").lower()))
    return out


def parse_macos_log(text: str) -> list[dict[str, str]]:
    """`log show --style ndjson` output (oldest first) -> newest first."""
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict) or "eventMessage" not in rec:
            continue
        source = Path(rec.get("processImagePath", "") or "").name or rec.get("subsystem", "")
        out.append(_entry(str(rec.get("timestamp", "")), str(source), str(rec["eventMessage"]),
                          str(rec.get("messageType", "error")).lower()))
    out.reverse()
    return out


def _tail(path: str, max_bytes: int = 512 * 1024) -> str:
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - max_bytes))
        return f.read().decode("utf-8", "replace")


class SystemLogCollector(Collector):
    name = "system_log"
    title = N_("Recent system errors")
    description = N_("Errors from the system log (journald/syslog, Windows Event Log System "
                     "and Application, macOS unified log) in the last minutes, size-limited.")
    timeout_s = 4.0
    privacy = "personal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        if ctx.log_minutes <= 0:
            raise SkipCollector(current().tr(
                "system logs not collected (policy: log_minutes is 0)"))
        minutes = ctx.log_minutes
        source, entries = self._read(ctx.platform, minutes)
        kept, dropped = limit(entries)
        data: dict[str, Any] = {"source": source, "minutes": minutes, "entries": kept}
        if dropped:
            data["omitted"] = dropped
        findings = []
        t = current()
        if entries:
            sources = sorted({e["source"] for e in kept})[:5]
            findings.append(warn(t.ntr(
                "{n} system error in the last {minutes} min from {sources}",
                "{n} system errors in the last {minutes} min from {sources}",
                n=len(entries), minutes=minutes, sources=", ".join(sources))))
            summary = t.ntr("{n} error in the last {minutes} min ({source})",
                            "{n} errors in the last {minutes} min ({source})",
                            n=len(entries), minutes=minutes, source=source)
        else:
            summary = t.tr("no errors in the last {minutes} min ({source})", minutes=minutes,
                           source=source)
        return CollectorOutput(data, summary, findings)

    def _read(self, platform: str, minutes: int) -> tuple[str, list[dict[str, str]]]:
        if platform == "windows":
            ms = minutes * 60_000
            query = (f"*[System[(Level=1 or Level=2) and "
                     f"TimeCreated[timediff(@SystemTime) <= {ms}]]]")
            entries: list[dict[str, str]] = []
            for log in ("System", "Application"):
                text = run(["wevtutil", "qe", log, f"/q:{query}", "/c:50", "/rd:true",
                            "/f:text"], 1.8)
                entries += parse_wevtutil(text, log)
            entries.sort(key=lambda e: e["time"], reverse=True)
            return "Windows Event Log", entries
        if platform == "darwin":
            text = run(["log", "show", "--last", f"{minutes}m", "--style", "ndjson",
                        "--predicate", "messageType == error"], 3.8)
            return "unified log", parse_macos_log(text)
        if available("journalctl"):
            try:
                text = run(["journalctl", "-p", "err", "--since", f"-{minutes}min", "-o", "json",
                            "--no-pager", "-n", "200", "-q"], 3.0)
                return "journald", parse_journal(text)
            except CommandError:
                pass  # no journal access: fall back to the classic files
        now = datetime.now().astimezone()
        for path in SYSLOG_FILES:
            try:
                text = _tail(path)
            except OSError:
                continue
            return path, parse_syslog(text, now - timedelta(minutes=minutes), now)
        return "none readable", []
