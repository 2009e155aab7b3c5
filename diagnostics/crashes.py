"""Application crashes the operating system recorded, read the way apport and DrKonqi do.

* Linux: systemd-coredump's journal records. ``coredumpctl --json=short list`` finds them (it
  is the documented interface and knows which records are coredumps); the fields it does not
  print (``COREDUMP_COMM``, ``COREDUMP_SIGNAL_NAME``, the package version systemd reads from
  the ELF package note) come from the same records through ``journalctl -o json``, and the
  program's last journal lines before the crash through ``journalctl _PID=…``.
* Windows: the Application event log, read with ``wevtutil qe Application /f:xml``: event 1000
  (source "Application Error") and event 1001 (source "Windows Error Reporting", an APPCRASH
  bucket). One crash usually writes both; they are merged.
* macOS: ``~/Library/Logs/DiagnosticReports/*.ips``: a one-line JSON header, then a JSON body
  (bug_type 309 is an application crash).

Every reader returns :class:`Crash` records, newest last, and never raises for a missing tool
or an unreadable record: no crash information is not a problem to report.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

COREDUMP_MESSAGE_ID = "fc2e22bc6ee647b6b90729ab34a250b1"
LOG_LINES = 8
TOOL_TIMEOUT_S = 20.0

Run = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True)
class Crash:
    """One application crash as the system recorded it."""

    program: str
    """The name a person knows (the app's name, else the executable's)."""
    time: datetime
    signal: str = ""
    """A signal name (SIGSEGV) on Linux and macOS, an exception code (0xc0000005) on Windows."""
    version: str = ""
    executable: str = ""
    pid: int | None = None
    log_tail: tuple[str, ...] = ()
    source: str = ""
    details: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The same crash read twice gives the same key."""
        return f"{self.source}:{self.executable or self.program}:{self.pid}:" \
               f"{self.time.timestamp():.0f}"

    def facts(self, redact: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, int]]:
        """The crash as plain data for a diagnostics section, redacted as the collectors'
        output is (secrets always; the ``redact`` kinds of personal data, e.g. the user name
        in a path), and the number of redactions per kind."""
        import getpass
        import socket

        from diagnostics.redact import Redactor

        out: dict[str, Any] = {
            "program": self.program, "version": self.version, "signal": self.signal,
            "time": self.time.isoformat(), "executable": self.executable, "pid": self.pid,
            "source": self.source, "log_tail": list(self.log_tail),
        }
        out.update(self.details)
        users = []
        with contextlib.suppress(KeyError, OSError):  # no user name here: nothing to learn
            users.append(getpass.getuser())
        redactor = Redactor(redact, known_hosts=[socket.gethostname()], known_users=users)
        data, counts = redactor.data(out)
        return data, dict(counts)


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=TOOL_TIMEOUT_S,
                          check=False, env={**os.environ, "SYSTEMD_PAGER": "", "LC_ALL": "C"})


def _from_us(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)) / 1_000_000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


# --------------------------------------------------------------------------- Linux


def linux_crashes(since: datetime, *, journal: Sequence[str] = (), run: Run = _run,
                  coredumpctl: str | None = None) -> list[Crash]:
    """Coredumps recorded after ``since``. ``journal`` selects journal files instead of the
    system journal (``["--file=F"]`` or ``["--directory=D"]``), as both tools take it."""
    tool = coredumpctl or shutil.which("coredumpctl")
    if tool is None:
        return []
    after = f"--since=@{since.timestamp():.6f}"
    try:
        listed = run([tool, *journal, "--no-pager", "--json=short", "list", after])
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("coredumpctl could not be run: %s", exc)
        return []
    if listed.returncode != 0:  # 1 with "No coredumps found."
        return []
    try:
        entries = json.loads(listed.stdout or "[]")
    except json.JSONDecodeError:
        log.info("coredumpctl printed no JSON: %.200s", listed.stdout)
        return []
    records = _coredump_records(tool, journal, after, run)
    crashes = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        pid = entry.get("pid")
        when = _from_us(entry.get("time"))
        if when is None or when <= since:
            continue
        rec = records.get((str(pid), str(entry.get("time")))) or records.get((str(pid), ""), {})
        exe = str(entry.get("exe") or rec.get("COREDUMP_EXE") or "")
        comm = rec.get("COREDUMP_COMM") or Path(exe).name or "?"
        sig = rec.get("COREDUMP_SIGNAL_NAME") or _signal_name(entry.get("sig"))
        crashes.append(Crash(
            program=comm, time=when, signal=sig,
            version=rec.get("COREDUMP_PACKAGE_VERSION", ""), executable=exe,
            pid=int(pid) if isinstance(pid, int) else None,
            log_tail=_journal_tail(tool, journal, pid, when, run),
            source="systemd-coredump",
            # Not the command line: its arguments are the person's files and, at times, secrets.
            details={"package": rec["COREDUMP_PACKAGE_NAME"]}
            if rec.get("COREDUMP_PACKAGE_NAME") else {},
        ))
    return sorted(crashes, key=lambda c: c.time)


