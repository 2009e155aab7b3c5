"""Software versions: the applications IT asked about, and Flare itself."""

from __future__ import annotations

import contextlib
import plistlib
import sys
from pathlib import Path
from typing import Any

from app.i18n import N_, current
from app.version import flare_version
from diagnostics.collector import CollectContext, Collector, CollectorOutput, SkipCollector
from diagnostics.commands import CommandError, available, run


def dpkg_versions(text: str) -> dict[str, str]:
    """`dpkg-query -W -f '${Package}\\t${Version}\\t${db:Status-Status}\\n'` output."""
    out = {}
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) >= 2 and (len(f) < 3 or f[2] == "installed"):
            out[f[0]] = f[1]
    return out


def rpm_versions(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) == 2 and "not installed" not in line:
            out[f[0]] = f[1]
    return out


def match_uninstall_entries(wanted: list[str], entries: list[dict[str, str]]) -> dict[str, str]:
    """Windows 'Uninstall' registry entries: DisplayName contains the wanted name."""
    out: dict[str, str] = {}
    for name in wanted:
        for e in entries:
            if name.lower() in e.get("DisplayName", "").lower():
                out[name] = e.get("DisplayVersion", "") or "installed"
                break
    return out


def macos_app_version(info_plist: bytes) -> str:
    info = plistlib.loads(info_plist)
    return str(info.get("CFBundleShortVersionString") or info.get("CFBundleVersion") or "")


def _windows_uninstall_entries() -> list[dict[str, str]]:
    import winreg  # type: ignore[import-not-found, unused-ignore]

    w: Any = winreg
    out: list[dict[str, str]] = []
    roots = [(w.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"),
             (w.HKEY_LOCAL_MACHINE,
              r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"),
             (w.HKEY_CURRENT_USER, r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall")]
    for hive, path in roots:
        try:
            root = w.OpenKey(hive, path)
        except OSError:
            continue
        with root:
            for i in range(w.QueryInfoKey(root)[0]):
                try:
                    with w.OpenKey(root, w.EnumKey(root, i)) as k:
                        entry = {}
                        for v in ("DisplayName", "DisplayVersion"):
                            with contextlib.suppress(OSError):
                                entry[v] = str(w.QueryValueEx(k, v)[0])
                        out.append(entry)
                except OSError:
                    continue
    return out


class ApplicationsCollector(Collector):
    name = "applications"
    title = N_("Application versions")
    description = N_("Installed versions of the applications listed by IT policy.")
    timeout_s = 2.5
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        wanted = [a for a in ctx.applications if a.strip()]
        if not wanted:
            raise SkipCollector(current().tr("IT has listed no applications to check"))
        found = self._versions(ctx.platform, wanted)
        apps = {name: found.get(name) for name in wanted}
        missing = [n for n, v in apps.items() if v is None]
        parts = [f"{n} {v}" for n, v in apps.items() if v]
        t = current()
        summary = ", ".join(parts) or t.tr("none of the listed applications found")
        if missing and parts:
            summary += t.tr("; not found: {list}", list=", ".join(missing))
        return CollectorOutput({"applications": apps}, summary)

    def _versions(self, platform: str, wanted: list[str]) -> dict[str, str]:
        if platform == "windows":
            return match_uninstall_entries(wanted, _windows_uninstall_entries())
        if platform == "darwin":
            out = {}
            for name in wanted:
                for base in (Path("/Applications"), Path.home() / "Applications"):
                    plist = base / f"{name}.app" / "Contents" / "Info.plist"
                    try:
                        out[name] = macos_app_version(plist.read_bytes())
                        break
                    except (OSError, plistlib.InvalidFileException):
                        continue
            return out
        out = {}
        try:
            if available("dpkg-query"):
                out = dpkg_versions(run(["dpkg-query", "-W", "-f",
                                         "${Package}\t${Version}\t${db:Status-Status}\n",
                                         *wanted], 2.0, check=False))
            elif available("rpm"):
                out = rpm_versions(run(["rpm", "-q", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n",
                                        *wanted], 2.0, check=False))
        except CommandError:
            pass
        return out


class FlareCollector(Collector):
    name = "flare"
    title = "Flare"
    description = N_(
        "Flare's own version, its Python, and where each effective setting comes from.")
    timeout_s = 1.0
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        ver = ctx.flare_version or flare_version()
        layers: dict[str, int] = {}
        for source in ctx.settings_sources.values():
            layer = source.split(" ", 1)[0]
            layers[layer] = layers.get(layer, 0) + 1
        data = {
            "version": ver,
            "python": sys.version.split()[0],
            "frozen": bool(getattr(sys, "frozen", False)),
            "settings_sources": ctx.settings_sources,
            "settings_layers": layers,
        }
        t = current()
        summary = t.tr("Flare {version} on Python {python}", version=ver, python=data["python"])
        if layers:
            summary += t.tr("; settings from {list}",
                            list=", ".join(f"{k} ({n})" for k, n in layers.items()))
        else:
            summary += t.tr("; built-in default settings")
        return CollectorOutput(data, summary)
