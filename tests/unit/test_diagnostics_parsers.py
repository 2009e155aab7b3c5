"""Platform paths that cannot run here, tested on recorded output of the real tools."""

from __future__ import annotations

import json
import plistlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from diagnostics import sntp
from diagnostics.collectors import devices, logs, network, software, system
from diagnostics.collectors.policy import custom_item
from diagnostics.collectors.resources import disk_entries, disk_findings, resources_findings

WEVTUTIL = """Event[0]:
  Log Name: System
  Source: Microsoft-Windows-Kernel-Power
  Date: 2024-05-02T09:14:03.5510000Z
  Event ID: 41
  Task: N/A
  Level: Critical
  Opcode: Info
  Keyword: N/A
  User: S-1-5-18
  User Name: NT AUTHORITY\\SYSTEM
  Computer: DESKTOP-7Q2
  Description:
The system has rebooted without cleanly shutting down first. This error could be caused if
the system stopped responding, crashed, or lost power unexpectedly.

Event[1]:
  Log Name: System
  Source: Service Control Manager
  Date: 2024-05-02T09:10:44.1230000Z
  Event ID: 7000
  Level: Error
  Description:
The Zscaler service failed to start due to the following error: The system cannot find the file.
"""

JOURNAL = (
    "\n".join(
        json.dumps(r)
        for r in [
            {
                "__REALTIME_TIMESTAMP": "1714641000000000",
                "PRIORITY": "3",
                "SYSLOG_IDENTIFIER": "kernel",
                "MESSAGE": "EXT4-fs error (device sda2): htree_dirblock_to_tree",
            },
            {
                "__REALTIME_TIMESTAMP": "1714641060000000",
                "PRIORITY": "2",
                "_COMM": "Xorg",
                "MESSAGE": list(b"segfault at 0 ip \xff"),
            },
        ]
    )
    + "\nnot json\n"
)

MACOS_LOG = "\n".join(
    json.dumps(r)
    for r in [
        {
            "timestamp": "2024-05-02 11:00:00.000000+0200",
            "messageType": "Error",
            "processImagePath": "/usr/libexec/airportd",
            "eventMessage": "WiFi association failed",
        },
        {
            "timestamp": "2024-05-02 11:00:05.000000+0200",
            "messageType": "Error",
            "processImagePath": "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder",
            "eventMessage": "Sandbox denied file-read",
        },
        {"count": 2, "finished": 1},
    ]
)


def test_wevtutil() -> None:
    got = logs.parse_wevtutil(WEVTUTIL, "System")
    assert [e["source"] for e in got] == [
        "Microsoft-Windows-Kernel-Power (System 41)",
        "Service Control Manager (System 7000)",
    ]
    assert got[0]["level"] == "critical" and got[0]["message"].startswith("The system has rebooted")
    assert "Zscaler service failed" in got[1]["message"]


def test_journal_newest_first_and_binary_messages() -> None:
    got = logs.parse_journal(JOURNAL)
    assert [e["source"] for e in got] == ["Xorg", "kernel"]
    assert got[0]["level"] == "critical" and got[0]["message"].startswith("segfault at 0")
    assert got[1]["time"] == "2024-05-02T09:10:00+00:00"


def test_macos_log() -> None:
    got = logs.parse_macos_log(MACOS_LOG)
    assert [e["source"] for e in got] == ["Finder", "airportd"]


def test_syslog_window_and_error_filter() -> None:
    now = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
    text = (
        "2024-05-02T10:00:00+00:00 pc kernel: old error\n"
        "2024-05-02T11:50:00.123+00:00 pc NetworkManager[812]: <warn> dhcp failed\n"
        "2024-05-02T11:51:00+00:00 pc cron[9]: job ran fine\n"
        "May  2 11:55:00 pc sshd[1]: error: kex_exchange_identification\n"
    )
    got = logs.parse_syslog(text, now - timedelta(minutes=30), now)
    assert [e["source"] for e in got] == ["sshd", "NetworkManager"]


def test_log_limits() -> None:
    many = [{"time": "", "source": "s", "level": "error", "message": "x" * 400}] * 500
    kept, dropped = logs.limit(many)
    assert len(kept) <= logs.MAX_ENTRIES and dropped == 500 - len(kept)
    assert len(json.dumps(kept)) < logs.MAX_TOTAL * 1.3


