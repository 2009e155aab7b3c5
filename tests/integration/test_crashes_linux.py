"""Crashes noticed on Linux, for real as far as this machine allows.

The kernel cannot hand a core to systemd-coredump here (PID 1 is not systemd, so there is no
coredump socket; see the note in docs/diagnostics.md), so the test does what systemd-coredump
would: a small C program really crashes (SIGSEGV), and the record systemd-coredump writes for
it, plus the program's own journal line, are fed to systemd-journal-remote, which writes a real
journal file. Flare's reader then finds the crash with the real ``coredumpctl --file`` and
``journalctl --file``. No global setting (kernel.core_pattern) is read or changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.crash_offers import CrashOffers
from diagnostics.crashes import COREDUMP_MESSAGE_ID, linux_crashes
from tests.needs import missing

JOURNAL_REMOTE = Path("/lib/systemd/systemd-journal-remote")
CRASHER = r"""
#include <stdio.h>
int main(void) {
    puts("invoice-sync: opening the ledger");
    fflush(stdout);
    volatile int *p = 0;
    return *p;
}
"""


def _tools() -> None:
    if shutil.which("coredumpctl") is None:
        missing("coredumpctl is not installed (apt-get install systemd-coredump)")
    if not JOURNAL_REMOTE.exists():
        missing("systemd-journal-remote is not installed (apt-get install "
                "systemd-journal-remote)")
    if shutil.which("gcc") is None:
        missing("gcc is not installed")


def _export(fields: dict[str, object]) -> bytes:
    return b"".join(b"%s=%s\n" % (k.encode(), str(v).encode()) for k, v in fields.items()) + b"\n"


def crash_for_real(tmp: Path) -> tuple[int, Path, str, datetime]:
    """Build and run the crasher; (pid, exe, its output line, when it died)."""
    src, exe = tmp / "invoice-sync.c", tmp / "invoice-sync"
    src.write_text(CRASHER)
    subprocess.run(["gcc", "-O0", "-o", str(exe), str(src)], check=True, capture_output=True)
    proc = subprocess.Popen([str(exe)], stdout=subprocess.PIPE, text=True, cwd=tmp,
                            preexec_fn=lambda: __import__("resource").setrlimit(
                                __import__("resource").RLIMIT_CORE, (0, 0)))
    out, _ = proc.communicate(timeout=10)
    died = datetime.now(UTC)
    assert proc.returncode == -signal.SIGSEGV, proc.returncode
    return proc.pid, exe, out.strip(), died


def journal_of(tmp: Path, pid: int, exe: Path, line: str, died: datetime) -> Path:
    """The journal file systemd-coredump and journald would have written for this crash."""
    boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip().replace("-", "")
    crash_us = int(died.timestamp() * 1_000_000)
    mono = time.monotonic_ns() // 1000
    common = {"_BOOT_ID": boot, "_HOSTNAME": os.uname().nodename}
    said = _export({"__REALTIME_TIMESTAMP": crash_us - 2000, "__MONOTONIC_TIMESTAMP": mono - 2000,
                    **common, "_PID": pid, "_COMM": exe.name[:15], "_EXE": exe,
                    "SYSLOG_IDENTIFIER": exe.name, "PRIORITY": 6, "MESSAGE": line})
    record = _export({
        "__REALTIME_TIMESTAMP": crash_us + 5000, "__MONOTONIC_TIMESTAMP": mono + 5000, **common,
        "MESSAGE_ID": COREDUMP_MESSAGE_ID, "PRIORITY": 2, "SYSLOG_IDENTIFIER": "systemd-coredump",
        "MESSAGE": f"Process {pid} ({exe.name[:15]}) of user {os.getuid()} dumped core.",
        "COREDUMP_PID": pid, "COREDUMP_UID": os.getuid(), "COREDUMP_GID": os.getgid(),
        "COREDUMP_SIGNAL": int(signal.SIGSEGV), "COREDUMP_SIGNAL_NAME": "SIGSEGV",
        "COREDUMP_TIMESTAMP": crash_us, "COREDUMP_EXE": exe, "COREDUMP_COMM": exe.name[:15],
        "COREDUMP_CMDLINE": exe, "COREDUMP_HOSTNAME": os.uname().nodename,
        "COREDUMP_PACKAGE_NAME": "invoice-sync", "COREDUMP_PACKAGE_VERSION": "2.4.1",
    })
    export = tmp / "crash.export"
    export.write_bytes(said + record)
    journal = tmp / "crashes.journal"
    subprocess.run([str(JOURNAL_REMOTE), f"--output={journal}", str(export)], check=True,
                   capture_output=True, timeout=30)
    return journal


@pytest.fixture
def crashed(tmp_path: Path) -> tuple[int, Path, datetime, Path]:
    _tools()
    pid, exe, line, died = crash_for_real(tmp_path)
    assert line == "invoice-sync: opening the ledger"
    return pid, exe, died, journal_of(tmp_path, pid, exe, line, died)


def test_the_real_coredumpctl_finds_the_crash(crashed: tuple[int, Path, datetime, Path]
                                              ) -> None:
    pid, exe, died, journal = crashed
    [crash] = linux_crashes(died - timedelta(minutes=1), journal=[f"--file={journal}"])
    assert (crash.program, crash.pid, crash.signal, crash.version) == (
        "invoice-sync", pid, "SIGSEGV", "2.4.1")
    assert crash.executable == str(exe)
    assert abs((crash.time - died).total_seconds()) < 1
    assert crash.log_tail == ("invoice-sync: opening the ledger",)
    assert crash.source == "systemd-coredump"
    # Nothing after the crash; nothing when coredumpctl says "No coredumps found".
    assert linux_crashes(died + timedelta(seconds=1), journal=[f"--file={journal}"]) == []


def test_offered_once_after_the_first_look(crashed: tuple[int, Path, datetime, Path],
                                           tmp_path: Path) -> None:
    _pid, _exe, died, journal = crashed
    now = [died - timedelta(minutes=5)]

    def read(since: datetime) -> list[object]:
        return list(linux_crashes(since, journal=[f"--file={journal}"]))

    offers = CrashOffers(tmp_path / "state", clock=lambda: now[0], read=read)
    assert offers.poll() == []  # the first look, before the crash
    now[0] = died + timedelta(seconds=30)
    [offer] = offers.poll()
    assert offer.crash.program == "invoice-sync" and offer.count == 1
    now[0] = died + timedelta(seconds=90)
    assert offers.poll() == []


def test_a_missing_journal_or_tool_is_no_crash(tmp_path: Path) -> None:
    _tools()
    since = datetime.now(UTC) - timedelta(hours=1)
    assert linux_crashes(since, journal=[f"--file={tmp_path / 'none.journal'}"]) == []
    assert linux_crashes(since, coredumpctl=str(tmp_path / "no-coredumpctl")) == []
