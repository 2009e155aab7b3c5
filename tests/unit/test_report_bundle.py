"""Report bundle: round trips, atomic writes, and strict reading of bad bundles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app import bundle as bundle_mod
from app.bundle import Limits, list_bundles, read_bundle, write_bundle
from app.errors import BundleError
from app.report import Report
from tests.factories import sample_bundle, sample_report


@pytest.mark.parametrize("as_zip", [False, True])
def test_round_trip_keeps_everything(tmp_path: Path, as_zip: bool) -> None:
    report, files, diagnostics = sample_report()
    path = write_bundle(report, files, tmp_path, diagnostics=diagnostics, as_zip=as_zip)
    back = read_bundle(path)
    # A report that uses nothing schema_version 2 added is written as 1 (older Flares read it).
    assert back.report.model_dump() == report.model_dump(
        exclude={"attachments", "schema_version"}) | {
        "attachments": back.report.model_dump()["attachments"], "schema_version": 1
    }
    assert back.files == files
    # Likewise diagnostics.json without texts in support's language: 1.
    assert back.diagnostics == diagnostics.model_copy(update={"schema_version": 1})
    att = back.report.attachments[0]
    assert att.size == len(files["attachments/outlook.log"])
    assert len(att.sha256) == 64
    assert "<html" in back.html and report.title in back.html


def test_folder_bundle_layout(tmp_path: Path) -> None:
    path = sample_bundle(tmp_path)
    names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    assert names == [
        "attachments/outlook.log",
        "diagnostics.json",
        "report.html",
        "report.json",
        "step-001.png",
        "step-002.png",
    ]
    assert path.name.startswith("flare-20261125-093305-")


def test_never_overwrites(tmp_path: Path) -> None:
    report, files, _ = sample_report()
    write_bundle(report, files, tmp_path)
    with pytest.raises(BundleError, match="never overwritten"):
        write_bundle(report, files, tmp_path)


def test_write_refuses_files_the_report_does_not_name(tmp_path: Path) -> None:
    report, files, _ = sample_report()
    with pytest.raises(BundleError, match="does not name: secret.txt"):
        write_bundle(report, {**files, "secret.txt": b"x"}, tmp_path)
    del files["step-001.png"]
    with pytest.raises(BundleError, match="not given: step-001.png"):
        write_bundle(report, files, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, files, diagnostics = sample_report()
    real = bundle_mod.write_synced
    calls = {"n": 0}

    def flaky(path: Path, data: bytes, *, mode: int = 0o666) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real(path, data, mode=mode)

    monkeypatch.setattr(bundle_mod, "write_synced", flaky)
    with pytest.raises(BundleError, match="No space left on device.*nothing was lost"):
        write_bundle(report, files, tmp_path, diagnostics=diagnostics)
    assert list(tmp_path.iterdir()) == []


_WRITER = """
import os, sys
from pathlib import Path
from tests.factories import sample_report, png_bytes
from app.bundle import write_bundle
from app.report import Step
report, files, diag = sample_report(steps=1)
big = png_bytes(1600, 1200, "#123456")
steps = list(report.steps)
for i in range(2, 40):
    name = f"step-{i:03d}.png"
    files[name] = big + os.urandom(20000 * i)
    steps.append(steps[0].model_copy(update={"image": name}))