def test_gateways() -> None:
    route = (
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
        "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n"
        "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\n"
    )
    assert network.linux_gateway(route) == ("eth0", "192.168.2.1")
    assert network.macos_route_default(
        "   route to: default\ndestination: default\n    gateway: 10.0.0.1\n  interface: en0\n"
    ) == ("en0", "10.0.0.1")
    win = """IPv4 Route Table
===========================================================================
Active Routes:
Network Destination        Netmask          Gateway       Interface  Metric
          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.23     35
          0.0.0.0          0.0.0.0         10.8.0.1        10.8.0.6      5
==========================================================================="""
    assert network.windows_route_default(win) == ("10.8.0.6", "10.8.0.1")


def test_dns_sources() -> None:
    assert network.resolv_conf(
        "# c\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.ex\n"
    ) == {"servers": ["10.0.0.2", "10.0.0.3"], "search": ["corp.ex"]}
    scutil = (
        "resolver #1\n  nameserver[0] : 192.168.1.1\n  nameserver[1] : 1.1.1.1\n"
        "resolver #2\n  nameserver[0] : 192.168.1.1\n"
    )
    assert network.macos_scutil_dns(scutil) == ["192.168.1.1", "1.1.1.1"]
    assert network.windows_dns_from_registry(
        {
            "{a}": {"DhcpNameServer": "10.1.1.1 10.1.1.2"},
            "{b}": {"NameServer": "10.2.2.2,10.1.1.1", "DhcpNameServer": "9.9.9.9"},
            "{c}": {},
        }
    ) == ["10.1.1.1", "10.1.1.2", "10.2.2.2"]


def test_wifi() -> None:
    iw = (
        "Connected to aa:bb:cc:dd:ee:ff (on wlp2s0)\n\tSSID: CorpWiFi\n\tfreq: 5180\n"
        "\tsignal: -78 dBm\n\ttx bitrate: 6.0 MBit/s\n"
    )
    got = network.iw_link(iw)
    assert got == {"connected": True, "ssid": "CorpWiFi", "signal_dbm": -78}
    assert network.signal_quality(got) == "weak"
    assert network.iw_link("Not connected.\n") == {"connected": False}
    netsh = """There is 1 interface on the system:

    Name                   : Wi-Fi
    State                  : connected
    SSID                   : CorpWiFi
    BSSID                  : aa:bb:cc:dd:ee:ff
    Radio type             : 802.11ac
    Receive rate (Mbps)    : 585
    Signal                 : 92%
"""
    w = network.netsh_wlan(netsh)
    assert w["ssid"] == "CorpWiFi" and w["signal_percent"] == 92 and w["connected"] is True
    assert network.signal_quality(w) == "good"


def test_vpn_detection() -> None:
    ifaces = {
        "eth0": {"up": True, "ipv4": ["192.168.1.5"]},
        "tun0": {"up": True, "ipv4": ["10.8.0.6"]},
        "utun0": {"up": True, "ipv6": ["fe80::1"]},  # macOS system tunnel, not a VPN
        "wg0": {"up": False, "ipv4": ["10.9.0.2"]},
    }
    got = network.detect_vpn(ifaces, ["bash", "openvpn", "PanGPS.exe"], "tun0")
    assert got == {
        "active": True,
        "interfaces": ["tun0"],
        "clients": ["GlobalProtect", "OpenVPN"],
        "full_tunnel": True,
    }
    idle = network.detect_vpn({"eth0": ifaces["eth0"]}, ["vpnagentd"], "eth0")
    data = {
        "interfaces": {"eth0": ifaces["eth0"]},
        "gateway": {"interface": "eth0", "address": "192.168.1.1"},
        "dns": {"servers": ["192.168.1.1"]},
        "vpn": idle,
    }
    assert "VPN client running but not connected" in network.network_summary(data)
    assert any("no VPN tunnel" in f.message for f in network.network_findings(data))


def test_network_findings_offline() -> None:
    data: dict[str, Any] = {
        "interfaces": {"eth0": {"up": False}},
        "gateway": None,
        "dns": {"servers": []},
        "vpn": {"active": False, "interfaces": [], "clients": []},
    }
    msgs = [f.message for f in network.network_findings(data)]
    assert any("no network connection" in m for m in msgs)
    assert any("no DNS servers" in m for m in msgs)


