"""The outbox: a durable SQLite (WAL) queue of report bundles waiting for a helpdesk.

States: ``queued`` -> ``sending`` -> ``sent``, or ``failed`` (a permanent error such as bad
credentials; ``retry`` puts it back). A bundle is copied into the outbox's own spool folder
before its row is committed, so the queue never points at a file that might vanish.

Crash safety: a ``sending`` row carries a lease (owner process + expiry). After a crash or
``kill -9`` the next process finds the stale lease, puts the item back to ``queued`` and marks
it *uncertain*: before sending again, the deliverer asks the helpdesk whether the ticket
already exists. Progress through multi-request submissions is checkpointed per request, so a
resumed delivery continues where it stopped instead of starting over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from app.errors import EXIT_CONFIG, EXIT_ENVIRONMENT, BundleError, FlareError
from app.helpdesk.tickets import TicketRef, TicketStatus
from app.i18n import current
from app.records import Record

# The bundle writer and its strict reader (pydantic models, about 0.15 s) are imported where a
# report is queued, and socket, uuid and shutil where they are used: `flare outbox list` and
# the idle tray only read the database.
# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    from app.bundle import Bundle, OpenBundle

    State = Literal["queued", "sending", "sent", "failed"]
else:
    State = str
STATES: tuple[State, ...] = ("queued", "sending", "sent", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id              INTEGER PRIMARY KEY,
    report_id       TEXT NOT NULL,
    destination     TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    bundle_path     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued','sending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    uncertain       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    error_kind      TEXT NOT NULL DEFAULT '',
    helpdesk_message TEXT NOT NULL DEFAULT '',
    progress        TEXT NOT NULL DEFAULT '',
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     REAL NOT NULL DEFAULT 0,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL,
    sent_at         REAL,
    ticket_id       TEXT NOT NULL DEFAULT '',
    ticket_number   TEXT NOT NULL DEFAULT '',
    ticket_url      TEXT NOT NULL DEFAULT '',
    status_state    TEXT NOT NULL DEFAULT '',
    status_label    TEXT NOT NULL DEFAULT '',
    status_updated  TEXT NOT NULL DEFAULT '',
    status_checked_at REAL NOT NULL DEFAULT 0,
    options         TEXT NOT NULL DEFAULT '',
    replies         TEXT NOT NULL DEFAULT '',
    UNIQUE (report_id, destination)
);
CREATE INDEX IF NOT EXISTS items_due ON items (state, next_attempt_at);
"""

_IN_FLIGHT_NOTE = ("an earlier attempt was interrupted while the helpdesk may still be "
                   "working on it; Flare checks for the ticket once that cannot be so")

# The table's version, kept in the database (PRAGMA user_version): raise it when the schema
# or _ADDED_COLUMNS change, and every outbox is brought up to date at its next opening.
_SCHEMA_VERSION = 1

# Columns added after the first release, for outboxes created before them (CREATE TABLE IF NOT
# EXISTS leaves an existing table as it was).
_ADDED_COLUMNS = {
    # what the user chose on the report window's first page (JSON, see delivery.ReportOptions)
    "options": "TEXT NOT NULL DEFAULT ''",
    # the ticket's public replies as last read (JSON list of {author, at, text})
    "replies": "TEXT NOT NULL DEFAULT ''",
}


class OutboxItem(Record):
    id: int
    report_id: str
    destination: str
    title: str
    bundle_path: Path
    state: State
    attempts: int
    uncertain: bool
    next_attempt_at: float
    last_error: str
    error_kind: str
    helpdesk_message: str
    progress: str
    lease_owner: str
    lease_until: float
    created_at: float
    updated_at: float
    sent_at: float | None
    ticket: TicketRef | None
    status_state: str
    status_label: str
    status_updated: str
    status_checked_at: float
    options: str = ""
    replies: str = ""

    def why(self, now: float) -> str:
        """One line for the tray and ``flare outbox list``: what happens and why."""
        t = current()
        if self.state == "sent":
            assert self.ticket is not None
            label = f", {self.status_label}" if self.status_label else ""
            return t.tr("sent as ticket {ticket}", ticket=self.ticket.display()) + label
        if self.state == "failed":
            return t.tr("not sent: {error}", error=self.last_error)
        if self.state == "sending":
            return t.tr("sending now")
        if self.uncertain and self.next_attempt_at > now:
            wait = max(0, int(self.next_attempt_at - now))
            return t.tr("checked again in {wait}: {error}", wait=_human_wait(wait),
                        error=self.last_error)
        if self.attempts == 0:
            return t.tr("waiting to be sent")
        wait = max(0, int(self.next_attempt_at - now))
        return t.tr("retry in {wait} (attempt {attempt}): {error}", wait=_human_wait(wait),
                    attempt=self.attempts + 1, error=self.last_error)


