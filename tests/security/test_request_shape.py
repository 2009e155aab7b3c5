"""Issue 13.7: report data cannot change the shape of a request.

Every value is encoded for where it goes: a path segment, the query, a header value, a
multipart header. A value never becomes a header name, a part boundary or a path separator.
"""

from __future__ import annotations

import email.parser
import email.policy
from pathlib import Path

import pytest

from app.bundle import write_bundle
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.errors import SpecError
from app.helpdesk.spec.model import parse_spec
from app.report import Attachment
from tests.factories import sample_report
from tests.security.helpers import spec_connector
from tests.security.loopback import Request, serve, spec_text

INJECTED_TYPE = ('text/plain\r\n\r\nforged\r\n--BOUNDARY\r\nContent-Disposition: form-data; '
                 'name="admin"\r\n\r\ntrue')


def parts(req: Request) -> list[tuple[str | None, str, bytes]]:
    ctype = req.headers["content-type"]
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + req.body)
    return [(p.get_param("name", header="content-disposition"), p.get_content_type(),
             p.get_payload(decode=True)) for p in msg.iter_parts()]


def test_a_media_type_cannot_add_multipart_parts(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    report, files, diagnostics = sample_report(steps=0)
    report = report.model_copy(update={"attachments": [Attachment(
        file="attachments/outlook.log", name="outlook.log", media_type=INJECTED_TYPE)]})
    path = write_bundle(report, files, tmp_path / "drafts", diagnostics=diagnostics)
    with serve() as desk:
        conn = spec_connector(tmp_path, desk, monkeypatch)
        conn.submit(open_delivery_bundle(path))
    uploads = [r for r in desk.requests if r.path.endswith("/files")]
    assert uploads, "the files were uploaded"
    for req in uploads:
        got = parts(req)
        assert [name for name, _, _ in got] == ["file"], got  # no "admin" part slipped in
    log = next(p for r in uploads for p in parts(r) if p[2] == files["attachments/outlook.log"])
    assert log[1] == "application/octet-stream"


@pytest.mark.parametrize("value", ["..", ".", "../admin", "a/../../b", "x?y=1#z"])
def test_a_value_in_a_url_path_stays_one_segment(value: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_text().replace(
        'url: "/tickets/{{ vars.id }}/files"', 'url: "/tickets/{{ report.category }}/files"')
    report, files, diagnostics = sample_report(steps=0)
    report = report.model_copy(update={"category": value})
    path = write_bundle(report, files, tmp_path / "drafts", diagnostics=diagnostics)
    with serve() as desk:
        desk.answer = lambda r: ((201, {}, b"{}") if r.path.endswith("/files")  # type: ignore[assignment]
                                 else None)
        conn = spec_connector(tmp_path, desk, monkeypatch, spec=spec)
        conn.submit(open_delivery_bundle(path))
    uploads = [r for r in desk.requests if r.method == "POST" and r.path != "/tickets"]
    assert uploads
    for r in uploads:
        segments = r.path.split("/")
        assert segments[1] == "tickets" and segments[-1] == "files" and len(segments) == 4, r.path
        assert segments[2] not in (".", ".."), r.path
        assert "?" not in r.raw_path.split("/files", 1)[0]


def test_a_value_in_a_header_stays_one_header(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_text().replace(
        "        expect: [201]\n        body:\n          json:",
        "        expect: [201]\n        headers: {X-Subject: \"{{ text.subject }}\"}\n"
        "        body:\n          json:", 1)
    title = "Outlook fails\r\nX-Admin: yes\r\n\r\nbody Мережа"
    report, files, diagnostics = sample_report(steps=0, title=title)
    path = write_bundle(report, files, tmp_path / "drafts", diagnostics=diagnostics)
    with serve() as desk:
        conn = spec_connector(tmp_path, desk, monkeypatch, spec=spec)
        conn.submit(open_delivery_bundle(path))
    [create] = desk.creates()
    assert "x-admin" not in create.headers
    subject = create.headers["x-subject"]
    assert "\n" not in subject and "Outlook fails" in subject


def test_a_template_never_names_a_header() -> None:
    spec = spec_text().replace("http:\n", "http:\n  headers: {\"{{ report.title }}\": x}\n", 1)
    with pytest.raises(SpecError, match="header name is fixed text"):
        parse_spec(spec, "s.yaml")