def test_proxy_sources() -> None:
    assert network.env_proxy({"HTTPS_PROXY": "http://p:3128", "no_proxy": "localhost"}) == {
        "https_proxy": "http://p:3128",
        "no_proxy": "localhost",
    }
    assert network.windows_proxy(
        {
            "ProxyEnable": 1,
            "ProxyServer": "proxy.corp:8080",
            "AutoConfigURL": "http://wpad.corp/proxy.pac",
        }
    ) == {"server": "proxy.corp:8080", "pac_url": "http://wpad.corp/proxy.pac"}
    assert network.windows_proxy({"ProxyEnable": 0, "ProxyServer": "stale:1"}) == {}
    scutil = """<dictionary> {
  HTTPEnable : 1
  HTTPPort : 3128
  HTTPProxy : proxy.corp
  ProxyAutoConfigEnable : 1
  ProxyAutoConfigURLString : http://wpad.corp/wpad.dat
}"""
    assert network.macos_scutil_proxy(scutil) == {
        "http": "proxy.corp:3128",
        "pac_url": "http://wpad.corp/wpad.dat",
    }
    kde = "[Proxy Settings]\nProxyType=2\nProxy Config Script=http://wpad/p.pac\n"
    assert network.kde_proxy(kde) == {"pac_url": "http://wpad/p.pac"}
    values = {
        ("org.gnome.system.proxy", "mode"): "'manual'",
        ("org.gnome.system.proxy.http", "host"): "'proxy.corp'",
        ("org.gnome.system.proxy.http", "port"): "8080",
        ("org.gnome.system.proxy.https", "host"): "''",
        ("org.gnome.system.proxy.https", "port"): "0",
        ("org.gnome.system.proxy.socks", "host"): "''",
        ("org.gnome.system.proxy.socks", "port"): "0",
    }
    assert network.gnome_proxy(lambda s, k: values[(s, k)]) == {"http": "proxy.corp:8080"}


def test_os_versions() -> None:
    win = system.windows_os(
        "10",
        "10.0.22631",
        "Enterprise",
        {"CurrentBuildNumber": "22631", "DisplayVersion": "23H2", "UBR": 3447},
    )
    assert win["name"] == "Windows 11 Enterprise" and win["build"] == "22631.3447"
    assert win["version"] == "23H2"
    assert system.windows_os("10", "10.0.19045", "", {})["name"] == "Windows 10"
    mac = system.macos_os("14.4.1", "23E224")
    assert mac["name"] == "macOS Sonoma" and mac["build"] == "23E224"


def test_clock_findings() -> None:
    assert system.clock_findings(12.0, "ntp") == []
    assert system.clock_findings(-90, "ntp")[0].severity == "warning"
    f = system.clock_findings(400, "ntp")[0]
    assert f.severity == "error" and "behind" in f.message


def test_displays() -> None:
    xr = """Screen 0: minimum 8 x 8, current 4480 x 1440, maximum 32767 x 32767
eDP-1 connected primary 1920x1080+0+360 (normal left inverted right x axis y axis) 309mm x 174mm
   1920x1080     60.02*+  59.93
DP-1 connected 2560x1440+1920+0 (normal left inverted right x axis y axis) 597mm x 336mm
   2560x1440     59.95*+
HDMI-1 disconnected (normal left inverted right x axis y axis)
DP-2 connected (normal left inverted right x axis y axis)
   1920x1080     60.00 +
"""
    got = devices.xrandr_displays(xr)
    assert [(d["name"], d.get("width"), d.get("active", True)) for d in got] == [
        ("eDP-1", 1920, True),
        ("DP-1", 2560, True),
        ("DP-2", None, False),
    ]
    assert got[0]["primary"] and got[0]["refresh_hz"] == 60
    assert devices.displays_summary(got) == "2 displays: 1920x1080, 2560x1440"
    prof = json.dumps(
        {
            "SPDisplaysDataType": [
                {
                    "spdisplays_ndrvs": [
                        {
                            "_name": "Color LCD",
                            "_spdisplays_pixels": "3024 x 1964",
                            "_spdisplays_resolution": "1512 x 982 @ 120.00Hz",
                            "spdisplays_main": "spdisplays_yes",
                        },
                    ]
                }
            ]
        }
    )
    mac = devices.macos_displays(prof)
    assert mac == [
        {"name": "Color LCD", "width": 3024, "height": 1964, "scale": 2.0, "primary": True}
    ]
    assert devices.displays_summary(mac) == "1 display: 3024x1964 at 2x"