def _human_wait(seconds: int) -> str:
    t = current()
    if seconds < 90:
        return t.unit(seconds, "s")
    if seconds < 5400:
        return t.unit(round(seconds / 60), "min")
    return t.unit(seconds / 3600, "h", 1)


def owner_id() -> str:
    """This process, in a form that survives PID reuse (host, pid, process start time)."""
    start = ""
    try:
        import psutil

        start = f"{psutil.Process().create_time():.3f}"
    except Exception:
        start = "?"
    import socket

    return f"{socket.gethostname()}:{os.getpid()}:{start}"


def owner_alive(owner: str) -> bool:
    import socket

    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname():
        return True  # another machine sharing the folder: trust only its lease expiry
    try:
        import psutil

        proc = psutil.Process(int(pid_text))
        return start in ("?", f"{proc.create_time():.3f}") and proc.status() != "zombie"
    except (ValueError, ImportError):
        return False
    except Exception:
        return False


class Outbox:
    def __init__(self, state_dir: Path, clock: Callable[[], datetime]) -> None:
        self.dir = state_dir / "outbox"
        self.spool = self.dir / "spool"
        self.db_path = self.dir / "outbox.sqlite3"
        self.clock = clock
        try:
            self.spool.mkdir(parents=True, exist_ok=True)
            if os.name != "nt":  # reports are private: the spool keeps them 0700
                os.chmod(self.dir, 0o700)
                os.chmod(self.spool, 0o700)
            self._db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA synchronous=FULL")
            if self._db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
                self._create()
        except (OSError, sqlite3.Error) as exc:
            raise FlareError(current().tr(
                "the outbox in {folder} cannot be opened ({reason}); check that the folder is "
                "writable and the disk not full", folder=self.dir, reason=exc),
                EXIT_ENVIRONMENT) from None

    def _create(self) -> None:
        """Create or bring up to date the table, once per database: the schema version then
        says it is done, so opening the outbox (every `flare outbox list`) is one read. Under
        an immediate transaction, so that two processes opening a new outbox at once do not
        both add a column."""
        self._db.execute("PRAGMA journal_mode=WAL")  # kept in the file once set
        with self._tx() as db:
            if db.execute("PRAGMA user_version").fetchone()[0] == _SCHEMA_VERSION:
                return  # another process did it while this one waited
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            have = {row["name"] for row in db.execute("PRAGMA table_info(items)")}
            for name, decl in _ADDED_COLUMNS.items():
                if name not in have:
                    db.execute(f"ALTER TABLE items ADD COLUMN {name} {decl}")
            db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> float:
        return self.clock().timestamp()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ------------------------------------------------------------------ queueing

    def enqueue(self, bundle_path: Path, destination: str, *, report_id: str,
                title: str = "", options: str = "",
                opened: OpenBundle | None = None) -> OutboxItem:
        """Copy the bundle into the spool and queue it; the original (the draft) is untouched.

        ``options`` is how to deliver it (JSON of ``delivery.ReportOptions``). Queuing the same
        report for the same destination again returns the existing item. ``opened``: the
        bundle as the strict reader already opened it (saves checking it twice).
        """
        existing = self._db.execute(
            "SELECT * FROM items WHERE report_id=? AND destination=?", (report_id, destination)
        ).fetchone()
        if existing is not None:
            return _item(existing)
        # Only a bundle the strict reader accepts is queued, and only what it checked is
        # copied: a link inside a folder bundle never brings another file into the spool.
        if opened is None or opened.path != bundle_path:
            from app.bundle import open_bundle

            opened = open_bundle(bundle_path)
        try:
            target = _spool_copy(opened, self.spool, f"{report_id}-{destination}")
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise FlareError(
                    f"the disk is full: the report could not be queued in {self.spool}. Your "
                    f"report is kept at {bundle_path}; free some disk space and send it again",
                    EXIT_ENVIRONMENT) from None
            raise FlareError(
                f"the report could not be queued in {self.spool} ({exc.strerror or exc}); it "
                f"is kept at {bundle_path}", EXIT_ENVIRONMENT) from None
        return self._insert(target, report_id, destination, title, options,
                            kept=f"It is kept at {bundle_path}")

    def enqueue_bundle(self, bundle: Bundle, destination: str, *, title: str = "",
                       options: str = "") -> OutboxItem:
        """Write the reviewed bundle straight into the spool and queue it: each file written
        once (atomic, fsynced, private from its first byte), report.html as the destination
        keeps it (:func:`_spool_write`). Queuing the same report for the same destination
        again returns the existing item."""
        report_id = str(bundle.report.id)
        existing = self._db.execute(
            "SELECT * FROM items WHERE report_id=? AND destination=?", (report_id, destination)
        ).fetchone()
        if existing is not None:
            return _item(existing)
        try:
            target = _spool_write(bundle, self.spool, f"{report_id}-{destination}",
                                  self_contained=destination == "folder")
        except (OSError, BundleError) as exc:
            cause = exc.__cause__ if isinstance(exc, BundleError) else exc
            if not isinstance(cause, OSError):
                raise
            if cause.errno in (errno.ENOSPC, errno.EDQUOT):
                raise FlareError(
                    f"the disk is full: the report could not be queued in {self.spool}. Your "
                    "draft is kept; free some disk space and send it again",
                    EXIT_ENVIRONMENT) from None
            raise FlareError(
                f"the report could not be queued in {self.spool} ({cause.strerror or cause}); "
                "your draft is kept", EXIT_ENVIRONMENT) from None
        return self._insert(target, report_id, destination, title or bundle.report.title,
                            options, kept="Your draft is kept")

    def _insert(self, target: Path, report_id: str, destination: str, title: str,
                options: str, *, kept: str) -> OutboxItem:
        """Queue the spool copy at ``target``; ``kept`` says where the report still is."""
        now = self._now()
        try:
            with self._tx() as db:
                cur = db.execute(
                    "INSERT INTO items (report_id, destination, title, bundle_path, state, "
                    "created_at, updated_at, options) VALUES (?,?,?,?, 'queued', ?, ?, ?)",
                    (report_id, destination, title, str(target), now, now, options))
                row_id = cur.lastrowid
        except sqlite3.IntegrityError:
            # Another sender queued the same report meanwhile: its row and its spool copy
            # win; only this process's own copy goes.
            _remove(target)
            row = self._db.execute("SELECT * FROM items WHERE report_id=? AND destination=?",
                                   (report_id, destination)).fetchone()
            if row is None:
                raise
            return _item(row)
        except sqlite3.Error as exc:
            _remove(target)
            full = "full" in str(exc).lower()
            raise FlareError(
                ("the disk is full: " if full else f"the outbox database failed ({exc}): ")
                + f"the report was not queued. {kept}; "
                + ("free some disk space and send it again" if full else "try again"),
                EXIT_ENVIRONMENT) from None
        assert row_id is not None
        return self.get(row_id)

    def get(self, item_id: int) -> OutboxItem:
        row = self._db.execute("SELECT * FROM items WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise FlareError(current().tr("no outbox item {id}; see {command}", id=item_id,
                                          command="`flare outbox list`"), EXIT_CONFIG)
        return _item(row)

    def items(self, states: tuple[str, ...] = STATES) -> list[OutboxItem]:
        marks = ",".join("?" * len(states))
        rows = self._db.execute(
            f"SELECT * FROM items WHERE state IN ({marks}) ORDER BY created_at, id", states)
        return [_item(r) for r in rows]

    def next_due(self) -> float | None:
        """When the next queued item is due (a timestamp), for the tray's timer; None if none."""
        row = self._db.execute("SELECT MIN(next_attempt_at) AS t FROM items "
                               "WHERE state='queued'").fetchone()
        return None if row is None or row["t"] is None else float(row["t"])

    # ------------------------------------------------------------------ sending

    def recover(self, in_flight_s: float = 0.0) -> int:
        """Put items whose sender died (crash, kill -9) back in the queue, marked uncertain.

        A killed sender's last request may still be processed by the helpdesk: asking it
        "does the ticket exist?" at once can miss a create that lands a second later, and
        file the report twice. So the item waits until ``in_flight_s`` (how long a request
        can stay in flight: the connect plus read timeouts) after the dead sender's last
        sign of life, its heartbeat before each request."""
        now = self._now()
        count = 0
        with self._tx() as db:
            for row in db.execute("SELECT id, lease_owner, lease_until, updated_at FROM items "
                                  "WHERE state='sending'").fetchall():
                if row["lease_until"] < now or not owner_alive(row["lease_owner"]):
                    due = max(now, float(row["updated_at"]) + in_flight_s)
                    db.execute("UPDATE items SET state='queued', uncertain=1, lease_owner='', "
                               "lease_until=0, next_attempt_at=?, updated_at=?, "
                               "last_error=CASE WHEN ? > ? THEN ? ELSE last_error END "
                               "WHERE id=?",
                               (due, now, due, now, _IN_FLIGHT_NOTE, row["id"]))
                    count += 1
        return count

    def heartbeat(self, item_id: int, owner: str, lease_s: float = 600.0) -> None:
        """The owner is alive and about to send a request for this item."""
        now = self._now()
        with self._tx() as db:
            db.execute("UPDATE items SET lease_until=?, updated_at=? WHERE id=? AND "
                       "lease_owner=? AND state='sending'", (now + lease_s, now, item_id, owner))

    def claim_due(self, owner: str, lease_s: float = 600.0,
                  item_id: int | None = None) -> OutboxItem | None:
        now = self._now()
        with self._tx() as db:
            if item_id is None:
                row = db.execute(
                    "SELECT id FROM items WHERE state='queued' AND next_attempt_at<=? "
                    "ORDER BY next_attempt_at, id LIMIT 1", (now,)).fetchone()
            else:
                row = db.execute("SELECT id FROM items WHERE state='queued' AND id=?",
                                 (item_id,)).fetchone()
            if row is None:
                return None
            db.execute("UPDATE items SET state='sending', lease_owner=?, lease_until=?, "
                       "updated_at=? WHERE id=?", (owner, now + lease_s, now, row["id"]))
        return self.get(row["id"])

    def save_progress(self, item_id: int, owner: str, progress: str,
                      lease_s: float = 600.0) -> None:
        now = self._now()
        with self._tx() as db:
            db.execute("UPDATE items SET progress=?, lease_until=?, updated_at=? "
                       "WHERE id=? AND lease_owner=?", (progress, now + lease_s, now, item_id,
                                                        owner))

    def mark_sent(self, item_id: int, ref: TicketRef) -> None:
        now = self._now()
        with self._tx() as db:
            db.execute(
                "UPDATE items SET state='sent', sent_at=?, updated_at=?, ticket_id=?, "
                "ticket_number=?, ticket_url=?, last_error='', error_kind='', "
                "helpdesk_message='', lease_owner='', lease_until=0, uncertain=0 WHERE id=?",
                (now, now, ref.id, ref.number, ref.url, item_id))

    def mark_retry(self, item_id: int, *, error: str, kind: str, helpdesk_message: str,
                   delay_s: float, uncertain: bool) -> None:
        now = self._now()
        with self._tx() as db:
            db.execute(
                "UPDATE items SET state='queued', attempts=attempts+1, next_attempt_at=?, "
                "last_error=?, error_kind=?, helpdesk_message=?, lease_owner='', lease_until=0, "
                "uncertain=MAX(uncertain, ?), updated_at=? WHERE id=?",
                (now + delay_s, error, kind, helpdesk_message, int(uncertain), now, item_id))

    def mark_failed(self, item_id: int, *, error: str, kind: str, helpdesk_message: str,
                    uncertain: bool = False) -> None:
        now = self._now()
        with self._tx() as db:
            db.execute(
                "UPDATE items SET state='failed', attempts=attempts+1, last_error=?, "
                "error_kind=?, helpdesk_message=?, lease_owner='', lease_until=0, "
                "uncertain=MAX(uncertain, ?), updated_at=? WHERE id=?",
                (error, kind, helpdesk_message, int(uncertain), now, item_id))

    def credentials_hold(self, hold_s: float) -> OutboxItem | None:
        """The item whose refused credentials hold back all sending, if any.

        After the helpdesk refused Flare's credentials, nothing is sent for ``hold_s``: each
        attempt would be one more failed sign-in, and helpdesks lock an account after a few
        (then even the fixed credentials are refused). ``retry`` ends the hold at once (the
        person or the administrator fixed the credentials)."""
        row = self._db.execute(
            "SELECT * FROM items WHERE state='failed' AND error_kind='auth' AND updated_at>? "
            "ORDER BY updated_at DESC LIMIT 1", (self._now() - hold_s,)).fetchone()
        return None if row is None else _item(row)

    def note_held(self, item_id: int, *, error: str, kind: str, until: float) -> None:
        """A queued item that waits for a hold to end: why, and when it is due again."""
        with self._tx() as db:
            db.execute("UPDATE items SET next_attempt_at=MAX(next_attempt_at, ?), last_error=?, "
                       "error_kind=?, updated_at=? WHERE id=? AND state='queued'",
                       (until, error, kind, self._now(), item_id))

    def retry(self, item_ids: list[int] | None = None) -> int:
        """Send failed (or waiting) items now. None means every failed and queued item."""
        now = self._now()
        with self._tx() as db:
            if item_ids is None:
                cur = db.execute("UPDATE items SET state='queued', next_attempt_at=?, "
                                 "updated_at=? WHERE state IN ('failed','queued')", (now, now))
            else:
                marks = ",".join("?" * len(item_ids))
                cur = db.execute(
                    f"UPDATE items SET state='queued', next_attempt_at=?, updated_at=? "
                    f"WHERE state IN ('failed','queued') AND id IN ({marks})",
                    (now, now, *item_ids))
            return cur.rowcount

    def purge(self, *, states: tuple[str, ...] = ("sent",), older_than_s: float = 0.0,
              item_ids: list[int] | None = None) -> int:
        """Forget items (and their spooled copies). Never touches a ``sending`` item."""
        states = tuple(s for s in states if s != "sending")
        cutoff = self._now() - older_than_s
        marks = ",".join("?" * len(states))
        sql = f"SELECT id, bundle_path FROM items WHERE state IN ({marks}) AND updated_at<=?"
        args: list[object] = [*states, cutoff]
        if item_ids is not None:
            sql += f" AND id IN ({','.join('?' * len(item_ids))})"
            args += item_ids
        with self._tx() as db:
            rows = db.execute(sql, args).fetchall()
            for row in rows:
                db.execute("DELETE FROM items WHERE id=?", (row["id"],))
        for row in rows:
            _remove(Path(row["bundle_path"]))
        return len(rows)

    # ------------------------------------------------------------------ status

    def set_status(self, item_id: int, status: TicketStatus) -> None:
        now = self._now()
        with self._tx() as db:
            db.execute(
                "UPDATE items SET status_state=?, status_label=?, status_updated=?, "
                "status_checked_at=? WHERE id=?",
                (status.state, status.label,
                 status.updated_at.isoformat() if status.updated_at else "", now, item_id))

    def set_replies(self, item_id: int, replies_json: str) -> None:
        """The ticket's public replies as last read (JSON), for "My reports"."""
        with self._tx() as db:
            db.execute("UPDATE items SET replies=? WHERE id=?", (replies_json, item_id))

    def touch_status_check(self, item_id: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE items SET status_checked_at=? WHERE id=?",
                       (self._now(), item_id))