def _journalctl(coredumpctl: str) -> str:
    sibling = Path(coredumpctl).with_name("journalctl")
    return str(sibling) if sibling.exists() else (shutil.which("journalctl") or "journalctl")


def _coredump_records(tool: str, journal: Sequence[str], after: str, run: Run
                      ) -> dict[tuple[str, str], dict[str, str]]:
    """(pid, timestamp) -> the coredump record's text fields."""
    try:
        done = run([_journalctl(tool), *journal, "--no-pager", "-o", "json", after,
                    f"MESSAGE_ID={COREDUMP_MESSAGE_ID}"])
    except (OSError, subprocess.TimeoutExpired):
        return {}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for line in done.stdout.splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        fields = {k: v for k, v in rec.items() if isinstance(v, str)}
        pid = fields.get("COREDUMP_PID", "")
        # coredumpctl's "time" is the crash time (COREDUMP_TIMESTAMP) when recorded.
        out[(pid, fields.get("COREDUMP_TIMESTAMP") or fields.get("__REALTIME_TIMESTAMP", ""))] \
            = fields
        out.setdefault((pid, ""), fields)
    return out


def _journal_tail(tool: str, journal: Sequence[str], pid: object, when: datetime, run: Run
                  ) -> tuple[str, ...]:
    if not isinstance(pid, int):
        return ()
    until = f"--until=@{(when + timedelta(seconds=1)).timestamp():.6f}"
    try:
        done = run([_journalctl(tool), *journal, "--no-pager", "-o", "json", until,
                    f"_PID={pid}", "-n", str(LOG_LINES)])
    except (OSError, subprocess.TimeoutExpired):
        return ()
    lines = []
    for line in done.stdout.splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        message = rec.get("MESSAGE")
        if isinstance(message, str) and rec.get("MESSAGE_ID") != COREDUMP_MESSAGE_ID:
            lines.append(message)
    return tuple(lines[-LOG_LINES:])


def _signal_name(number: object) -> str:
    import signal as _signal

    try:
        return _signal.Signals(int(str(number))).name
    except (ValueError, TypeError):
        return str(number or "")


# --------------------------------------------------------------------------- Windows

APPLICATION_ERROR = "1000"
WER_EVENT = "1001"
# Positional <Data> of event 1000 where the log names none (Windows 7 to 10).
_APP_ERROR_FIELDS = ("AppName", "AppVersion", "AppTimeStamp", "ModuleName", "ModuleVersion",
                     "ModuleTimeStamp", "ExceptionCode", "FaultingOffset", "ProcessId",
                     "ProcessCreationTime", "AppPath", "ModulePath", "IntegratorReportId",
                     "PackageFullName", "PackageRelativeAppId")
_WER_FIELDS = ("Bucket", "BucketType", "EventName", "Response", "CabId", "P1", "P2", "P3", "P4",
               "P5", "P6", "P7", "P8", "P9", "P10", "AttachedFiles", "StorePath",
               "AnalysisSymbol", "Rechecking", "ReportId", "ReportStatus", "HashedBucket",
               "CabGuid")
