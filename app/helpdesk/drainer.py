"""One drainer at a time: the process that sends what the outbox holds and follows tickets.

The tray, the headless agent (``flare agent``) and a window opened without a tray may all run at
once for one user. Each item already has its own lease, so none is ever sent twice; this lease
makes the others step aside, so the helpdesk sees one client per laptop, not three. It lives in
the outbox's own database: a row with the holder, its process id and an expiry. A holder that
died leaves a lease that expires (or whose process is gone), and the next one takes over.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drainer (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    holder  TEXT NOT NULL,
    role    TEXT NOT NULL,
    host    TEXT NOT NULL,
    pid     INTEGER NOT NULL,
    until   REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Holder:
    holder: str
    role: str  # tray | agent | window
    pid: int
    until: float


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # no cheap check without pywin32: trust the expiry
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DrainerLease:
    """``acquire()`` before each delivery round; ``release()`` when the process stops."""

    def __init__(self, state_dir: Path, role: str, *, ttl_s: float = 120.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.db_path = state_dir / "outbox" / "outbox.sqlite3"
        self.role = role
        self.ttl_s = ttl_s
        self.clock = clock
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.holder = f"{role}:{self.host}:{self.pid}:{id(self):x}"

    def _connect(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.execute(_SCHEMA)
        return db

    def acquire(self) -> bool:
        """True when this process is (now) the drainer; renews the lease."""
        now = self.clock()
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT holder, host, pid, until FROM drainer WHERE id=1").fetchone()
            if row is not None and row[0] != self.holder:
                _holder, host, pid, until = row
                gone = host == self.host and not _alive(int(pid))
                if until > now and not gone:
                    db.execute("ROLLBACK")
                    return False
            db.execute(
                "INSERT INTO drainer (id, holder, role, host, pid, until) "
                "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET holder=excluded.holder, "
                "role=excluded.role, host=excluded.host, pid=excluded.pid, until=excluded.until",
                (self.holder, self.role, self.host, self.pid, now + self.ttl_s))
            db.execute("COMMIT")
            return True
        finally:
            db.close()

    def release(self) -> None:
        db = self._connect()
        try:
            db.execute("DELETE FROM drainer WHERE id=1 AND holder=?", (self.holder,))
        finally:
            db.close()

    def current(self) -> Holder | None:
        """Who drains now, if anyone (for ``flare doctor`` and ``flare agent --status``)."""
        db = self._connect()
        try:
            row = db.execute("SELECT holder, role, host, pid, until FROM drainer "
                             "WHERE id=1").fetchone()
        finally:
            db.close()
        if row is None or row[4] <= self.clock():
            return None
        if row[2] == self.host and not _alive(int(row[3])):
            return None
        return Holder(row[0], row[1], int(row[3]), float(row[4]))