report = report.model_copy(update={"steps": steps})
print("ready", flush=True)
write_bundle(report, files, Path(sys.argv[1]), diagnostics=diag, as_zip=sys.argv[2] == "zip")
print("done", flush=True)
"""


@pytest.mark.parametrize("as_zip", [False, True])
def test_kill_9_mid_write_never_leaves_a_complete_looking_bundle(
    tmp_path: Path, as_zip: bool
) -> None:
    root = Path(__file__).resolve().parents[2]
    outcomes = set()
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4):
        dest = tmp_path / f"d{delay}"
        dest.mkdir()
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(dest), "zip" if as_zip else "dir"],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()
        proc.wait()
        found = list(list_bundles(dest))
        for path in found:
            read_bundle(path)  # anything that looks complete must be complete
        outcomes.add(len(found))
        leftovers = [p for p in dest.iterdir() if p.name.startswith(".")]
        assert all(bundle_mod.PARTIAL_MARK in p.name for p in leftovers)
        for p in leftovers:  # stale partial files are cleaned up later
            os.utime(p, (0, 0))
        assert bundle_mod.remove_stale_partials(dest) == len(leftovers)
        assert [p for p in dest.iterdir() if p.name.startswith(".")] == []
    assert 0 in outcomes, "the kill never landed mid-write; the test proved nothing"


# ----------------------------------------------------------------- strict reading


def _folder(tmp_path: Path) -> Path:
    return sample_bundle(tmp_path)


def test_bad_json(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (path / "report.json").write_text('{"schema_version": 1,\n  "id": }')
    with pytest.raises(BundleError, match=r"report.json is not valid JSON: line 2 column 9"):
        read_bundle(path)


def test_invalid_field_is_named(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    data = json.loads((path / "report.json").read_text())
    data["steps"][0]["captured_at"] = "2026-11-25T09:30:00"  # no timezone
    (path / "report.json").write_text(json.dumps(data))
    with pytest.raises(BundleError, match=r"steps\.0\.captured_at"):
        read_bundle(path)


def test_missing_file(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (path / "step-002.png").unlink()
    with pytest.raises(BundleError, match="missing: step-002.png"):
        read_bundle(path)


def test_missing_report_json_is_not_a_bundle(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (path / "report.json").unlink()
    with pytest.raises(BundleError, match="report.json is missing"):
        read_bundle(path)


def test_extra_file(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (path / "passwords.txt").write_text("hunter2")
    with pytest.raises(BundleError, match="not named in report.json: passwords.txt"):
        read_bundle(path)


def test_unknown_schema_version(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    data = json.loads((path / "report.json").read_text())
    data["schema_version"] = 99
    (path / "report.json").write_text(json.dumps(data))
    with pytest.raises(BundleError, match="schema_version 99.*update Flare"):
        read_bundle(path)


def test_damaged_attachment_detected(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (path / "attachments" / "outlook.log").write_bytes(b"tampered")
    with pytest.raises(BundleError, match="does not match its checksum"):
        read_bundle(path)


def test_symlink_refused(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    target = tmp_path / "outside.png"
    shutil.move(path / "step-001.png", target)
    (path / "step-001.png").symlink_to(target)
    with pytest.raises(BundleError, match="not a regular file"):
        read_bundle(path)


def _zip_with(tmp_path: Path, extra: list[tuple[str, bytes]], *, drop: str = "") -> Path:
    src = read_bundle(sample_bundle(tmp_path / "src", as_zip=True))
    out = tmp_path / "evil.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        assert src.path is not None
        with zipfile.ZipFile(src.path) as orig:
            for info in orig.infolist():
                if info.filename != drop:
                    zf.writestr(info.filename, orig.read(info.filename))
        for name, data in extra:
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize(
    "name", ["../escape.txt", "/etc/passwd", "a/b/c.txt", "..\\x.txt", ".hidden", "C:/x.txt"]
)
def test_unsafe_names_in_zip(tmp_path: Path, name: str) -> None:
    path = _zip_with(tmp_path, [(name, b"x")])
    with pytest.raises(BundleError, match="unsafe file name"):
        read_bundle(path)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_unsafe_names_in_report_json(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    data = json.loads((path / "report.json").read_text())
    data["steps"][0]["image"] = "../../etc/passwd"
    (path / "report.json").write_text(json.dumps(data))
    with pytest.raises(BundleError, match="unsafe file name"):
        read_bundle(path)


def test_zip_bomb(tmp_path: Path) -> None:
    path = _zip_with(tmp_path, [], drop="attachments/outlook.log")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("attachments/outlook.log", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(BundleError, match="zip bomb"):
        read_bundle(path)


def test_absurd_sizes(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    with pytest.raises(BundleError, match="more than allowed"):
        read_bundle(path, limits=Limits(max_member_bytes=100))
    with pytest.raises(BundleError, match="more than 3 files"):
        read_bundle(path, limits=Limits(max_files=3))


def test_zip_lying_header(tmp_path: Path) -> None:
    path = sample_bundle(tmp_path, as_zip=True)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("report.html")
    # Damage the stored bytes of one member: the CRC check must catch it, not a traceback.
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(BundleError, match="damaged zip archive|not valid|not UTF-8|report.html"):
        read_bundle(path)


def test_not_a_bundle(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("hello")
    with pytest.raises(BundleError, match="not a report bundle"):
        read_bundle(f)
    with pytest.raises(BundleError, match="no such file"):
        read_bundle(tmp_path / "nope")


def test_report_model_rejects_reserved_and_duplicate_names() -> None:
    report, _, _ = sample_report()
    data = report.model_dump(mode="json")
    data["steps"][1]["image"] = data["steps"][0]["image"]
    with pytest.raises(ValueError, match="used twice"):
        Report.model_validate(data)
    data["steps"][1]["image"] = "report.json"
    with pytest.raises(ValueError, match="reserved"):
        Report.model_validate(data)


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_rarer_bundle_errors_speak_the_persons_language(tmp_path: Path, language: str) -> None:
    # `flare bundle check` and the tray say these to people who may read only ru or uk.
    import re

    from app.bundle import read_bundle
    from app.i18n import set_language

    half = tmp_path / "half"
    half.mkdir()
    (half / "report.json").write_text("{}", encoding="utf-8")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "link"
    link.mkdir()
    (link / "report.json").symlink_to(half / "report.json")
    said = []
    set_language(language)
    try:
        for path in (half, pipe, link):
            with pytest.raises(BundleError) as info:
                read_bundle(path)
            said.append(str(info.value))
    finally:
        set_language("en")
    for text in said:
        words = text.replace(str(tmp_path), "")
        assert re.search(r"[а-яіїєґ]{4,}", words), text
        assert not re.search(r"\b(is|the|not|missing|regular|file)\b", words), text
