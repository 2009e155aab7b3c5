"""One Flare per user session: a second ``flare`` asks the first to show itself and exits."""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import struct
import tempfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500


def server_name(state_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """Per user and per state folder, so tests with their own folders never meet.

    On POSIX the name is a socket path in a folder only this user can write
    ($XDG_RUNTIME_DIR, else a 0700 folder of Flare's own): a name in /tmp anyone can compute
    let another local user take it first, and Flare then never started."""
    # A checksum, not hashlib: the name only tells folders apart, and hashlib loads OpenSSL's
    # libcrypto, 3 MB of the idle tray's memory.
    digest = f"{zlib.crc32(str(state_dir.resolve()).encode()):08x}"
    if os.name == "nt":  # named pipes: the session and its ACL keep them per user
        user = os.environ.get("USERNAME") or "user"
        return f"flare-{user}-{digest}"
    folder = _private_folder(state_dir, os.environ if env is None else env)
    return str(folder / f"flare-{digest}.sock")


def _owned_private(folder: Path) -> bool:
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
            and not st.st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def _private_folder(state_dir: Path, env: Mapping[str, str]) -> Path:
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and _owned_private(Path(runtime)):
        return Path(runtime)
    # No usable runtime folder (macOS, a bare session): a 0700 folder of our own. Socket
    # paths are short (about 100 bytes), so a deep state folder falls back to /tmp/flare-UID,
    # used only when it is ours and private.
    for folder in (state_dir / "run", Path(tempfile.gettempdir()) / f"flare-{os.getuid()}"):
        if len(str(folder)) > 80:
            continue
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700, parents=True)
        if _owned_private(folder):
            return folder
    raise OSError("no private folder for Flare's single-instance socket: set XDG_RUNTIME_DIR "
                  "to a folder only you can use")


def peer_uid(descriptor: int) -> int | None:
    """The user id at the other end of a connected local socket (None where unknown)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return None
    sock = socket.socket(fileno=os.dup(descriptor))
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        sock.close()
    return int(struct.unpack("3i", creds)[1])


def same_user(descriptor: int) -> bool:
    """True unless the peer is known to be another user."""
    uid = peer_uid(descriptor)
    return uid is None or uid == os.getuid()


def ask_running(name: str, command: str) -> bool:
    """Send ``command`` to a running instance; True if one answered."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    if not same_user(int(sock.socketDescriptor())):
        sock.abort()  # someone else's server: it must not keep this Flare from starting
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
            if not same_user(int(sock.socketDescriptor())):
                sock.abort()  # only this user's own Flare may send commands
                continue
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
