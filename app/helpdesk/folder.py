"""The folder destination (the default): the bundle goes into the reports folder.

In Python, not a spec: it writes files instead of talking HTTP. The outbox's copy is
hard-linked where the file system allows (the images are not written again), else copied;
either way atomically (hidden temporary name, then rename), and a second delivery of the same
report finds the first copy instead of making another.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

from app.bundle import copy_checked, link_checked, open_bundle, render_opened
from app.fsutil import PARTIAL_MARK, fsync_dir, fsync_tree
from app.helpdesk.delivery_bundle import DeliveryBundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.protocol import Incident, TicketRef, TicketStatus, TicketSummary, Unsupported


class FolderConnector:
    name = "folder"
    capabilities: frozenset[str] = frozenset({"find_existing", "status"})

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _target(self, bundle: DeliveryBundle) -> Path:
        source = bundle.path
        name = source.name if source is not None else f"flare-{bundle.report.id.hex}"
        return self.folder / name

    def find_existing(self, bundle: DeliveryBundle) -> TicketRef | None:
        target = self._target(bundle)
        return TicketRef(id=str(target), url=target.as_uri()) if target.exists() else None

    def submit(self, bundle: DeliveryBundle) -> TicketRef:
        if bundle.path is None:
            raise DeliveryError("only a bundle on disk can be copied to a folder", kind="config")
        existing = self.find_existing(bundle)
        if existing is not None:
            return existing
        target = self._target(bundle)
        if bundle.path.resolve() == target.resolve():
            return TicketRef(id=str(target), url=target.as_uri())
        tmp = target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _remove(tmp)
            # Through the strict reader, file by file: not shutil.copytree, which folds
            # "disk full" into a long list of tuples and follows whatever it finds.
            opened = bundle.opened or open_bundle(bundle.path)
            # The self-contained page, rendered from report.json: a folder keeps one file
            # that opens anywhere (a helpdesk gets the page naming the files beside it).
            html = render_opened(opened).encode("utf-8")
            if not link_checked(opened, tmp, html):
                copy_checked(opened, tmp, html=html)
                fsync_tree(tmp)  # durable before it takes the report's name
            os.replace(tmp, target)
            fsync_dir(self.folder)
        except OSError as exc:
            _remove(tmp)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                why = "the disk is full"
            else:
                why = exc.strerror or type(exc).__name__
            raise DeliveryError(
                f"could not copy the report to {self.folder}: {why}; free some space or "
                "choose another reports.folder. The report waits in the outbox",
                kind="config") from None
        return TicketRef(id=str(target), url=target.as_uri())

    def status(self, ref: TicketRef) -> TicketStatus:
        exists = Path(ref.id).exists()
        return TicketStatus(state="open" if exists else "closed",
                            label="in folder" if exists else "removed")

    def open_tickets(self, reporter_email: str) -> list[TicketSummary]:
        raise Unsupported("a folder has no tickets")

    def incidents(self) -> list[Incident]:
        raise Unsupported("a folder has no incidents")

    def add_to_ticket(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef:
        raise Unsupported("a folder cannot add to an earlier report")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
