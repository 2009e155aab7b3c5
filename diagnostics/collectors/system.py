"""Who and what this computer is: OS and build, host and user names, locale, clock, uptime."""

from __future__ import annotations

import contextlib
import getpass
import locale
import os
import platform
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from app.i18n import N_, current
from diagnostics import sntp
from diagnostics.collector import CollectContext, Collector, CollectorOutput, error, warn
from diagnostics.commands import CommandError, run
from diagnostics.fmt import duration

MACOS_NAMES = {
    "11": "Big Sur", "12": "Monterey", "13": "Ventura", "14": "Sonoma", "15": "Sequoia",
    "26": "Tahoe",
}


def linux_os(os_release: dict[str, str], kernel: str, env: dict[str, str]) -> dict[str, Any]:
    return {
        "name": os_release.get("PRETTY_NAME") or os_release.get("NAME") or "Linux",
        "version": os_release.get("VERSION_ID", ""),
        "build": kernel,
        "kernel": kernel,
        "session": env.get("XDG_SESSION_TYPE", ""),
        "desktop": env.get("XDG_CURRENT_DESKTOP", ""),
    }


def windows_os(
    release: str, version: str, edition: str, reg: dict[str, Any]
) -> dict[str, Any]:
    """From platform.win32_ver() parts, win32_edition() and the CurrentVersion registry key."""
    build = str(reg.get("CurrentBuildNumber") or version.rsplit(".", 1)[-1])
    name = "Windows 11" if build.isdigit() and int(build) >= 22000 else f"Windows {release}"
    ubr = reg.get("UBR")
    return {
        "name": f"{name} {edition}".strip(),
        "version": str(reg.get("DisplayVersion") or reg.get("ReleaseId") or version),
        "build": f"{build}.{ubr}" if ubr is not None else build,
        "kernel": version,
    }


def macos_os(release: str, build: str) -> dict[str, Any]:
    major = release.split(".", 1)[0]
    nickname = MACOS_NAMES.get(major, "")
    return {
        "name": f"macOS {nickname}".strip(),
        "version": release,
        "build": build,
        "kernel": platform.release(),
    }


def _windows_current_version() -> dict[str, Any]:
    import winreg  # type: ignore[import-not-found, unused-ignore]

    out: dict[str, Any] = {}
    path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion"
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path) as key:  # type: ignore[attr-defined, unused-ignore]
        for name in ("CurrentBuildNumber", "DisplayVersion", "ReleaseId", "UBR"):
            with contextlib.suppress(OSError):
                out[name] = winreg.QueryValueEx(key, name)[0]  # type: ignore[attr-defined, unused-ignore]
    return out


class OsCollector(Collector):
    name = "os"
    title = N_("Operating system")
    description = N_("OS name, version and build, kernel, architecture, desktop session.")
    timeout_s = 2.0
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        if ctx.platform == "windows":
            release, version, _, _ = platform.win32_ver()
            try:
                reg = _windows_current_version()
            except OSError:
                reg = {}
            data = windows_os(release, version, platform.win32_edition() or "", reg)
        elif ctx.platform == "darwin":
            try:
                build = run(["sw_vers", "-buildVersion"], 1.5).strip()
            except CommandError:
                build = ""
            data = macos_os(platform.mac_ver()[0], build)
        else:
            try:
                rel = platform.freedesktop_os_release()
            except OSError:
                rel = {}
            data = linux_os(rel, platform.release(), dict(os.environ))
            product = _read("/sys/class/dmi/id/product_name")
            if product:
                data["hardware"] = product
        data["architecture"] = platform.machine()
        data["python"] = platform.python_version()
        parts = [data["name"]]
        if data.get("version") and data["version"] not in data["name"]:
            parts.append(data["version"])
        if data.get("build") and ctx.platform != "linux":
            parts.append(current().tr("build {build}", build=data["build"]))
        if ctx.platform == "linux":
            parts.append(current().tr("kernel {kernel}", kernel=data["kernel"]))
        parts.append(data["architecture"])
        if data.get("session"):
            parts.append(current().tr("{session} session", session=data["session"]))
        return CollectorOutput(data, ", ".join(p for p in parts if p))


def _read(path: str, limit: int = 4096) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(limit).strip()
    except OSError:
        return ""