_CRASH_EVENTS = frozenset({(APPLICATION_ERROR, "Application Error"),
                           (WER_EVENT, "Windows Error Reporting")})
_WER_CRASHES = frozenset({"APPCRASH", "BEX", "BEX64", "MoAppCrash"})
_NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"


def wevtutil_query(since: datetime) -> list[str]:
    stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    query = ("*[System[Provider[@Name='Application Error' or @Name='Windows Error Reporting']"
             f" and (EventID=1000 or EventID=1001) and TimeCreated[@SystemTime>'{stamp}']]]")
    return ["wevtutil", "qe", "Application", f"/q:{query}", "/f:xml", "/rd:false"]


def windows_crashes(since: datetime, *, run: Run = _run, xml: str | None = None) -> list[Crash]:
    """Crashes in the Application log after ``since``; ``xml``: wevtutil's output, read
    instead of running it."""
    if xml is None:
        try:
            done = run(wevtutil_query(since))
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.info("wevtutil could not be run: %s", exc)
            return []
        xml = done.stdout if done.returncode == 0 else ""
    return parse_windows_events(xml, since)


def parse_windows_events(xml: str, since: datetime) -> list[Crash]:
    from defusedxml import ElementTree

    if not xml.strip():
        return []
    try:
        # wevtutil prints one <Event> after another, with no root element.
        root = ElementTree.fromstring(f"<Events>{xml.lstrip(chr(0xFEFF))}</Events>")
    except ElementTree.ParseError as exc:
        log.info("the Application log's XML could not be read: %s", exc)
        return []
    errors: list[Crash] = []
    reports: list[Crash] = []
    for event in root.iter(f"{_NS}Event"):
        system = event.find(f"{_NS}System")
        if system is None:
            continue
        event_id = (system.findtext(f"{_NS}EventID") or "").strip()
        provider = system.find(f"{_NS}Provider")
        source = provider.get("Name", "") if provider is not None else ""
        if (event_id, source) not in _CRASH_EVENTS:
            continue  # other sources use these numbers too (LoadPerf's 1000, for one)
        created = system.find(f"{_NS}TimeCreated")
        when = _windows_time(created.get("SystemTime", "") if created is not None else "")
        if when is None or when <= since:
            continue
        data = _event_data(event, _APP_ERROR_FIELDS if event_id == APPLICATION_ERROR
                           else _WER_FIELDS)
        if event_id == APPLICATION_ERROR:
            errors.append(_from_application_error(data, when))
        elif event_id == WER_EVENT and data.get("EventName") in _WER_CRASHES:
            reports.append(_from_wer(data, when))
    # One crash writes event 1000 and, a moment later, event 1001: keep the richer 1000.
    merged = list(errors)
    for report in reports:
        if not any(e.program.lower() == report.program.lower()
                   and abs((e.time - report.time).total_seconds()) < 120 for e in errors):
            merged.append(report)
    return sorted(merged, key=lambda c: c.time)


def _windows_time(value: str) -> datetime | None:
    value = value.strip().rstrip("Z")
    if not value:
        return None
    head, _, frac = value.partition(".")
    try:
        when = datetime.fromisoformat(head).replace(tzinfo=UTC)
    except ValueError:
        return None
    return when + timedelta(microseconds=int((frac + "000000")[:6])) if frac.isdigit() else when


def _event_data(event: Any, positional: Sequence[str]) -> dict[str, str]:
    items = event.findall(f"{_NS}EventData/{_NS}Data")
    out: dict[str, str] = {}
    for i, item in enumerate(items):
        name = item.get("Name") or (positional[i] if i < len(positional) else f"Data{i}")
        out[name] = (item.text or "").strip()
    return out


