"""The .deb as an administrator deploys it: dpkg -i, the standalone build runs, policy locks the
destination, capture on click works from the installed files (pynput is inside), the autostart
entry starts Flare under a real X server, dpkg -r leaves nothing that points at the program.

Builds the package with .ci/package.sh when dist/ has none (CI builds it before pytest).
Installing needs root: skipped on a developer's non-root machine, a failure under CI=true.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from app.settings.policy_files import untrusted_reason
from tests.integration.packages import built, unavailable
from tests.integration.xserver import start_xvfb
from tests.proc import stop_process

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "flare-reporter"
PREFIX = Path("/opt/flare")
AUTOSTART = Path("/etc/xdg/autostart/flare.desktop")
PAINTER = Path(__file__).with_name("paint_window.py")

pytestmark = pytest.mark.slow


def _unavailable(reason: str) -> None:
    unavailable(reason)


def _installed() -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True, check=False
    )
    return "install ok installed" in result.stdout


@pytest.fixture(scope="module")
def deb() -> Path:
    return built(f"{PACKAGE}_*.deb")


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        _unavailable("installing a .deb needs root (run as root, or in CI)")
    if _installed():
        _unavailable(f"{PACKAGE} is already installed here; remove it (dpkg -r {PACKAGE}) first")
    result = subprocess.run(
        ["dpkg", "-i", str(deb)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    try:
        assert result.returncode == 0, f"dpkg -i failed:\n{result.stdout}\n{result.stderr}"
        yield deb
    finally:
        subprocess.run(["dpkg", "--purge", PACKAGE], capture_output=True, timeout=300, check=False)


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """A fresh user's environment: own HOME and XDG folders, no display unless given."""
    env = {
        k: v
        for k, v in os.environ.items()
        # QT_QPA_PLATFORM: the UI tests' conftest sets "offscreen" for the whole test process.
        if k
        not in ("DISPLAY", "WAYLAND_DISPLAY", "FLARE_POLICY_DIR", "PYTHONPATH", "QT_QPA_PLATFORM")
        and not k.startswith("VIRTUAL_ENV")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DOCUMENTS_DIR=str(home / "Documents"),
        PATH="/usr/local/bin:/usr/bin:/bin",
        **extra,
    )
    return env


def run(
    argv: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, env=env, input=stdin, timeout=120, check=False
    )


def managed_policy(folder: Path, settings: dict[str, object]) -> Path:
    (folder / "managed").mkdir(parents=True)
    for f in (folder, folder / "managed"):
        f.chmod(0o755)
    path = folder / "managed" / "10-destination.json"
    path.write_text(json.dumps(settings), "utf-8")
    path.chmod(0o644)
    return path


