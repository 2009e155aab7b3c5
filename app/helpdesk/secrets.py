"""Resolving secret references (``keyring:NAME``, ``env:NAME``, ``file:PATH``) to values.

Settings and connector specs only ever hold references; the value is looked up at the moment
of use and never logged. Policy can provide values directly (``policy_values``), for managed
machines where the administrator distributes the helpdesk token with the policy.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from app.errors import EXIT_CONFIG, FlareError
from app.i18n import current
from app.regular_file import NotRegularFile, read_regular_text

KEYRING_SERVICE = "Flare"


_FORMS = "keyring:NAME, env:NAME, file:PATH"


class SecretError(FlareError):
    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_CONFIG)


def _keyring_lookup(name: str) -> str | None:
    try:
        import keyring
        import keyring.errors
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise SecretError(
            f"the OS keyring could not be read for {name!r} ({exc}); unlock the keyring "
            "or have the administrator provide the secret by policy"
        ) from None
    return value if isinstance(value, str) else None


class SecretResolver:
    """Turns a reference into its value. ``environ`` and ``keyring_lookup`` are injectable."""

    def __init__(
        self,
        *,
        policy_values: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
        keyring_lookup: Callable[[str], str | None] = _keyring_lookup,
    ) -> None:
        self._policy = dict(policy_values or {})
        self._environ = os.environ if environ is None else environ
        self._keyring = keyring_lookup

    def resolve(self, reference: str) -> str:
        ref = reference.strip()
        if not ref:
            raise SecretError(current().tr("no secret configured: set {setting} to {forms}",
                                           setting="destination.token", forms=_FORMS))
        scheme, sep, name = ref.partition(":")
        if not sep or not name:
            raise SecretError(current().tr("{reference} is not a secret reference; use {forms}",
                                           reference=repr(ref), forms=_FORMS))
        if scheme == "policy":
            if name in self._policy:
                return self._policy[name]
            raise SecretError(current().tr(
                "the policy provides no secret called {name}; ask your IT department",
                name=repr(name)))
        if scheme == "env":
            value = self._environ.get(name)
            if value:
                return value
            raise SecretError(current().tr("the environment variable {name} (secret) is not "
                                           "set", name=name))
        if scheme == "keyring":
            if name in self._policy:
                return self._policy[name]
            value = self._keyring(name)
            if value:
                return value
            raise SecretError(current().tr(
                "no secret {name} in the OS keyring (service {service}); store it with: "
                "{command}", name=repr(name), service=repr(KEYRING_SERVICE),
                command=f"keyring set {KEYRING_SERVICE} {name}"))
        if scheme == "file":
            return _read_secret_file(Path(name).expanduser())
        raise SecretError(current().tr(
            "unknown secret source {source} in {reference}; use {forms}", source=repr(scheme),
            reference=repr(ref), forms="keyring:, env:, file:"))


def _read_secret_file(path: Path) -> str:
    try:
        st = path.stat()
        if os.name != "nt" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretError(current().tr(
                "{path} is readable by other users; a secret file must be private ({command})",
                path=path, command=f"chmod 600 {path}"))
        first = read_regular_text(path, max_bytes=64 * 1024).splitlines()  # never a FIFO
    except (NotRegularFile, UnicodeDecodeError) as exc:
        raise SecretError(current().tr("the secret file {path} cannot be read: {reason}",
                                       path=path, reason=exc)) from None
    except OSError as exc:
        raise SecretError(current().tr("the secret file {path} cannot be read: {reason}",
                                       path=path, reason=exc.strerror)) from None
    if not first or not first[0].strip():
        raise SecretError(current().tr("the secret file {path} is empty", path=path))
    return first[0].strip()
