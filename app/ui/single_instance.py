"""One Flare per user session: a second ``flare`` asks the first to show itself and exits."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500


def server_name(state_dir: Path) -> str:
    """Per user and per state folder, so tests with their own folders never meet."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    digest = hashlib.sha256(str(state_dir.resolve()).encode()).hexdigest()[:12]
    return f"flare-{user}-{digest}"


def ask_running(name: str, command: str) -> bool:
    """Send ``command`` to a running instance; True if one answered."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    sock.write(command.encode("utf-8") + b"\n")
    sock.flush()
    sock.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    sock.waitForReadyRead(CONNECT_TIMEOUT_MS)  # the first answers "ok" once it acted
    sock.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later ``flare`` starts and hands their command to ``on_command``."""

    def __init__(self, name: str, on_command: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_command = on_command
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A crashed instance leaves its socket file behind; nobody answered, so remove it.
        QLocalServer.removeServer(name)
        if not self.server.listen(name):
            raise OSError(self.server.errorString())
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            if sock is None:
                return
            sock.readyRead.connect(lambda s=sock: self._read(s))

    def _read(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data()).decode("utf-8", "replace").strip()
            if line:
                self._on_command(line)
                sock.write(b"ok\n")
                sock.flush()

    def close(self) -> None:
        self.server.close()