def _spool_copy(opened: OpenBundle, spool: Path, fallback: str) -> Path:
    """Copy a checked bundle into the spool under a name no other sender holds; the spool is
    private (0700 folders, 0600 files) whatever the modes of the original, and its
    report.html is rendered from report.json (:func:`app.bundle.copy_checked`).

    The name is claimed atomically (rename onto a non-empty folder fails, link never
    replaces), so two senders queuing the same bundle at once never overwrite or delete each
    other's copy. Not shutil.copytree: it folds ENOSPC into a list of errors, and "the disk is
    full" is the one error the user must see as such."""
    # Here, as the bundle's modules: only queuing needs them, not reading the outbox.
    import uuid

    from app.fsutil import PARTIAL_MARK, fsync_dir

    name = opened.path.name
    suffix = ".zip" if opened.kind == "zip" else ""
    names = [name] if not name.startswith(".") else []
    names += [f"{fallback}{suffix}", f"{fallback}-{uuid.uuid4().hex[:8]}{suffix}"]
    tmp = spool / f".{uuid.uuid4().hex}{PARTIAL_MARK}tmp"
    from app.bundle import copy_checked

    try:
        copy_checked(opened, tmp, private=True)
        _fsync_tree(tmp)
        for candidate in names:
            target = spool / candidate
            if _claim(tmp, target):
                fsync_dir(spool)
                return target
        raise OSError(errno.EEXIST, f"no free name for {name} in the spool")
    except BaseException:
        _remove(tmp)
        raise


