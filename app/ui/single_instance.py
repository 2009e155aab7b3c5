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
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier

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
    if os.name == "nt":
        return _ask_pipe(name, command)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT_MS / 1000)
    try:
        try:
            sock.connect(name)
        except OSError:
            return False
        if not same_user(sock.fileno()):
            return False  # someone else's server: it must not keep this Flare from starting
        sock.sendall(command.encode("utf-8") + b"\n")
        with contextlib.suppress(OSError):
            sock.recv(16)  # the first answers "ok" once it acted
        return True
    except OSError:
        return False
    finally:
        sock.close()


class InstanceServer(QObject):
    """Listens for later ``flare`` starts and hands their command to ``on_command``.

    On POSIX a Unix socket of this process, watched by the event loop (QSocketNotifier), rather
    than QtNetwork's QLocalServer: QtNetwork (with the Kerberos libraries it links) was 2.5 MB
    of the idle tray. Windows keeps QLocalServer's named pipe, private to the session."""

    def __init__(self, name: str, on_command: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_command = on_command
        self._pipe: _PipeServer | None = None
        self._peers: dict[int, tuple[socket.socket, QSocketNotifier, bytearray]] = {}
        if os.name == "nt":
            self._pipe = _PipeServer(name, on_command, self)
            return
        self._path = name
        # A crashed instance leaves its socket file behind; nobody answered, so remove it.
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISSOCK(os.lstat(name).st_mode):
                os.unlink(name)
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)  # the socket file is this user's alone from the start
        try:
            self._sock.bind(name)
        except OSError:
            self._sock.close()
            raise
        finally:
            os.umask(old_mask)
        self._inode = os.lstat(name).st_ino
        self._sock.listen(8)
        self._sock.setblocking(False)
        self._listening = QSocketNotifier(self._sock.fileno(), QSocketNotifier.Type.Read, self)
        self._listening.activated.connect(self._accept)

    def _accept(self, *_: object) -> None:
        while True:
            try:
                conn, _addr = self._sock.accept()
            except OSError:  # nothing more waiting (EAGAIN), or the socket closed
                return
            if not same_user(conn.fileno()):
                conn.close()  # only this user's own Flare may send commands
                continue
            conn.setblocking(False)
            fd = conn.fileno()
            notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self._peers[fd] = (conn, notifier, bytearray())
            notifier.activated.connect(lambda *_args, fd=fd: self._read(fd))

    def _read(self, fd: int) -> None:
        peer = self._peers.get(fd)
        if peer is None:
            return
        conn, _notifier, pending = peer
        try:
            data = conn.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data or len(pending) + len(data) > 4096:  # gone, or no command of Flare's
            self._drop(fd)
            return
        pending += data
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            text = line.decode("utf-8", "replace").strip()
            if text:
                self._on_command(text)
                with contextlib.suppress(OSError):
                    conn.send(b"ok\n")

    def _drop(self, fd: int) -> None:
        conn, notifier, _ = self._peers.pop(fd)
        notifier.setEnabled(False)
        # The lambda connected in _accept holds this server: without the disconnect the two
        # form a cycle that Python's collector may free on any thread (a diagnostics worker),
        # deleting Qt objects off the GUI thread, which crashed the process.
        notifier.activated.disconnect()
        notifier.deleteLater()
        conn.close()

    def close(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
            return
        for fd in list(self._peers):
            self._drop(fd)
        self._listening.setEnabled(False)
        self._sock.close()
        with contextlib.suppress(OSError):
            if os.lstat(self._path).st_ino == self._inode:  # still ours, not a later Flare's
                os.unlink(self._path)


def _ask_pipe(name: str, command: str) -> bool:
    from PySide6.QtNetwork import QLocalSocket  # Windows: a named pipe

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


class _PipeServer(QObject):
    """Windows: QLocalServer's named pipe (the session and its ACL keep it per user)."""

    def __init__(self, name: str, on_command: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self._on_command = on_command
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
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

    def _read(self, sock: Any) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data()).decode("utf-8", "replace").strip()
            if line:
                self._on_command(line)
                sock.write(b"ok\n")
                sock.flush()

    def close(self) -> None:
        self.server.close()
