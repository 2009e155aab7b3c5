"""Crashes noticed: the Windows and macOS readers against recorded records (faithful to the
documented formats: the Application log's events 1000 and 1001 as ``wevtutil qe … /f:xml``
prints them, an .ips report), the offer rules and the notification's words."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.crash_offers import CrashOffer, CrashOffers
from app.i18n import Translator
from diagnostics.crashes import Crash, macos_crashes, parse_ips, parse_windows_events

DATA = Path(__file__).parent / "data" / "crashes"
T = datetime(2023, 10, 5, 6, 0, tzinfo=UTC)


def test_the_application_log_gives_one_crash_per_crash() -> None:
    crashes = parse_windows_events((DATA / "application-log.xml").read_text("utf-8"), since=T)
    # Thunderbird wrote 1000 and 1001 (merged); Excel's 1001 is a hang, not a crash; the
    # 1C client's BEX64 has no 1000; Outlook crashed before `since`; LoadPerf's event 1000
    # is not a crash.
    assert [(c.program, c.source) for c in crashes] == [
        ("thunderbird", "windows-application-error"), ("1cv8c", "windows-error-reporting")]
    tb, onec = crashes
    assert (tb.version, tb.signal, tb.pid) == ("115.3.1.8683", "0xc0000005", 0x2F1C)
    assert tb.executable.endswith("thunderbird.exe")
    assert tb.details["faulting_module"] == "xul.dll"
    assert tb.time == datetime(2023, 10, 5, 8, 42, 13, 507123, tzinfo=UTC)
    assert (onec.version, onec.signal) == ("8.3.23.1865", "0xc0000409")


def test_positional_event_data_is_read_like_named() -> None:
    [outlook] = parse_windows_events((DATA / "application-log.xml").read_text("utf-8"),
                                     since=T - timedelta(hours=2))[:1]
    assert (outlook.program, outlook.version, outlook.signal, outlook.pid) == (
        "OUTLOOK", "16.0.16731.20234", "0xc0000005", 0x1A2C)


def test_broken_or_empty_xml_is_no_crash() -> None:
    assert parse_windows_events("", T) == []
    assert parse_windows_events("<Event><System>", T) == []


def test_an_ips_crash_report_and_a_hang_report(tmp_path: Path) -> None:
    crash = parse_ips((DATA / "thunderbird-2023-10-05-104212.ips").read_text("utf-8"))
    assert crash is not None
    assert (crash.program, crash.version, crash.signal, crash.pid) == (
        "Thunderbird", "115.3.1", "SIGSEGV", 4711)
    assert crash.time == datetime(2023, 10, 5, 8, 42, 12, 840600, tzinfo=UTC)
    assert crash.log_tail[0].startswith("MOZ_CRASH(IPC channel error)")
    assert crash.details["exception_type"] == "EXC_BAD_ACCESS"
    assert parse_ips((DATA / "Safari-2023-10-05-110000.ips").read_text("utf-8")) is None
    for name in ("thunderbird-2023-10-05-104212.ips", "Safari-2023-10-05-110000.ips"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "broken.ips").write_text("{not json")
    assert [c.program for c in macos_crashes(T, tmp_path)] == ["Thunderbird"]
    # A report file older than the last look is not even opened.
    old = (T - timedelta(days=1)).timestamp()
    os.utime(tmp_path / "thunderbird-2023-10-05-104212.ips", (old, old))
    assert macos_crashes(T, tmp_path) == []


def crash(program: str, at: datetime, **kw: Any) -> Crash:
    return Crash(program=program, time=at, signal=kw.pop("signal", "SIGSEGV"),
                 version=kw.pop("version", "115.3"), executable=f"/usr/bin/{program.lower()}",
                 pid=kw.pop("pid", 100), source="test", **kw)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def offers_with(tmp_path: Path, recorded: list[Crash], clock: Clock, **kw: Any) -> CrashOffers:
    def read(since: datetime) -> list[Crash]:
        return [c for c in recorded if c.time > since]

    return CrashOffers(tmp_path, clock=clock, read=read, **kw)


def test_nothing_before_the_first_look_or_older_than_the_last(tmp_path: Path) -> None:
    clock = Clock(T)
    recorded = [crash("Thunderbird", T - timedelta(days=3))]
    offers = offers_with(tmp_path, recorded, clock)
    assert offers.poll() == []  # the first look: Flare was not here before
    clock.now = T + timedelta(minutes=1)
    assert offers.poll() == []  # still nothing new
    recorded.append(crash("Firefox", T + timedelta(minutes=2)))
    clock.now = T + timedelta(minutes=3)
    [offer] = offers.poll()
    assert offer.crash.program == "Firefox"
    clock.now = T + timedelta(minutes=4)
    assert offers.poll() == []  # read again within the late window: seen, not offered again
    # A record written late, with the crash's own (earlier) time, is still found.
    recorded.append(crash("LibreOffice", T + timedelta(minutes=3, seconds=30), pid=7))
    clock.now = T + timedelta(minutes=5)
    assert [o.crash.program for o in offers.poll()] == ["LibreOffice"]


def test_a_crash_storm_and_flares_own_crashes_are_offered_once(tmp_path: Path) -> None:
    clock = Clock(T)
    recorded: list[Crash] = []
    offers = offers_with(tmp_path, recorded, clock)
    offers.poll()
    recorded += [crash("Thunderbird", T + timedelta(seconds=10 * i), pid=i) for i in range(1, 4)]
    recorded.append(crash("flare", T + timedelta(seconds=35), pid=99))
    clock.now = T + timedelta(minutes=1)
    found = offers.poll()
    assert sorted((o.crash.program, o.count, o.own) for o in found) == [
        ("Thunderbird", 3, False), ("flare", 1, True)]
    recorded += [crash("Thunderbird", T + timedelta(minutes=2, seconds=i), pid=10 + i)
                 for i in range(2)]
    recorded.append(crash("flare", T + timedelta(minutes=2, seconds=5), pid=98))
    clock.now = T + timedelta(minutes=3)
    assert offers.poll() == []  # five Thunderbird crashes, one offer; Flare's own: once
    clock.now = T + timedelta(hours=7)
    recorded.append(crash("Thunderbird", T + timedelta(hours=6, minutes=59), pid=50))
    assert [o.crash.program for o in offers.poll()] == ["Thunderbird"]  # a new day, a new offer


def test_the_setting_turns_it_off_and_on_without_a_restart(tmp_path: Path) -> None:
    clock = Clock(T)
    recorded: list[Crash] = []
    on = [True]
    offers = offers_with(tmp_path, recorded, clock, enabled=lambda: on[0])
    offers.poll()
    on[0] = False
    recorded.append(crash("Thunderbird", T + timedelta(seconds=5)))
    clock.now = T + timedelta(minutes=10)
    assert offers.poll() == []
    on[0] = True  # what crashed while it was off is not offered now
    clock.now = T + timedelta(minutes=11)
    assert offers.poll() == []
    recorded.append(crash("Firefox", T + timedelta(minutes=11, seconds=20)))
    clock.now = T + timedelta(minutes=12)
    assert [o.crash.program for o in offers.poll()] == ["Firefox"]


def test_a_failing_reader_offers_nothing_and_keeps_the_state(tmp_path: Path) -> None:
    clock = Clock(T)

    def broken(_since: datetime) -> list[Crash]:
        raise RuntimeError("wevtutil exploded")

    offers = CrashOffers(tmp_path, clock=clock, read=broken)
    offers.poll()
    clock.now = T + timedelta(minutes=1)
    assert offers.poll() == []


@pytest.mark.parametrize(("lang", "summary", "body"), [
    ("en", "Thunderbird closed unexpectedly",
     "Thunderbird 115.3 closed unexpectedly (SIGSEGV) at 10:42. It happened 5 times recently. "
     "Click to report it to your helpdesk."),
    ("ru", "Программа Thunderbird неожиданно закрылась",
     "Программа Thunderbird 115.3 неожиданно закрылась (SIGSEGV) в 10:42. Это случилось 5 раз "
     "за последнее время. Нажмите, чтобы сообщить об этом в службу поддержки."),
    ("uk", "Програма Thunderbird несподівано закрилася",
     "Програма Thunderbird 115.3 несподівано закрилася (SIGSEGV) о 10:42. Це сталося 5 разів "
     "останнім часом. Натисніть, щоб повідомити про це службу підтримки."),
])
def test_the_notification_says_what_closed_when_and_how(
        lang: str, summary: str, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    import time

    time.tzset()
    try:
        offer = CrashOffer(crash("Thunderbird", datetime(2023, 10, 5, 8, 42, 13, tzinfo=UTC)),
                           count=5, own=False)
        t = Translator(lang)
        assert offer.summary(t) == summary
        assert offer.body(t) == body
        section = offer.section(t)
        assert section.name == "crash"
        assert section.data["program"] == "Thunderbird" and section.data["signal"] == "SIGSEGV"
        assert section.data["crashes_recently"] == 5
    finally:
        monkeypatch.undo()
        time.tzset()


def test_one_crash_says_no_count_and_no_signal_when_unknown() -> None:
    offer = CrashOffer(crash("Thunderbird", datetime(2023, 10, 5, 8, 42, tzinfo=UTC), signal="",
                             version=""), count=1, own=False)
    t = Translator("en")
    assert offer.what_happened(t).startswith("Thunderbird closed unexpectedly at ")
    assert "times" not in offer.body(t)


def test_the_section_is_redacted_as_diagnostics_are() -> None:
    leaked = crash("Thunderbird", T, log_tail=(
        "open Mail/inbox failed", "token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "mail to anna.k@example.org failed"))
    plain = CrashOffer(leaked, count=1, own=False).section(Translator("en"))
    assert not any("ghp_abcdefghijklmnopqrstuvwxyz0123456789" in line
                   for line in plain.data["log_tail"]), "secrets always go"
    assert any("anna.k@example.org" in line for line in plain.data["log_tail"])
    strict = CrashOffer(leaked, count=1, own=False, redact=("email",)).section(
        Translator("en"))
    assert "anna.k@example.org" not in " ".join(strict.data["log_tail"])
    assert strict.redactions.get("email") == 1


def test_the_agents_loop_offers_a_new_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    import threading

    import app.helpdesk.agent as agent_module
    from app.context import AppContext
    from app.helpdesk.agent import Agent
    from app.helpdesk.drainer import DrainerLease
    from app.wiring import find_personal_data

    monkeypatch.setattr(agent_module, "CRASH_LOOK_S", 0.0)
    ctx = AppContext.for_tests(tmp_path)
    clock = Clock(T)
    recorded: list[Crash] = []
    offered = threading.Event()
    said: list[str] = []

    def offer(summary: str, body: str, click: object, label: str) -> bool:
        said.append(summary)
        offered.set()
        return True

    agent = Agent(ctx, finder=find_personal_data, notify=lambda s, b: True, offer=offer,
                  lease=DrainerLease(ctx.dirs.state, "agent", ttl_s=1.0))
    agent.crashes = offers_with(tmp_path / "crashes", recorded, clock)
    agent.crashes.poll()  # the first look, at T
    recorded.append(crash("Evolution", T + timedelta(seconds=20)))
    clock.now = T + timedelta(minutes=1)
    runner = threading.Thread(target=agent.run, daemon=True)
    runner.start()
    try:
        assert offered.wait(10), "the agent's loop never looked for crashes"
    finally:
        agent.stop.set()
        runner.join(10)
    assert said == ["Evolution closed unexpectedly"]