def _spool_write(bundle: Bundle, spool: Path, fallback: str, *, self_contained: bool) -> Path:
    """Write an in-memory bundle into the spool once, then claim a name as :func:`_spool_copy`
    does (the hidden partial name is never taken for a queued bundle).

    report.html is the page the destination keeps: the review page's self-contained one for
    the folder (it is linked from here), else the page naming the screenshots sent beside it.
    A helpdesk never gets the stored page (delivery renders it from report.json), so writing
    the self-contained one here would write every screenshot a second time, as base64, for
    nothing."""
    import uuid

    from app.bundle import bundle_name, write_bundle
    from app.fsutil import PARTIAL_MARK, fsync_dir
    from app.helpdesk.delivery_bundle import attached_names

    attached = None if self_contained else attached_names(bundle.report)
    tmp = write_bundle(bundle.report, bundle.files, spool, diagnostics=bundle.diagnostics,
                       name=f".{uuid.uuid4().hex}{PARTIAL_MARK}tmp", html=bundle.html,
                       attached=attached, private=True)
    try:
        for candidate in (bundle_name(bundle.report), fallback,
                          f"{fallback}-{uuid.uuid4().hex[:8]}"):
            target = spool / candidate
            if _claim(tmp, target):
                fsync_dir(spool)
                return target
        raise OSError(errno.EEXIST, f"no free name for {fallback} in the spool")
    except BaseException:
        _remove(tmp)
        raise