class IdentityCollector(Collector):
    name = "identity"
    title = N_("Computer and user")
    description = N_(
        "Host name and domain, the signed-in user and whether they are an administrator.")
    timeout_s = 2.0
    privacy = "personal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        hostname = socket.gethostname()
        data: dict[str, Any] = {"hostname": hostname}
        domain = hostname.split(".", 1)[1] if "." in hostname else ""
        try:
            user = getpass.getuser()
        except Exception:
            user = ""
        data["user"] = user
        if ctx.platform == "windows":
            udomain = os.environ.get("USERDOMAIN", "")
            dns = os.environ.get("USERDNSDOMAIN", "")
            joined = bool(udomain) and udomain.lower() != os.environ.get("COMPUTERNAME", "").lower()
            domain = dns or (udomain if joined else "")
            data["domain_joined"] = joined
            data["admin"] = _windows_admin()
        else:
            import grp
            import pwd

            entry = pwd.getpwuid(os.getuid())
            data["full_name"] = entry.pw_gecos.split(",", 1)[0]
            # the user's own groups only: enumerating all groups is slow on directory-joined hosts
            groups: set[str] = set()
            for gid in os.getgrouplist(entry.pw_name, entry.pw_gid):
                with contextlib.suppress(KeyError):
                    groups.add(grp.getgrgid(gid).gr_name)
            data["admin"] = os.getuid() == 0 or bool(groups & {"sudo", "wheel", "admin"})
            data["domain_joined"] = any(
                Path(p).exists() for p in ("/etc/sssd/sssd.conf", "/var/db/ConfigurationProfiles")
            )
        data["domain"] = domain
        t = current()
        summary = hostname if not domain or domain in hostname else t.tr(
            "{host} in {domain}", host=hostname, domain=domain)
        summary = (t.tr("{host}, user {user} (administrator)", host=summary, user=user)
                   if data["admin"] else t.tr("{host}, user {user}", host=summary, user=user))
        return CollectorOutput(data, summary)


def _windows_admin() -> bool:
    import ctypes

    try:
        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    except Exception:
        return False


def timezone_name(env: dict[str, str], localtime: Path = Path("/etc/localtime")) -> str:
    if env.get("TZ"):
        return env["TZ"].lstrip(":")
    try:
        target = os.readlink(localtime)
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    return _read("/etc/timezone") or time.tzname[0]


def clock_findings(offset_s: float, source: str) -> list[Any]:
    t = current()
    off = duration(abs(offset_s))
    text = (t.tr("the clock is {time} ahead of {source}", time=off, source=source)
            if offset_s < 0 else
            t.tr("the clock is {time} behind {source}", time=off, source=source))
    if abs(offset_s) >= 300:
        return [error(t.tr("{problem}: sign-in (Kerberos) and secure connections fail; "
                           "sync the clock", problem=text))]
    if abs(offset_s) >= 60:
        return [warn(t.tr("{problem}: sync the clock before sign-in starts failing",
                          problem=text))]
    return []


class LocaleCollector(Collector):
    name = "locale"
    title = N_("Language, time zone and clock")
    description = N_("Locale and encoding, time zone, and the clock offset from the configured "
                     "time source (clock skew breaks logins and TLS).")
    timeout_s = 2.5
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        lang, enc = locale.getlocale()
        now = datetime.now().astimezone()
        offset = now.utcoffset()
        tz = (time.tzname[0] if ctx.platform == "windows"
              else timezone_name(dict(os.environ)))
        data: dict[str, Any] = {
            "locale": lang or os.environ.get("LANG", ""),
            "encoding": enc or sys.getfilesystemencoding(),
            "timezone": tz,
            "utc_offset_h": offset.total_seconds() / 3600 if offset is not None else 0.0,
            "local_time": now.isoformat(timespec="seconds"),
        }
        findings: list[Any] = []
        t = current()
        where = data["locale"] or t.tr("no locale")
        summary = f"{where}, {tz} (UTC{data['utc_offset_h']:+g})"
        if ctx.time_source:
            try:
                res = sntp.query(ctx.time_source, timeout_s=min(1.5, ctx.budget_s))
            except (OSError, ValueError) as e:
                data["clock_offset_s"] = None
                reason = t.tr("no answer in time") if isinstance(e, TimeoutError) else str(e)
                findings.append(warn(t.tr("time source {source} not reachable: {reason}",
                                          source=ctx.time_source, reason=reason)))
                summary += t.tr(", clock not checked")
            else:
                data["clock_offset_s"] = round(res.offset_s, 3)
                data["time_source"] = ctx.time_source
                findings += clock_findings(res.offset_s, ctx.time_source)
                summary += t.tr(", clock off by {seconds} s",
                                seconds=current().number(abs(res.offset_s), 1))
        return CollectorOutput(data, summary, findings)


class UptimeCollector(Collector):
    name = "uptime"
    title = N_("Uptime and last restart")
    description = N_(
        "How long since the computer was last started; flags a restart when overdue.")
    timeout_s = 1.0
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        boot = psutil.boot_time()
        up = max(0.0, time.time() - boot)
        booted = datetime.fromtimestamp(boot, UTC)
        data = {
            "uptime_s": round(up, 1),
            "uptime_days": round(up / 86400, 2),
            "last_boot": booted.isoformat(timespec="seconds"),
        }
        findings = []
        if ctx.restart_after_days > 0 and up / 86400 >= ctx.restart_after_days:  # 0: never
            findings.append(warn(current().tr(
                "restart recommended: running for {time} (policy: every {days} days)",
                time=duration(up), days=current().number(ctx.restart_after_days))))
        summary = current().tr("running for {time}, since {since} UTC", time=duration(up),
                               since=f"{booted:%Y-%m-%d %H:%M}")
        return CollectorOutput(data, summary, findings)