def test_package_installs_per_machine_with_safe_permissions(installed: Path) -> None:
    assert (PREFIX / "flare").is_file() and os.access(PREFIX / "flare", os.X_OK)
    assert Path("/usr/bin/flare").resolve() == (PREFIX / "flare").resolve()
    assert Path("/usr/share/applications/flare.desktop").is_file()
    assert AUTOSTART.is_file()
    assert Path("/usr/share/man/man1/flare.1.gz").is_file()
    assert Path("/usr/share/metainfo/org.flare.reporter.metainfo.xml").is_file()
    for size in (16, 32, 48, 256):
        icon = Path(f"/usr/share/icons/hicolor/{size}x{size}/apps/flare.png")
        with Image.open(icon) as png:
            assert png.size == (size, size), icon
    # The policy folders the package creates must pass Flare's own trust check.
    for layer in ("managed", "recommended"):
        folder = Path("/etc/flare/policies") / layer
        assert folder.is_dir()
        assert untrusted_reason(folder, frozenset({0})) is None
    listed = subprocess.run(
        ["dpkg", "-L", PACKAGE], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    weak = []
    for name in filter(None, listed):
        st = os.lstat(name)
        if stat.S_ISLNK(st.st_mode):
            continue
        if st.st_uid != 0 or st.st_gid != 0 or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            weak.append(f"{name} {st.st_uid}:{st.st_gid} {stat.filemode(st.st_mode)}")
    assert weak == [], "files writable by others or not owned by root:\n" + "\n".join(weak[:20])


def test_standalone_build_reports_version_and_doctor(installed: Path, tmp_path: Path) -> None:
    env = user_env(tmp_path / "home")
    version = run([str(PREFIX / "flare"), "--version"], env)
    assert version.returncode == 0, version.stderr
    deb_version = subprocess.run(
        ["dpkg-deb", "-f", str(installed), "Version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert version.stdout.strip() == f"flare {deb_version}"

    doctor = run(["flare", "doctor", "--json"], env)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    assert checks["display"]["status"] == "fail"  # no DISPLAY in this environment
    assert doctor.returncode == 1
    assert checks["policy"]["status"] == "ok", checks["policy"]
    assert checks["reports folder"]["status"] == "ok", checks["reports folder"]


def test_managed_policy_locks_the_destination(installed: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    reports = tmp_path / "reports"
    source = managed_policy(
        policy,
        {"destination.type": "folder", "reports.folder": str(reports), "capture.step_limit": 3},
    )
    env = user_env(tmp_path / "home", FLARE_POLICY_DIR=str(policy))
    # The user tries to pick another destination; managed policy must win.
    user_file = tmp_path / "home/.config/Flare/settings.json"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('{"destination.type": "email"}', "utf-8")
    shown = run(["flare", "policy", "show", "--json"], env)
    assert shown.returncode == 0, shown.stderr
    by_key = {s["key"]: s for s in json.loads(shown.stdout)["settings"]}
    assert by_key["destination.type"]["value"] == "folder"
    assert by_key["destination.type"]["locked"] is True
    assert by_key["destination.type"]["user_changeable"] is False
    assert by_key["destination.type"]["location"].startswith(f"{source}:")
    assert by_key["reports.folder"]["value"] == str(reports)
    text = run(["flare", "policy", "show", "destination"], env).stdout
    line = next(x for x in text.splitlines() if x.startswith("destination.type "))
    assert "[locked]" in line


def test_standalone_build_follows_a_pac_file_from_policy(installed: Path, tmp_path: Path) -> None:
    """The frozen app carries PAC evaluation (pypac and its JS engine), not just the source."""
    from tests.integration.pac_server import serve

    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with serve(Proxy) as proxy_port:
        pac = f'function FindProxyForURL(u, h) {{ return "PROXY 127.0.0.1:{proxy_port}"; }}'

        class PacFile(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(pac)))
                self.end_headers()
                self.wfile.write(pac.encode())

            def log_message(self, *args: object) -> None:
                pass

        with serve(PacFile) as pac_port:
            policy = tmp_path / "policy"
            managed_policy(
                policy,
                {
                    "destination.type": "rt",
                    "destination.url": "http://helpdesk.corp.test/REST/2.0/",
                    "destination.proxy_pac_url": f"http://127.0.0.1:{pac_port}/proxy.pac",
                },
            )
            env = user_env(tmp_path / "home", FLARE_POLICY_DIR=str(policy))
            doctor = run(["flare", "doctor", "--json"], env)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    assert checks["helpdesk"]["status"] == "ok", checks["helpdesk"]
    # Every request to the helpdesk went through the proxy the PAC file named (the doctor
    # probes the API path, and may sign in too).
    assert seen and all(url.startswith("http://helpdesk.corp.test/") for url in seen), seen


@contextlib.contextmanager
def started(argv: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        yield proc
    finally:
        stop_process(proc)


@pytest.mark.xvfb
def test_report_goes_to_the_policy_folder_under_x(installed: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    policy = tmp_path / "policy"
    managed_policy(policy, {"destination.type": "folder", "reports.folder": str(reports)})
    with start_xvfb([(1280, 800)]) as xs:
        env = user_env(tmp_path / "home", FLARE_POLICY_DIR=str(policy), DISPLAY=xs.display)
        doctor = run(["flare", "doctor", "--json"], env)
        checks = {c["name"]: c for c in json.loads(doctor.stdout)}
        assert checks["display"]["status"] == "ok", checks["display"]
        # Something to see: Flare rightly refuses a screenshot of a blank screen.
        image = tmp_path / "error.png"
        Image.radial_gradient("L").convert("RGB").resize((400, 300)).save(image)
        painter = [sys.executable, str(PAINTER), f"{image}@100,100"]
        with started(painter, xs.env(QT_QPA_PLATFORM="xcb")) as paint:
            assert paint.stdout is not None
            assert paint.stdout.readline().strip() == b"ready"
            time.sleep(0.5)  # let the X server finish the last expose before the grab
            # One recorded step, written as a report bundle where the policy says.
            recorded = run(["flare", "record", "--steps", "1"], env, stdin="the error\nq\n")
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    bundles = [p for p in reports.iterdir() if (p / "report.json").is_file()]
    assert len(bundles) == 1, list(reports.iterdir())
    valid = run(["flare", "bundle", "validate", str(bundles[0])], user_env(tmp_path / "home"))
    assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.xvfb
def test_installed_build_writes_webp_jpeg_and_png_with_debians_libraries(
    installed: Path, tmp_path: Path
) -> None:
    """Pillow in the package encodes through Debian's libwebp and libjpeg (the wheel's copies
    are gone): a real screen grab in each format decodes to the same picture."""
    image = tmp_path / "error.png"
    Image.radial_gradient("L").convert("RGB").resize((400, 300)).save(image)
    with start_xvfb([(1280, 800)]) as xs:
        env = user_env(tmp_path / "home", DISPLAY=xs.display)
        painter = [sys.executable, str(PAINTER), f"{image}@100,100"]
        with started(painter, xs.env(QT_QPA_PLATFORM="xcb")) as paint:
            assert paint.stdout is not None
            assert paint.stdout.readline().strip() == b"ready"
            time.sleep(0.5)
            shots = {}
            for fmt in ("webp", "jpeg", "png"):
                out = tmp_path / fmt
                done = run(["flare", "capture", "--format", fmt, "--out", str(out)], env)
                assert done.returncode == 0, done.stderr
                (shots[fmt],) = [p for p in out.iterdir() if p.suffix != ".json"]
    with Image.open(shots["png"]) as png:
        reference = png.convert("L")
    for fmt in ("webp", "jpeg"):
        with Image.open(shots[fmt]) as shot:
            assert shot.format == fmt.upper()
            assert shot.size == reference.size == (1280, 800)
            # The painted gradient, where the painter put it (lossy formats: near, not equal).
            box = (150, 150, 450, 350)
            got = ImageStat.Stat(shot.convert("L").crop(box)).mean[0]
            want = ImageStat.Stat(reference.crop(box)).mean[0]
            assert want > 40 and abs(got - want) < 0.05 * want, (fmt, got, want)


@pytest.mark.xvfb
def test_installed_build_captures_a_step_at_a_mouse_click(installed: Path, tmp_path: Path) -> None:
    """Capture on click is inside the build (X11 RECORD through python-xlib): a click through
    the X server records a step, described and marked."""
    if shutil.which("xdotool") is None:
        _unavailable("xdotool is missing (apt-get install xdotool)")
    reports = tmp_path / "reports"
    policy = tmp_path / "policy"
    managed_policy(policy, {"destination.type": "folder", "reports.folder": str(reports)})
    image = tmp_path / "error.png"
    Image.radial_gradient("L").convert("RGB").resize((400, 300)).save(image)
    with start_xvfb([(1280, 800)]) as xs:
        env = user_env(tmp_path / "home", FLARE_POLICY_DIR=str(policy), DISPLAY=xs.display)
        painter = [sys.executable, str(PAINTER), f"{image}@100,100"]
        with started(painter, xs.env(QT_QPA_PLATFORM="xcb")) as paint:
            assert paint.stdout is not None
            assert paint.stdout.readline().strip() == b"ready"
            proc = subprocess.Popen(
                ["flare", "record", "--clicks", "--steps", "1"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                assert proc.stdout is not None and proc.stdin is not None
                banner = proc.stdout.readline().decode() + proc.stdout.readline().decode()
                assert "A step is taken at each click" in banner, banner + (
                    proc.stderr.read().decode() if proc.stderr else ""
                )
                lines: queue.Queue[str] = queue.Queue()
                stdout = proc.stdout

                def read_lines() -> None:
                    for line in iter(stdout.readline, b""):
                        lines.put(line.decode())

                reader = threading.Thread(target=read_lines, daemon=True)
                reader.start()
                # The listener connects to the X server in its own thread: click until it has
                # (at most one step is kept: --steps 1).
                captured = ""
                for _ in range(15):
                    subprocess.run(
                        ["xdotool", "mousemove", "200", "200", "click", "1"],
                        env=xs.env(),
                        check=True,
                        timeout=10,
                    )
                    with contextlib.suppress(queue.Empty):
                        captured = lines.get(timeout=1.0)
                    if "captured" in captured:
                        break
                assert "captured" in captured, captured or "no step at any of 15 clicks"
                proc.stdin.write(b"q\n")
                proc.stdin.flush()
                proc.wait(timeout=60)
                reader.join(timeout=10)
                out = "".join(lines.queue)
                err = proc.stderr.read().decode() if proc.stderr else ""
            finally:
                stop_process(proc)
    assert proc.returncode == 0, out + err
    (bundle,) = [p for p in reports.iterdir() if (p / "report.json").is_file()]
    report = json.loads((bundle / "report.json").read_text("utf-8"))
    assert len(report["steps"]) == 1
    assert report["steps"][0]["description"].startswith("Left click"), report["steps"][0]


def autostart_command() -> list[str]:
    lines = AUTOSTART.read_text("utf-8").splitlines()
    assert "[Desktop Entry]" in lines
    assert "X-GNOME-Autostart-enabled=true" in lines
    exec_line = next(x for x in lines if x.startswith("Exec="))
    # Field codes (%u, %f, …) are for launchers with arguments; autostart passes none.
    return [a for a in shlex.split(exec_line[len("Exec=") :]) if not a.startswith("%")]


@pytest.mark.xvfb
def test_autostart_entry_starts_the_tray_app(installed: Path, tmp_path: Path) -> None:
    argv = autostart_command()
    assert Path(argv[0]).resolve() == (PREFIX / "flare").resolve()
    with start_xvfb([(1280, 800)]) as xs:
        env = user_env(tmp_path / "home", DISPLAY=xs.display)
        tray_host = None
        if shutil.which("trayer"):
            tray_host = subprocess.Popen(
                ["trayer", "--edge", "top", "--widthtype", "pixel", "--width", "200"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            with started(argv, env) as proc:
                # A session starts autostart entries and never waits: the app must stay up.
                deadline = time.monotonic() + 8
                while time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.2)
                if proc.poll() is not None:
                    _, err = proc.communicate(timeout=5)
                    pytest.fail(f"Flare exited at login with {proc.returncode}: {err.decode()}")
        finally:
            if tray_host is not None:
                tray_host.terminate()
                tray_host.wait(10)


@pytest.mark.xvfb
def test_autostart_turned_off_or_without_a_tray_opens_nothing(
    installed: Path, tmp_path: Path
) -> None:
    """The installed login entry obeys general.autostart, and on a desktop without a tray it
    opens no window at login (it stays in the background)."""
    if shutil.which("xdotool") is None:
        _unavailable("xdotool is missing (apt-get install xdotool)")
    argv = autostart_command()
    assert argv[1:] == ["--autostart"]
    home = tmp_path / "home"
    (home / ".config/Flare").mkdir(parents=True)
    settings = home / ".config/Flare/settings.json"
    with start_xvfb([(1280, 800)]) as xs:
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        env = user_env(home, DISPLAY=xs.display, XDG_RUNTIME_DIR=str(runtime))
        settings.write_text('{"general.autostart": false}', "utf-8")
        started_at = time.monotonic()
        off = run(argv, env)
        assert off.returncode == 0, off.stderr
        assert time.monotonic() - started_at < 20
        settings.write_text('{"general.autostart": true}', "utf-8")
        with started(argv, env) as proc:
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and proc.poll() is None:
                shown = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--name", "Report a problem"],
                    env=xs.env(),
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout.split()
                assert shown == [], "a report window opened at login"
                time.sleep(0.5)
            if proc.poll() is not None:
                _, err = proc.communicate(timeout=5)
                pytest.fail(f"Flare exited at login with {proc.returncode}: {err.decode()}")


def test_removal_leaves_no_files(deb: Path, installed: Path) -> None:
    """Last in this module: removes the package the other tests share."""
    listed = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    removed = subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True, text=True, check=False)
    assert removed.returncode == 0, removed.stderr
    assert not _installed()
    assert not (PREFIX / "flare").exists()
    assert not Path("/usr/bin/flare").exists()
    assert "./opt/flare/flare" in listed
    # Nothing that starts or names the removed program stays: the autostart entry is a link
    # that goes with the package, not a conffile kept until purge.
    leftovers = [
        p
        for p in (
            PREFIX,
            Path("/usr/share/flare"),
            AUTOSTART,
            Path("/usr/share/applications/flare.desktop"),
        )
        if os.path.lexists(p)
    ]
    assert leftovers == []
    assert "./etc/xdg/autostart/flare.desktop -> /usr/share/flare/flare-autostart.desktop" in listed
