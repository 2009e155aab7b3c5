"""Hardware the user sees: displays (count, resolution, scale) and battery/power."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import psutil

from app.i18n import N_, current
from diagnostics.collector import CollectContext, Collector, CollectorOutput, SkipCollector, warn
from diagnostics.commands import available, run
from diagnostics.fmt import duration

_XRANDR_OUT = re.compile(
    r"^(?P<name>\S+) connected(?P<primary> primary)? "
    r"(?:(?P<w>\d+)x(?P<h>\d+)\+(?P<x>-?\d+)\+(?P<y>-?\d+))?"
)


def xrandr_displays(text: str) -> list[dict[str, Any]]:
    """Connected outputs from `xrandr --current` (an output without a mode is switched off)."""
    out = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _XRANDR_OUT.match(line)
        if not m:
            continue
        d: dict[str, Any] = {"name": m.group("name"), "primary": bool(m.group("primary"))}
        if m.group("w"):
            d.update(width=int(m.group("w")), height=int(m.group("h")),
                     x=int(m.group("x")), y=int(m.group("y")))
        else:
            d["active"] = False
        for mode in lines[i + 1:]:
            if not mode.startswith(" "):
                break
            rate = re.search(r"(\d+\.\d+)\*", mode)
            if rate:
                d["refresh_hz"] = round(float(rate.group(1)))
                break
        out.append(d)
    return out


def macos_displays(profiler_json: str) -> list[dict[str, Any]]:
    """From `system_profiler SPDisplaysDataType -json`: scale = pixels / points."""
    out = []
    for gpu in json.loads(profiler_json).get("SPDisplaysDataType", []):
        for disp in gpu.get("spdisplays_ndrvs", []):
            px = re.match(r"(\d+)\s*x\s*(\d+)", disp.get("_spdisplays_pixels", ""))
            pt = re.match(r"(\d+)\s*x\s*(\d+)", disp.get("_spdisplays_resolution", ""))
            d: dict[str, Any] = {"name": disp.get("_name", "")}
            if px:
                d["width"], d["height"] = int(px.group(1)), int(px.group(2))
            if px and pt and int(pt.group(1)):
                d["scale"] = round(int(px.group(1)) / int(pt.group(1)), 2)
            d["primary"] = disp.get("spdisplays_main") == "spdisplays_yes"
            out.append(d)
    return out


def windows_displays() -> list[dict[str, Any]]:
    import ctypes
    from ctypes import wintypes

    user32: Any = ctypes.windll.user32  # type: ignore[attr-defined]
    shcore: Any = ctypes.windll.shcore  # type: ignore[attr-defined]

    class MONITORINFO(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.DWORD), ("rcMonitor", wintypes.RECT),
                    ("rcWork", wintypes.RECT), ("dwFlags", wintypes.DWORD)]

    found: list[dict[str, Any]] = []

    def callback(hmon: Any, _hdc: Any, _rect: Any, _data: Any) -> bool:
        mi = MONITORINFO()
        mi.cbSize = ctypes.sizeof(MONITORINFO)
        user32.GetMonitorInfoW(hmon, ctypes.byref(mi))
        r = mi.rcMonitor
        dpi_x, dpi_y = wintypes.UINT(), wintypes.UINT()
        try:
            shcore.GetDpiForMonitor(hmon, 0, ctypes.byref(dpi_x), ctypes.byref(dpi_y))
            scale = round(dpi_x.value / 96, 2)
        except OSError:
            scale = 1.0
        found.append({"width": r.right - r.left, "height": r.bottom - r.top, "x": r.left,
                      "y": r.top, "primary": bool(mi.dwFlags & 1), "scale": scale})
        return True

    proc = ctypes.WINFUNCTYPE(ctypes.c_bool, ctypes.c_void_p, ctypes.c_void_p,  # type: ignore[attr-defined]
                              ctypes.c_void_p, ctypes.c_void_p)(callback)
    user32.EnumDisplayMonitors(None, None, proc, 0)
    return found


def displays_summary(displays: list[dict[str, Any]]) -> str:
    active = [d for d in displays if d.get("active", True)]
    t = current()
    if not active:
        return t.tr("no active display")
    parts = []
    for d in active:
        s = f"{d.get('width', '?')}x{d.get('height', '?')}"
        if d.get("scale") and d["scale"] != 1:
            s += t.tr(" at {scale}x", scale=current().number(d['scale']))
        parts.append(s)
    n = len(active)
    return t.ntr("{n} display: {list}", "{n} displays: {list}", n=n, list=", ".join(parts))


class DisplaysCollector(Collector):
    name = "displays"
    title = N_("Displays")
    description = N_("Number of displays, their resolution and scaling.")
    timeout_s = 2.5
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        data: dict[str, Any] = {}
        if ctx.platform == "windows":
            displays = windows_displays()
        elif ctx.platform == "darwin":
            displays = macos_displays(run(["system_profiler", "SPDisplaysDataType", "-json"], 2.3))
        else:
            data["session"] = os.environ.get("XDG_SESSION_TYPE", "")
            if os.environ.get("DISPLAY") and available("xrandr"):
                displays = xrandr_displays(run(["xrandr", "--current"], 1.5))
            else:
                displays = _drm_displays()
                if not displays and not os.environ.get("DISPLAY"):
                    raise SkipCollector(current().tr("no graphical session (DISPLAY is not set)"))
            scale = os.environ.get("GDK_SCALE") or os.environ.get("QT_SCALE_FACTOR")
            if scale:
                data["scale_env"] = scale
        data["displays"] = displays
        data["count"] = len([d for d in displays if d.get("active", True)])
        return CollectorOutput(data, displays_summary(displays))


def _drm_displays() -> list[dict[str, Any]]:
    out = []
    for status in sorted(Path("/sys/class/drm").glob("card*-*/status")):
        try:
            if status.read_text().strip() != "connected":
                continue
            modes = (status.parent / "modes").read_text().split()
        except OSError:
            continue
        d: dict[str, Any] = {"name": status.parent.name.split("-", 1)[1]}
        m = re.match(r"(\d+)x(\d+)", modes[0]) if modes else None
        if m:
            d["width"], d["height"] = int(m.group(1)), int(m.group(2))
        out.append(d)
    return out


def linux_ac_online(power_supply: Path = Path("/sys/class/power_supply")) -> bool | None:
    for supply in sorted(power_supply.glob("*")):
        try:
            if (supply / "type").read_text().strip() == "Mains":
                return (supply / "online").read_text().strip() == "1"
        except OSError:
            continue
    return None


class PowerCollector(Collector):
    name = "power"
    title = N_("Battery and power")
    description = N_("Battery charge and whether the computer runs on mains power.")
    timeout_s = 1.5
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        bat = psutil.sensors_battery() if hasattr(psutil, "sensors_battery") else None
        data: dict[str, Any] = {"battery": None}
        findings = []
        t = current()
        if bat is None:
            ac = linux_ac_online() if ctx.platform == "linux" else None
            data["on_mains"] = ac if ac is not None else True
            return CollectorOutput(data, t.tr(
                "no battery (desktop or virtual machine), on mains power"))
        secs = bat.secsleft if isinstance(bat.secsleft, int) and bat.secsleft >= 0 else None
        data["battery"] = {"percent": round(bat.percent, 1), "plugged": bat.power_plugged,
                           "seconds_left": secs}
        data["on_mains"] = bool(bat.power_plugged)
        charge = current().number(bat.percent, 0)
        if bat.power_plugged:
            summary = t.tr("battery {charge}%, charging", charge=charge)
        elif secs:
            summary = t.tr("battery {charge}%, on battery, {time} left", charge=charge,
                           time=duration(secs))
        else:
            summary = t.tr("battery {charge}%, on battery", charge=charge)
        if not bat.power_plugged and bat.percent < 15:
            findings.append(warn(t.tr("battery low: {charge}%; plug in the charger",
                                      charge=charge)))
        return CollectorOutput(data, summary, findings)
