"""Structure-aware fuzzing, for a bounded time: the bundle reader and the spec engine.

Whatever the input, the reader either returns a bundle or raises BundleError with a one-line
message, quickly; the spec checker returns problems or SpecError; the engine renders or raises
SpecError. Anything else (a KeyError, RecursionError, UnicodeError, a hang) is a bug.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundle import open_bundle
from app.errors import BundleError
from app.helpdesk.errors import SpecError
from app.helpdesk.spec.model import check_spec, parse_spec
from app.helpdesk.spec.template import Context, render
from tests.factories import sample_bundle

# Bounded: CI spends at most a few seconds per property.
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_TEMPLATE = tempfile.mkdtemp(prefix="flare-fuzz-")
_BASE = sample_bundle(Path(_TEMPLATE), steps=1)
_MEMBERS = {p.relative_to(_BASE).as_posix(): p.read_bytes()
            for p in sorted(_BASE.rglob("*")) if p.is_file()}

names = st.sampled_from([*_MEMBERS, "../evil", "/abs", "a/b/c.txt", "attachments/x.log",
                         "report.json", "", "CON", "a\\b", "é.png", "x" * 300])
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=20)


def _mutated_report(draw: st.DrawFn) -> bytes:
    report = json.loads(_MEMBERS["report.json"])
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*report, "schema_version", "steps", "attachments"]))
        report[key] = draw(json_values)
    return json.dumps(report).encode()


@st.composite
def zip_bundles(draw: st.DrawFn) -> bytes:
    members = dict(_MEMBERS)
    if draw(st.booleans()):
        members["report.json"] = _mutated_report(draw)
    for _ in range(draw(st.integers(0, 3))):
        members[draw(names)] = draw(st.binary(max_size=200))
    if draw(st.booleans()) and members:
        members.pop(draw(st.sampled_from(sorted(members))))
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                   zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name or "empty", data)
    raw = bytearray(buf.getvalue())
    for _ in range(draw(st.integers(0, 4))):  # flip bytes anywhere: headers, data, directory
        i = draw(st.integers(0, len(raw) - 1))
        raw[i] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return bytes(raw)


def _read_everything(path: Path) -> None:
    opened = open_bundle(path)
    for member in opened.members.values():
        member.read_bytes()


@FUZZ
@given(zip_bundles())
def test_the_bundle_reader_only_ever_says_bundle_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.zip"
        path.write_bytes(data)
        started = time.monotonic()
        try:
            _read_everything(path)
        except BundleError as exc:
            assert "\n" not in exc.message, exc.message
        assert time.monotonic() - started < 5


@FUZZ
@given(st.dictionaries(names, st.binary(max_size=100), max_size=6), st.booleans())
def test_hostile_folders_only_ever_say_bundle_error(files: dict[str, bytes],
                                                    keep_report: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bundle"
        root.mkdir()
        base = dict(_MEMBERS) if keep_report else {}
        for name, data in {**base, **files}.items():
            target = root / name
            try:
                if not target.resolve().is_relative_to(root.resolve()):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except OSError:
                continue
        try:
            _read_everything(root)
        except BundleError as exc:
            assert "\n" not in exc.message


step = st.fixed_dictionaries({
    "name": st.sampled_from(["a", "create", "1x", ""]),
    "method": st.sampled_from(["GET", "POST", "BREW"]),
    "url": st.sampled_from(["/x", "{{ params.url }}/t", "{{", "}}", "{{ nope }}",
                            "/t/{{ report.id | upper }}", "{{ x | unknown }}"]),
}, optional={"headers": st.dictionaries(st.sampled_from(["A", "{{ x }}", "B c"]),
                                        st.text(max_size=10), max_size=2),
             "body": st.one_of(st.none(), st.fixed_dictionaries({"json": json_values}),
                               st.fixed_dictionaries({"multipart": st.lists(json_values,
                                                                            max_size=2)})),
             "for_each": st.sampled_from(["f in files", "x", "a in {{ b }}"])})
specs = st.fixed_dictionaries({
    "flare_connector": st.sampled_from([1, 2, "1", True]),
    "name": st.sampled_from(["fuzz", "", None]),
}, optional={
    "params": st.dictionaries(st.sampled_from(["url", "p"]), json_values, max_size=2),
    "http": st.fixed_dictionaries({}, optional={"base_url": st.text(max_size=20),
                                                "headers": json_values}),
    "auth": json_values,
    "maps": json_values,
    "operations": st.dictionaries(st.sampled_from(["submit", "find_existing", "status"]),
                                  st.fixed_dictionaries({"steps": st.lists(step, max_size=3)},
                                                        optional={"result": json_values}),
                                  max_size=2),
})


@FUZZ
@given(specs)
def test_the_spec_checker_reports_problems_and_never_crashes(raw: dict[str, Any]) -> None:
    problems, spec = check_spec(raw, "fuzz.yaml")
    assert spec is not None or problems
    assert all(isinstance(p, str) for p in problems)


@FUZZ
@given(st.text(max_size=300))
def test_spec_yaml_text_gives_a_spec_or_one_spec_error(text: str) -> None:
    try:
        parse_spec(text, "fuzz.yaml")
    except SpecError as exc:
        first = exc.message.splitlines()[0]
        assert first.startswith(("fuzz.yaml", "the connector spec has problems"))


template_text = st.lists(st.sampled_from(["{{ ", " }}", "a", "report.title", " | ", "upper",
                                          "default('x')", "map('m')", "'q\\'", "(", ")", ",",
                                          "files", "0", "$", "join"]), max_size=12).map("".join)


@FUZZ
@given(st.recursive(template_text, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["k", "$for", "$do", "$if", "$then",
                                                       "x?"]), inner, max_size=3),
                    max_leaves=12))
def test_the_template_engine_renders_or_raises_spec_error(tree: Any) -> None:
    ctx = Context({"report": {"title": "T \ud7ff é"}, "files": [], "a": 1}, {"m": {"_default": 1}})
    with contextlib.suppress(SpecError):
        render(tree, ctx, "fuzz")
