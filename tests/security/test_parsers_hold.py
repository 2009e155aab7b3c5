"""Issue 13.6: parsers that cannot be blown up, and say what is wrong in one line.

Alias bombs in forms and specs, deep nesting, huge numbers, damaged or encrypted zip
members, lone surrogates: each is refused quickly with its own message, never "unexpected
error" and never a multi-line dump.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from app.context import AppContext
from app.errors import BundleError
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.errors import SpecError
from app.helpdesk.spec.model import parse_spec
from app.settings import load_settings
from tests.factories import sample_bundle
from tests.security.helpers import within

LAUGHS = "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)])


def ctx(tmp_path: Path) -> AppContext:
    return AppContext.for_tests(tmp_path / "home")


def one_line(text: str) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    assert len(lines) == 1, text
    assert "unexpected error" not in text and "Traceback" not in text
    return lines[0]


def test_a_billion_laughs_form_is_refused_quickly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(f"id: laughs\n{LAUGHS}\ncategories: *a8\n", "utf-8")
    code = within(10, lambda: main(["form", "check", str(form)],
                                   context_factory=lambda _d: ctx(tmp_path)))
    out = capsys.readouterr()
    assert code != 0
    assert "alias" in (out.out + out.err)


def test_an_alias_tree_in_a_spec_is_refused_quickly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"flare_connector: 1\nname: x\n{LAUGHS}\nmaps: {{m: *a8}}\n", "utf-8")
    code = within(10, lambda: main(["connector", "check", str(spec)],
                                   context_factory=lambda _d: ctx(tmp_path)))
    assert code != 0
    assert "alias" in one_line(capsys.readouterr().out)
    with pytest.raises(SpecError, match="alias"):
        within(10, lambda: parse_spec(spec.read_text("utf-8"), "spec.yaml"))


def test_deep_nesting_in_a_spec_is_refused(tmp_path: Path) -> None:
    text = "flare_connector: 1\nname: x\nmaps: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(SpecError) as err:
        within(10, lambda: parse_spec(text, "deep.yaml"))
    assert "nested" in one_line(err.value.message)


def test_yaml_syntax_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as err:
        parse_spec("name: [unclosed\n  other: {\n", "bad.yaml")
    assert "not valid YAML" in one_line(err.value.message)


def _edit_report(bundle: Path, text: str) -> Path:
    (bundle / "report.json").write_text(text, "utf-8")
    return bundle


@pytest.mark.parametrize(("make", "said"), [
    (lambda r: r.replace('"title": "', '"title": ' + "[" * 10000 + "]" * 10000 + ', "x": "'),
     "nested"),
    (lambda r: r.replace('"schema_version": 1', '"schema_version": ' + "9" * 5000), "digits"),
    (lambda r: r.replace('"title": "', '"title": "\\ud800'), "surrogate"),
    (lambda r: r.replace('"category": "email"', '"category": 5'), "category"),
], ids=["deep", "5000-digits", "lone-surrogate", "pydantic"])
def test_hostile_report_json_gets_its_own_one_line_message(
        make: object, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    raw = (bundle / "report.json").read_text("utf-8")
    _edit_report(bundle, make(raw))  # type: ignore[operator]
    code = within(10, lambda: main(["bundle", "validate", str(bundle)],
                                   context_factory=lambda _d: ctx(tmp_path)))
    line = one_line(capsys.readouterr().out)
    assert code != 0 and said in line, line


def test_policy_with_huge_numbers_deep_nesting_or_surrogates_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "policy"
    (root / "managed").mkdir(parents=True)
    files = {
        "a.json": '{"capture.step_limit": ' + "9" * 5000 + "}",
        "b.json": '{"x": ' + "[" * 500 + "]" * 500 + "}",
        "c.json": '{"destination.url": "http://\\udfff.example"}',
    }
    for name, text in files.items():
        (root / "managed" / name).write_text(text, "utf-8")
    for d in (root, root / "managed"):
        d.chmod(0o755)
    settings = within(10, lambda: load_settings(None, policy_dir=root, env={}))
    messages = {Path(p.location.split(":")[0]).name: p.message for p in settings.problems}
    assert "number longer" in messages["a.json"]
    assert "Nested too deeply" in messages["b.json"]
    assert "surrogate" in messages["c.json"]
    assert settings.get("destination.url") == ""


def _zip_bundle(tmp_path: Path, method: int) -> tuple[Path, str]:
    folder = sample_bundle(tmp_path / "drafts")
    path = tmp_path / f"{folder.name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix(), compress_type=method)
    return path, "attachments/outlook.log"


def _member_data_offset(path: Path, name: str) -> tuple[int, int]:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    data = path.read_bytes()
    off = info.header_offset
    fname_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    return off + 30 + fname_len + extra_len, info.compress_size


def _opened_and_read(path: Path) -> None:
    """What `flare outbox send` does: open for delivery, then stream every file."""
    for f in open_delivery_bundle(path).files:
        f.read_bytes()


@pytest.mark.parametrize(("method", "said"), [
    (zipfile.ZIP_BZIP2, "damaged"),
    (zipfile.ZIP_LZMA, "damaged"),
    (zipfile.ZIP_DEFLATED, "damaged"),
    (zipfile.ZIP_STORED, "CRC"),
], ids=["bzip2", "lzma", "deflate", "stored-bad-crc"])
def test_damaged_zip_members_are_named(method: int, said: str, tmp_path: Path) -> None:
    # A screenshot has no checksum in report.json: only the zip's own CRC can tell.
    path, _ = _zip_bundle(tmp_path, method)
    name = "step-001.png"
    start, size = _member_data_offset(path, name)
    data = bytearray(path.read_bytes())
    for i in range(start + size // 3, start + size - 2):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError) as err:
        within(10, lambda: _opened_and_read(path))
    line = one_line(err.value.message)
    assert said in line and name in line, line


def test_an_encrypted_member_is_named(tmp_path: Path) -> None:
    path, name = _zip_bundle(tmp_path, zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    data = bytearray(path.read_bytes())
    flags_at = info.header_offset + 6
    data[flags_at] |= 0x1
    # ... and in the central directory, which is what zipfile reads first
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        n_len = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        if data[cd + 46:cd + 46 + n_len].decode() == name:
            data[cd + 8] |= 0x1
        cd = data.find(b"PK\x01\x02", cd + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="encrypted") as err:
        _opened_and_read(path)
    one_line(err.value.message)


def test_a_member_larger_than_its_header_says_is_refused(tmp_path: Path) -> None:
    folder = sample_bundle(tmp_path / "drafts")
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix(), compress_type=zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("attachments/outlook.log")
    data = bytearray(path.read_bytes())
    cd = data.find(b"PK\x01\x02")
    while cd != -1:
        n_len = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        if data[cd + 46:cd + 46 + n_len] == b"attachments/outlook.log":
            struct.pack_into("<I", data, cd + 24, info.file_size - 5)  # declared smaller
        cd = data.find(b"PK\x01\x02", cd + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError) as err:
        _opened_and_read(path)
    line = one_line(err.value.message)
    assert "attachments/outlook.log" in line and ("size" in line or "CRC" in line), line
