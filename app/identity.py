"""Who reports and from which machine: one answer for the window, `flare record` and the CLI.

Never asked of the person when the machine knows it: the full name comes from the account
(the GECOS field on Linux and macOS, the display name on Windows), the e-mail address from
settings or from IT's template (``reporter.email_template``, e.g. ``{username}@example.org``).
"""

from __future__ import annotations

import os
import platform
import socket
import sys

from app.context import AppContext
from app.report import Machine, Reporter
from app.version import flare_version


def username() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name in this environment (a service, a container)
        return ""


def account_full_name() -> str:
    """The account's display name, "" when the system has none (or only the login name)."""
    name = ""
    if sys.platform == "win32":
        name = _windows_display_name()
    else:
        try:
            import pwd

            name = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        except (ImportError, KeyError, AttributeError):
            name = ""
    return "" if name.lower() == username().lower() else name


def _windows_display_name() -> str:
    import ctypes

    size = ctypes.c_ulong(0)
    secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
    name_display = 3
    secur32.GetUserNameExW(name_display, None, ctypes.byref(size))
    if not size.value:
        return ""
    buf = ctypes.create_unicode_buffer(size.value)
    if not secur32.GetUserNameExW(name_display, buf, ctypes.byref(size)):
        return ""
    return str(buf.value)


def reporter_name(ctx: AppContext) -> str:
    """``reporter.name``, else the account's full name, else ""."""
    return str(ctx.settings.get("reporter.name") or "").strip() or account_full_name()


def reporter_email(ctx: AppContext) -> str:
    """``reporter.email``, else IT's template filled with the user name, else ""."""
    configured = str(ctx.settings.get("reporter.email") or "").strip()
    if configured:
        return configured
    template = str(ctx.settings.get("reporter.email_template") or "").strip()
    user = username()
    if not template or not user or "{username}" not in template:
        return ""
    return template.replace("{username}", user.split("\\")[-1].lower())


def reporter(ctx: AppContext, *, name: str | None = None, email: str | None = None) -> Reporter:
    return Reporter(name=reporter_name(ctx) if name is None else name, username=username(),
                    email=reporter_email(ctx) if email is None else email)


def report_identity(ctx: AppContext) -> tuple[Reporter, Machine]:
    """Who reports from which machine, as every bundle Flare writes names them."""
    return reporter(ctx), machine()


def machine() -> Machine:
    return Machine(
        hostname=socket.gethostname(),
        os=platform.system(),
        os_version=platform.release(),
        architecture=platform.machine(),
        flare_version=flare_version(),
    )


def looks_like_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(local and at and "." in domain.strip(".") and " " not in email)


def remember_reporter_email(ctx: AppContext, email: str) -> None:
    """Keep the address the person gave in their settings (``reporter.email``); a failure is
    logged and the address still serves this report."""
    import logging

    from app.settings import SettingsError

    try:
        ctx.settings = ctx.settings.set_user("reporter.email", email, ctx.dirs.user_settings_file)
    except (SettingsError, OSError) as exc:
        logging.getLogger(__name__).warning("could not remember the e-mail address: %s", exc)