def _hex_code(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    return value if value.startswith("0x") else f"0x{value}"


def _program_name(app: str) -> str:
    return app[:-4] if app.lower().endswith(".exe") else app


def _from_application_error(d: dict[str, str], when: datetime) -> Crash:
    pid = d.get("ProcessId", "")
    try:
        pid_value: int | None = int(pid, 16)  # hexadecimal, with or without 0x
    except ValueError:
        pid_value = None
    module = d.get("ModuleName", "")
    return Crash(
        program=_program_name(d.get("AppName", "?")), time=when,
        signal=_hex_code(d.get("ExceptionCode", "")), version=d.get("AppVersion", ""),
        executable=d.get("AppPath", ""), pid=pid_value, source="windows-application-error",
        details={k: v for k, v in (("faulting_module", module),
                                    ("module_version", d.get("ModuleVersion", "")),
                                    ("fault_offset", d.get("FaultingOffset", ""))) if v},
    )


def _from_wer(d: dict[str, str], when: datetime) -> Crash:
    return Crash(
        program=_program_name(d.get("P1", "?")), time=when, signal=_hex_code(d.get("P7", "")),
        version=d.get("P2", ""), source="windows-error-reporting",
        details={k: v for k, v in (("faulting_module", d.get("P4", "")),
                                    ("event", d.get("EventName", "")),
                                    ("report_id", d.get("ReportId", ""))) if v},
    )


# --------------------------------------------------------------------------- macOS

MACOS_CRASH_BUG_TYPE = "309"


def macos_report_folder() -> Path:
    return Path.home() / "Library" / "Logs" / "DiagnosticReports"


def macos_crashes(since: datetime, folder: Path | None = None) -> list[Crash]:
    folder = folder or macos_report_folder()
    try:
        files = sorted(folder.glob("*.ips"))
    except OSError:
        return []
    crashes = []
    for path in files:
        try:
            if datetime.fromtimestamp(path.stat().st_mtime, UTC) <= since:
                continue  # written before the last look: nothing new in it
            crash = parse_ips(path.read_text("utf-8", errors="replace"))
        except (OSError, ValueError) as exc:
            log.info("%s could not be read: %s", path.name, exc)
            continue
        if crash is not None and crash.time > since:
            crashes.append(crash)
    return sorted(crashes, key=lambda c: c.time)


def parse_ips(text: str) -> Crash | None:
    """An .ips crash report: a header line of JSON, then the report body as JSON."""
    first, _, rest = text.partition("\n")
    header = json.loads(first)
    if not isinstance(header, dict) or str(header.get("bug_type")) != MACOS_CRASH_BUG_TYPE:
        return None
    body = json.loads(rest) if rest.strip() else {}
    if not isinstance(body, dict):
        body = {}
    when = _macos_time(str(body.get("captureTime") or header.get("timestamp") or ""))
    if when is None:
        return None
    exception = _dict(body.get("exception"))
    bundle = _dict(body.get("bundleInfo"))
    signal = str(exception.get("signal") or exception.get("type") or "")
    asi = _dict(body.get("asi"))
    tail: list[str] = []
    for lines in asi.values():  # "Application Specific Information", per library
        tail.extend(str(x) for x in (lines if isinstance(lines, list) else [lines]))
    pid = body.get("pid")
    return Crash(
        program=str(header.get("app_name") or body.get("procName") or "?"), time=when,
        signal=signal,
        version=str(header.get("app_version") or bundle.get("CFBundleShortVersionString") or ""),
        executable=str(body.get("procPath") or ""), pid=pid if isinstance(pid, int) else None,
        log_tail=tuple(tail[-LOG_LINES:]), source="macos-diagnostic-report",
        details={k: str(v) for k, v in (("exception_type", exception.get("type", "")),
                                         ("exception_subtype", exception.get("subtype", "")),
                                         ("bundle_id", header.get("bundleID", "")),
                                         ("incident_id", header.get("incident_id", "")))
                 if v},
    )


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _macos_time(value: str) -> datetime | None:
    # "2023-10-05 10:42:12.8406 +0200"
    for fmt in ("%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z"):
        try:
            return datetime.strptime(value.strip(), fmt).astimezone(UTC)
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- any system


def recent_crashes(since: datetime, platform: str | None = None) -> list[Crash]:
    """This system's crashes after ``since``, by the reader its platform has."""
    import sys

    plat = platform or sys.platform
    if plat == "win32":
        return windows_crashes(since)
    if plat == "darwin":
        return macos_crashes(since)
    if plat.startswith("linux"):
        return linux_crashes(since)
    return []
