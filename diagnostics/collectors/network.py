"""Network state: interfaces, gateway, DNS servers, Wi-Fi, VPN; and proxy settings.

Parsing is split from gathering so the Windows and macOS paths are tested on recorded output.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import struct
from collections.abc import Callable
from configparser import ConfigParser
from pathlib import Path
from typing import Any

import psutil

from app.i18n import N_, current
from diagnostics.collector import CollectContext, Collector, CollectorOutput, error, warn
from diagnostics.commands import CommandError, available, run

# Interface names and process names that VPN clients use.
VPN_IFACE_RE = re.compile(
    r"^(tun|tap|wg|ppp|utun|ipsec|gpd|cscotun|vpn|nordlynx|zt|tailscale|proton)\d*|"
    r"(wireguard|openvpn|anyconnect|globalprotect|fortinet|forticlient|juniper|pulse|"
    r"zscaler|pangp|cisco|vpn)",
    re.IGNORECASE,
)
VPN_PROCESSES = {
    "openvpn": "OpenVPN", "wireguard": "WireGuard", "wg-quick": "WireGuard",
    "vpnagent": "Cisco AnyConnect", "vpnagentd": "Cisco AnyConnect", "vpnui": "Cisco AnyConnect",
    "csc_ui": "Cisco Secure Client", "pangps": "GlobalProtect", "pangpa": "GlobalProtect",
    "globalprotect": "GlobalProtect", "forticlient": "FortiClient", "fortitray": "FortiClient",
    "openfortivpn": "FortiClient", "pulsesecure": "Pulse Secure", "dsaccessservice": "Pulse Secure",
    "zsatunnel": "Zscaler", "zsaservice": "Zscaler", "tailscaled": "Tailscale",
    "nordvpnd": "NordVPN", "openconnect": "OpenConnect", "strongswan": "strongSwan",
    "charon": "strongSwan", "racoon": "IPsec", "nm-openvpn-service": "OpenVPN",
}


# -- parsers (pure) -----------------------------------------------------------------------------
def linux_gateway(proc_net_route: str) -> tuple[str, str] | None:
    """(interface, gateway) of the default IPv4 route from /proc/net/route."""
    for line in proc_net_route.splitlines()[1:]:
        f = line.split()
        if len(f) >= 4 and f[1] == "00000000" and int(f[3], 16) & 0x2:
            gw = socket.inet_ntoa(struct.pack("<I", int(f[2], 16)))
            return f[0], gw
    return None


def resolv_conf(text: str) -> dict[str, list[str]]:
    servers: list[str] = []
    search: list[str] = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == "nameserver":
            servers.append(f[1])
        elif f and f[0] in ("search", "domain"):
            search += f[1:]
    return {"servers": servers, "search": search}


def macos_route_default(text: str) -> tuple[str, str] | None:
    """From `route -n get default`."""
    gw = re.search(r"^\s*gateway:\s*(\S+)", text, re.M)
    iface = re.search(r"^\s*interface:\s*(\S+)", text, re.M)
    return (iface.group(1) if iface else "", gw.group(1)) if gw else None


def windows_route_default(text: str) -> tuple[str, str] | None:
    """From `route print -4 0.0.0.0`: 'Network Destination Netmask Gateway Interface Metric'."""
    best: tuple[int, str, str] | None = None
    for line in text.splitlines():
        f = line.split()
        if len(f) == 5 and f[0] == "0.0.0.0" and f[1] == "0.0.0.0" and f[4].isdigit():
            cand = (int(f[4]), f[3], f[2])
            if best is None or cand < best:
                best = cand
    return (best[1], best[2]) if best else None


def macos_scutil_dns(text: str) -> list[str]:
    """Name servers from `scutil --dns`, first resolver first, without duplicates."""
    out: list[str] = []
    for m in re.finditer(r"nameserver\[\d+\]\s*:\s*(\S+)", text):
        if m.group(1) not in out:
            out.append(m.group(1))
    return out


def windows_dns_from_registry(interfaces: dict[str, dict[str, str]]) -> list[str]:
    """Name servers from Tcpip\\Parameters\\Interfaces\\{guid} values (static beats DHCP)."""
    out: list[str] = []
    for values in interfaces.values():
        raw = values.get("NameServer") or values.get("DhcpNameServer") or ""
        for s in re.split(r"[ ,]+", raw.strip()):
            if s and s not in out:
                out.append(s)
    return out


def iw_link(text: str) -> dict[str, Any]:
    """From `iw dev IFACE link`."""
    if text.strip().startswith("Not connected"):
        return {"connected": False}
    ssid = re.search(r"^\s*SSID:\s*(.+)$", text, re.M)
    signal = re.search(r"signal:\s*(-?\d+)\s*dBm", text)
    out: dict[str, Any] = {"connected": bool(ssid)}
    if ssid:
        out["ssid"] = ssid.group(1).strip()
    if signal:
        out["signal_dbm"] = int(signal.group(1))
    return out


def netsh_wlan(text: str) -> dict[str, Any]:
    """From `netsh wlan show interfaces` (keys are English; 'SSID' is the same everywhere)."""
    out: dict[str, Any] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        k, v = key.strip().lower(), value.strip()
        if k == "ssid":
            out["ssid"] = v
        elif k == "state":
            out["connected"] = v.lower() == "connected"
        elif k == "signal" and v.endswith("%"):
            out["signal_percent"] = int(v[:-1])
        elif k in ("receive rate (mbps)", "radio type"):
            out[k.split(" (")[0].replace(" ", "_")] = v
    if "ssid" in out:
        out.setdefault("connected", True)
    return out


def signal_quality(wifi: dict[str, Any]) -> str:
    dbm = wifi.get("signal_dbm")
    pct = wifi.get("signal_percent")
    if dbm is not None:
        return "weak" if dbm <= -75 else "fair" if dbm <= -67 else "good"
    if pct is not None:
        return "weak" if pct < 40 else "fair" if pct < 60 else "good"
    return ""


def detect_vpn(
    interfaces: dict[str, dict[str, Any]], process_names: list[str], default_iface: str
) -> dict[str, Any]:
    ifaces = [
        n for n, i in interfaces.items()
        if i.get("up") and VPN_IFACE_RE.search(n) and (i.get("ipv4") or i.get("ipv6"))
        and not (n.startswith("utun") and not i.get("ipv4"))  # macOS system utuns are v6-only
    ]
    clients = sorted({VPN_PROCESSES[p.lower().removesuffix(".exe")]
                      for p in process_names if p.lower().removesuffix(".exe") in VPN_PROCESSES})
    return {
        "active": bool(ifaces),
        "interfaces": ifaces,
        "clients": clients,
        "full_tunnel": bool(default_iface) and default_iface in ifaces,
    }


# -- gathering ----------------------------------------------------------------------------------
def interfaces() -> dict[str, dict[str, Any]]:
    stats = psutil.net_if_stats()
    out: dict[str, dict[str, Any]] = {}
    for name, addrs in psutil.net_if_addrs().items():
        st = stats.get(name)
        if name == "lo" or name.lower().startswith("loopback"):
            continue
        entry: dict[str, Any] = {"up": bool(st and st.isup)}
        v4 = [a.address for a in addrs if a.family == socket.AF_INET]
        v6 = [a.address for a in addrs if a.family == socket.AF_INET6]
        macs = [a.address for a in addrs if a.family == psutil.AF_LINK]
        if v4:
            entry["ipv4"] = v4
        if v6:
            entry["ipv6"] = v6
        if macs and macs[0] not in ("00:00:00:00:00:00", ""):
            entry["mac"] = macs[0]
        if not entry["up"] and not (v4 or v6):
            continue  # unused adapters only add noise
        if st:
            if st.speed:
                entry["speed_mbps"] = st.speed
            entry["mtu"] = st.mtu
        out[name] = entry
    return out


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _gateway_and_dns(platform: str) -> tuple[tuple[str, str] | None, dict[str, list[str]]]:
    if platform == "linux":
        gw = linux_gateway(_read("/proc/net/route"))
        dns = resolv_conf(_read("/etc/resolv.conf"))
        if dns["servers"] == ["127.0.0.53"]:  # systemd-resolved stub: show the real servers
            upstream = resolv_conf(_read("/run/systemd/resolve/resolv.conf"))
            if upstream["servers"]:
                dns = {"servers": upstream["servers"], "search": dns["search"], "via": ["resolved"]}
        return gw, dns
    if platform == "darwin":
        try:
            gw = macos_route_default(run(["route", "-n", "get", "default"], 1.0))
        except CommandError:
            gw = None
        try:
            servers = macos_scutil_dns(run(["scutil", "--dns"], 1.0))
        except CommandError:
            servers = []
        return gw, {"servers": servers, "search": []}
    try:
        gw = windows_route_default(run(["route", "print", "-4", "0.0.0.0"], 1.5))
    except CommandError:
        gw = None
    return gw, {"servers": windows_dns_from_registry(_windows_tcpip_interfaces()), "search": []}


def _windows_tcpip_interfaces() -> dict[str, dict[str, str]]:
    import winreg  # type: ignore[import-not-found, unused-ignore]

    w: Any = winreg
    out: dict[str, dict[str, str]] = {}
    path = r"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces"
    try:
        with w.OpenKey(w.HKEY_LOCAL_MACHINE, path) as root:
            for i in range(w.QueryInfoKey(root)[0]):
                guid = w.EnumKey(root, i)
                values: dict[str, str] = {}
                with w.OpenKey(root, guid) as k:
                    for name in ("NameServer", "DhcpNameServer"):
                        with contextlib.suppress(OSError):
                            values[name] = str(w.QueryValueEx(k, name)[0])
                out[guid] = values
    except OSError:
        pass
    return out


def _wifi(platform: str, ifaces: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    try:
        if platform == "linux":
            lines = _read("/proc/net/wireless").splitlines()[2:]
            wireless = [ln.split(":")[0].strip() for ln in lines]
            if not wireless or not available("iw"):
                return {"interface": wireless[0]} if wireless else None
            info = iw_link(run(["iw", "dev", wireless[0], "link"], 1.0, check=False))
            return {"interface": wireless[0], **info}
        if platform == "windows":
            text = run(["netsh", "wlan", "show", "interfaces"], 1.5, check=False)
            return netsh_wlan(text) or None
        for name in ("en0", "en1"):
            if name in ifaces:
                text = run(["networksetup", "-getairportnetwork", name], 1.0, check=False)
                m = re.search(r"Current Wi-Fi Network:\s*(.+)", text)
                if m:
                    return {"interface": name, "connected": True, "ssid": m.group(1).strip()}
    except CommandError:
        return None
    return None


class NetworkCollector(Collector):
    name = "network"
    title = N_("Network and VPN")
    description = N_(
        "Interfaces and addresses, default gateway, DNS servers, Wi-Fi, VPN state.")
    timeout_s = 2.5
    privacy = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        ifaces = interfaces()
        gw, dns = _gateway_and_dns(ctx.platform)
        names = []
        for p in psutil.process_iter(["name"]):
            n = p.info.get("name")
            if n:
                names.append(n)
        vpn = detect_vpn(ifaces, names, gw[0] if gw else "")
        wifi = _wifi(ctx.platform, ifaces)
        data: dict[str, Any] = {
            "interfaces": ifaces,
            "gateway": {"interface": gw[0], "address": gw[1]} if gw else None,
            "dns": dns,
            "vpn": vpn,
        }
        if wifi:
            wifi["quality"] = signal_quality(wifi)
            data["wifi"] = wifi
        return CollectorOutput(data, network_summary(data), network_findings(data))


def network_summary(d: dict[str, Any]) -> str:
    t = current()
    up = [(n, i) for n, i in d["interfaces"].items() if i.get("up") and i.get("ipv4")]
    parts = [", ".join(f"{n} {i['ipv4'][0]}" for n, i in up[:3])
             or t.tr("no connected interface")]
    gw = d.get("gateway")
    parts.append(t.tr("gateway {address}", address=gw["address"]) if gw
                 else t.tr("no default gateway"))
    servers = d["dns"]["servers"]
    parts.append("DNS " + ", ".join(servers[:3]) if servers else t.tr("no DNS servers"))
    wifi = d.get("wifi")
    if wifi and wifi.get("ssid"):
        quality = {"good": t.tr("good signal"), "fair": t.tr("fair signal"),
                   "weak": t.tr("weak signal")}.get(str(wifi.get("quality")), "")
        parts.append(f"Wi-Fi {wifi['ssid']}" + (f" ({quality})" if quality else ""))
    vpn = d["vpn"]
    if vpn["active"]:
        parts.append(t.tr("VPN on ({list})", list=", ".join(vpn["interfaces"] + vpn["clients"])))
    elif vpn["clients"]:
        parts.append(t.tr("VPN client running but not connected ({list})",
                          list=", ".join(vpn["clients"])))
    else:
        parts.append(t.tr("no VPN"))
    return ", ".join(parts)


def network_findings(d: dict[str, Any]) -> list[Any]:
    out = []
    t = current()
    up = [i for i in d["interfaces"].values() if i.get("up") and (i.get("ipv4") or i.get("ipv6"))]
    if not up:
        out.append(error(t.tr("no network connection: no interface is up with an address")))
    elif not d.get("gateway"):
        out.append(warn(t.tr("no default gateway: only the local network is reachable")))
    if not d["dns"]["servers"]:
        out.append(warn(t.tr("no DNS servers configured: names cannot be resolved")))
    wifi = d.get("wifi")
    if wifi and wifi.get("quality") == "weak":
        out.append(warn(t.tr("weak Wi-Fi signal: expect drops and slow connections")))
    vpn = d["vpn"]
    if vpn["clients"] and not vpn["active"]:
        out.append(warn(t.tr("a VPN client is running but no VPN tunnel is up")))
    return out


# -- proxy --------------------------------------------------------------------------------------
PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy")


def env_proxy(env: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in PROXY_ENV:
        v = env.get(k) or env.get(k.upper())
        if v:
            out[k] = v
    return out


def windows_proxy(values: dict[str, Any]) -> dict[str, Any]:
    """From HKCU\\...\\Internet Settings values."""
    out: dict[str, Any] = {}
    if values.get("ProxyEnable"):
        out["server"] = str(values.get("ProxyServer", ""))
        if values.get("ProxyOverride"):
            out["bypass"] = str(values["ProxyOverride"])
    if values.get("AutoConfigURL"):
        out["pac_url"] = str(values["AutoConfigURL"])
    if values.get("AutoDetect"):
        out["auto_detect"] = True
    return out


def macos_scutil_proxy(text: str) -> dict[str, Any]:
    """From `scutil --proxy`."""
    kv = dict(re.findall(r"^\s*(\w+)\s*:\s*(.*?)\s*$", text, re.M))
    out: dict[str, Any] = {}
    for proto in ("HTTP", "HTTPS", "SOCKS"):
        if kv.get(f"{proto}Enable") == "1" and kv.get(f"{proto}Proxy"):
            out[proto.lower()] = f"{kv[f'{proto}Proxy']}:{kv.get(f'{proto}Port', '')}".rstrip(":")
    if kv.get("ProxyAutoConfigEnable") == "1" and kv.get("ProxyAutoConfigURLString"):
        out["pac_url"] = kv["ProxyAutoConfigURLString"]
    if kv.get("ProxyAutoDiscoveryEnable") == "1":
        out["auto_detect"] = True
    return out


def kde_proxy(kioslaverc: str) -> dict[str, Any]:
    cp = ConfigParser(interpolation=None, strict=False)
    try:
        cp.read_string(kioslaverc)
    except Exception:
        return {}
    if not cp.has_section("Proxy Settings"):
        return {}
    sec = cp["Proxy Settings"]
    kind = sec.get("ProxyType", "0")
    if kind == "1":
        return {k: sec[f"{k}Proxy"] for k in ("http", "https", "socks") if sec.get(f"{k}Proxy")}
    if kind == "2" and sec.get("Proxy Config Script"):
        return {"pac_url": sec["Proxy Config Script"]}
    if kind == "3":
        return {"auto_detect": True}
    return {}


def gnome_proxy(get: Callable[[str, str], str]) -> dict[str, Any]:
    """From gsettings values; ``get(schema, key)`` returns the printed value."""
    mode = get("org.gnome.system.proxy", "mode").strip("'")
    if mode == "auto":
        url = get("org.gnome.system.proxy", "autoconfig-url").strip("'")
        return {"pac_url": url} if url else {"auto_detect": True}
    if mode == "manual":
        out = {}
        for proto in ("http", "https", "socks"):
            host = get(f"org.gnome.system.proxy.{proto}", "host").strip("'")
            port = get(f"org.gnome.system.proxy.{proto}", "port").strip()
            if host:
                out[proto] = f"{host}:{port}"
        return out
    return {}


def _system_proxy(platform: str, env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    try:
        if platform == "windows":
            import winreg  # type: ignore[import-not-found, unused-ignore]

            w: Any = winreg
            values: dict[str, Any] = {}
            path = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
            with w.OpenKey(w.HKEY_CURRENT_USER, path) as k:
                for name in ("ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL",
                             "AutoDetect"):
                    with contextlib.suppress(OSError):
                        values[name] = w.QueryValueEx(k, name)[0]
            return "Windows Internet settings", windows_proxy(values)
        if platform == "darwin":
            return "macOS network settings", macos_scutil_proxy(run(["scutil", "--proxy"], 1.0))
        desktop = env.get("XDG_CURRENT_DESKTOP", "").upper()
        if "KDE" in desktop:
            home = Path(env.get("HOME", "~")).expanduser()
            return "KDE settings", kde_proxy(_read(str(home / ".config" / "kioslaverc")))
        if env.get("DBUS_SESSION_BUS_ADDRESS") and desktop and available("gsettings"):
            def get(schema: str, key: str) -> str:
                return run(["gsettings", "get", schema, key], 1.0).strip()

            return "GNOME settings", gnome_proxy(get)
    except (CommandError, OSError):
        pass
    return "", {}


class ProxyCollector(Collector):
    name = "proxy"
    title = N_("Proxy settings")
    description = N_(
        "Proxy servers and PAC (auto-config) URL from the environment and the desktop.")
    timeout_s = 2.0
    privacy = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        env = dict(os.environ)
        from_env = env_proxy(env)
        source, system = _system_proxy(ctx.platform, env)
        data: dict[str, Any] = {"environment": from_env, "system": system}
        if source:
            data["system_source"] = source
        parts = []
        if system.get("pac_url"):
            parts.append(f"PAC {system['pac_url']}")
        for k in ("server", "http", "https", "socks"):
            if system.get(k):
                parts.append(current().tr("{kind} proxy {address}", kind=k, address=system[k]))
        if system.get("auto_detect"):
            parts.append(current().tr("auto-detect (WPAD)"))
        if source and parts:
            parts[-1] += f" ({source})"
        for k in ("https_proxy", "http_proxy", "all_proxy"):
            if from_env.get(k):
                parts.append(current().tr("{name}={value} (environment)", name=k,
                                          value=from_env[k]))
                break
        return CollectorOutput(data, "; ".join(parts) or current().tr("no proxy"))