def test_application_versions() -> None:
    assert software.dpkg_versions(
        "firefox-esr\t115.9.1esr-1\tinstalled\nzoom\t5.1\tnot-installed\n"
    ) == {"firefox-esr": "115.9.1esr-1"}
    assert software.rpm_versions("firefox\t124.0-1.fc39\npackage zoom is not installed\n") == {
        "firefox": "124.0-1.fc39"
    }
    entries = [
        {"DisplayName": "Microsoft Teams (work or school)", "DisplayVersion": "24.1"},
        {"DisplayName": "Zoom Workplace", "DisplayVersion": "6.0.2"},
    ]
    assert software.match_uninstall_entries(["teams", "zoom", "slack"], entries) == {
        "teams": "24.1",
        "zoom": "6.0.2",
    }
    plist = plistlib.dumps({"CFBundleShortVersionString": "124.0.2", "CFBundleVersion": "12424"})
    assert software.macos_app_version(plist) == "124.0.2"


def test_disks_dedupe_skip_and_flag() -> None:
    P = SimpleNamespace
    parts = [
        P(device="/dev/sda2", mountpoint="/", fstype="ext4"),
        P(device="/dev/sda2", mountpoint="/var/lib/docker/bind", fstype="ext4"),
        P(device="/dev/loop3", mountpoint="/snap/core/1", fstype="squashfs"),
        P(device="/dev/sr0", mountpoint="/media/cd", fstype="iso9660"),
        P(device="/dev/sdb1", mountpoint="/data", fstype="xfs"),
    ]
    sizes = {
        "/": (100 * 2**30, 3 * 2**30),
        "/var/lib/docker/bind": (100 * 2**30, 3 * 2**30),
        "/data": (1000 * 2**30, 600 * 2**30),
    }

    def usage(m: str) -> SimpleNamespace:
        total, free = sizes[m]
        return SimpleNamespace(total=total, free=free)

    disks = disk_entries(parts, usage)
    assert [d["mount"] for d in disks] == ["/", "/data"]
    f = disk_findings(disks, 10)
    assert len(f) == 1 and f[0].severity == "warning" and "disk / almost full" in f[0].message


def test_resource_findings() -> None:
    d = {
        "cpu_count": 2,
        "cpu_percent": 97.0,
        "memory_total_gb": 8.0,
        "memory_available_gb": 0.3,
        "memory_percent": 96.2,
        "swap_total_gb": 2.0,
        "swap_percent": 91.0,
        "load_avg": [5.0],
    }
    sev = {f.message.split(":")[0]: f.severity for f in resources_findings(d)}
    assert sev == {
        "memory nearly exhausted": "error",
        "swap 91% used": "warning",
        "CPU busy": "warning",
        "system overloaded": "warning",
    }


def test_sntp_reply_math() -> None:
    t1, t4 = 1_700_000_000.0, 1_700_000_000.2
    server_time = t1 + 300.1  # server answers 300 s ahead, 0.2 s round trip
    request = sntp.client_request(t1)
    reply = sntp.server_reply(request, server_time)
    res = sntp.parse_reply(reply, request, t1, t4)
    assert abs(res.offset_s - 300.0) < 0.01 and abs(res.delay_s - 0.2) < 0.01
    assert sntp.split_host_port("[::1]:1234", 123) == ("::1", 1234)
    assert sntp.split_host_port("time.corp", 123) == ("time.corp", 123)


def test_custom_items_validate_and_registry_fake() -> None:
    got = custom_item(
        {"type": "registry", "name": "proxy", "key": "HKLM\\SOFTWARE\\X", "value": "Y"},
        "windows",
        registry=lambda k, v: f"{k}|{v}",
    )
    assert got["ok"] and got["output"] == "HKLM\\SOFTWARE\\X|Y"
    assert custom_item({"type": "registry", "key": "HKLM\\X"}, "linux")["skipped"]
    bad = custom_item({"type": "command", "name": "c", "argv": "rm -rf /"}, "linux")
    assert not bad["ok"] and "list of strings" in bad["error"]
    missing = custom_item({"type": "file_tail", "name": "f", "path": "/nonexistent/x.log"}, "linux")
    assert missing == {
        "name": "f",
        "type": "file_tail",
        "path": "/nonexistent/x.log",
        "ok": False,
        "error": "file not found: /nonexistent/x.log",
    }
