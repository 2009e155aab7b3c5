"""The .rpm built from the same staged tree as the .deb: digests, contents, requirements, an
install into a scratch root (its own rpm database), and the installed program runs.

Needs Debian's rpm package (rpm, rpmbuild); nothing touches the machine's own files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.packages import built, unavailable

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rpm_file() -> Path:
    if shutil.which("rpm") is None:
        unavailable("rpm is missing (apt-get install rpm)")
    return built("flare-reporter-*.rpm")


def query(rpm_file: Path, *args: str) -> list[str]:
    out = subprocess.run(
        ["rpm", "-qp", *args, str(rpm_file)], capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()


def test_digests_are_intact(rpm_file: Path) -> None:
    result = subprocess.run(["rpm", "-K", str(rpm_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("digests OK"), result.stdout


def test_holds_the_same_files_as_the_deb(rpm_file: Path) -> None:
    files = set(query(rpm_file, "-l"))
    deb = built("flare-reporter_*.deb")
    deb_files = {
        line.split(None, 5)[5].split(" -> ")[0].removeprefix(".").rstrip("/")
        for line in subprocess.run(
            ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    }
    deb_files = {f for f in deb_files if f and not f.startswith("/usr/share/lintian")}
    # Folders the system owns (/usr, /usr/share/…) are the .deb's entries but no .rpm's.
    only_deb = {f for f in deb_files - files if not any(g.startswith(f + "/") for g in files)}
    assert only_deb == set(), sorted(only_deb)[:20]
    assert "/opt/flare/flare" in files
    assert "/etc/xdg/autostart/flare.desktop" in files


def test_requires_system_libraries_and_provides_none_of_its_own(rpm_file: Path) -> None:
    requires = set(query(rpm_file, "-R"))
    assert "libgtk-3.so.0()(64bit)" in requires
    assert "libwayland-cursor.so.0()(64bit)" in requires
    # The Qt copy inside /opt/flare satisfies itself; it must not ask for (or offer) Qt.
    assert not [r for r in requires if r.startswith(("libQt6", "libpyside6", "libicu"))]
    provides = query(rpm_file, "--provides")
    assert not [p for p in provides if ".so" in p], provides


def test_installs_into_a_scratch_root_and_runs(rpm_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run(["rpm", "--root", str(root), "--initdb"], check=True, timeout=60)
    # --nodeps: the scratch root has no libraries; the host's stand in when the program runs.
    installed = subprocess.run(
        ["rpm", "--root", str(root), "-i", "--nodeps", "--noscripts", str(rpm_file)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    listed = subprocess.run(
        ["rpm", "--root", str(root), "-q", "flare-reporter"], capture_output=True, text=True
    )
    assert listed.stdout.startswith("flare-reporter-"), listed.stdout + listed.stderr
    verified = subprocess.run(
        ["rpm", "--root", str(root), "-V", "--nodeps", "flare-reporter"],
        capture_output=True,
        text=True,
    )
    # -V lists files that differ from the package (size, digest, mode); owner names may be
    # unknown in the scratch root, which shows as U/G only.
    changed = [line for line in verified.stdout.splitlines() if line[:9].strip(".UG")]
    assert changed == [], changed[:10]
    # The interpreter library travels inside the .rpm (RPM systems keep theirs elsewhere).
    libpython = next((root / "opt/flare/_internal").glob("libpython3*.so*"))
    assert libpython.is_file() and not libpython.is_symlink()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    version = subprocess.run(
        [str(root / "opt/flare/flare"), "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"flare {query(rpm_file, '--qf', '%{VERSION}')[0]}"
    assert os.access(root / "opt/flare/flare", os.X_OK)


def test_rpmlint_finds_only_the_missing_release_signature(rpm_file: Path) -> None:
    if shutil.which("rpmlint") is None:
        unavailable("rpmlint is missing (apt-get install rpmlint)")
    config = Path(__file__).resolve().parents[2] / "packaging/linux/flare.rpmlintrc"
    result = subprocess.run(
        ["rpmlint", "-r", str(config), str(rpm_file)], capture_output=True, text=True, timeout=300
    )
    errors = {
        line.split(": E: ", 1)[1].split()[0]
        for line in result.stdout.splitlines()
        if ": E: " in line
    }
    # Signing is the release's step (rpmsign --addsign, docs/admin.md); every other filter in
    # flare.rpmlintrc says why it does not apply.
    assert errors <= {"no-signature"}, result.stdout[-3000:]
    for block in config.read_text("utf-8").split("\n\n"):
        if "addFilter(" in block:
            assert block.lstrip().startswith("#"), f"filter without a reason:\n{block}"