def _claim(tmp: Path, target: Path) -> bool:
    """Move ``tmp`` to ``target`` unless something is there already (atomically)."""
    try:
        if tmp.is_dir():
            if target.exists() or target.is_symlink():
                return False
            os.rename(tmp, target)  # fails on a folder that appeared meanwhile (not empty)
        else:
            os.link(tmp, target)  # never replaces
            os.unlink(tmp)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            return False
        raise
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _fsync_tree(path: Path) -> None:
    if os.name == "nt":
        return
    paths = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _item(row: sqlite3.Row) -> OutboxItem:
    ticket = (TicketRef(row["ticket_id"], row["ticket_number"], row["ticket_url"])
              if row["ticket_id"] else None)
    return OutboxItem(
        id=row["id"], report_id=row["report_id"], destination=row["destination"],
        title=row["title"], bundle_path=Path(row["bundle_path"]), state=row["state"],
        attempts=row["attempts"], uncertain=bool(row["uncertain"]),
        next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
        error_kind=row["error_kind"], helpdesk_message=row["helpdesk_message"],
        progress=row["progress"], lease_owner=row["lease_owner"],
        lease_until=row["lease_until"], created_at=row["created_at"],
        updated_at=row["updated_at"], sent_at=row["sent_at"], ticket=ticket,
        status_state=row["status_state"], status_label=row["status_label"],
        status_updated=row["status_updated"], status_checked_at=row["status_checked_at"],
        options=row["options"], replies=row["replies"],
    )


def utc_from_ts(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
