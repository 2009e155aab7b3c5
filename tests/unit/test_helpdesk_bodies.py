"""Streaming bodies, size limits, secrets and the ticket text."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from app.helpdesk.delivery_bundle import OutFile, open_delivery_bundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.limits import fit_to_limits
from app.helpdesk.network import NetworkOptions, make_session
from app.helpdesk.secrets import SecretError, SecretResolver
from app.helpdesk.spec.multipart import MultipartBody, SizedFileReader
from app.helpdesk.ticket_text import ticket_subject, ticket_text
from tests.integration.helpdesk_servers import make_bundle


def mem(name: str, data: bytes, media_type: str = "application/octet-stream",
        kind: str = "attachment") -> OutFile:
    return OutFile(name, media_type, len(data), kind, lambda: io.BytesIO(data))  # type: ignore[arg-type]


def read_all(body: MultipartBody | SizedFileReader, block: int) -> bytes:
    out = b""
    while chunk := body.read(block):
        out += chunk
    return out


def test_multipart_streams_exactly_what_it_announces() -> None:
    blob = os.urandom(200_000)
    mp = MultipartBody()
    mp.add_json("JSON", {"Subject": 'a "quoted" one'})
    mp.add_file("Attachments", mem('we"ird.bin', blob))
    mp.add_field("note", "ü")
    mp.finish()
    data = read_all(mp, 8192)
    assert len(data) == len(mp)
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {mp.content_type}\r\n\r\n".encode() + data)
    parts = list(msg.iter_parts())
    assert json.loads(parts[0].get_content()) == {"Subject": 'a "quoted" one'}
    assert parts[1].get_filename() == "we%22ird.bin"
    assert parts[1].get_payload(decode=True) == blob
    assert parts[2].get_payload(decode=True) == "ü".encode()


def test_sized_reader() -> None:
    blob = os.urandom(100_000)
    r = SizedFileReader(mem("x", blob))
    assert len(r) == 100_000 and read_all(r, 4096) == blob


def test_big_screenshot_is_downscaled_and_big_file_split(tmp_path: Path) -> None:
    path = make_bundle(tmp_path, steps=1, step_size=(900, 700), random_images=True,
                       extra_attachment=os.urandom(2_500_000))
    bundle = open_delivery_bundle(path)
    fitted = fit_to_limits(bundle, 1024 * 1024)
    by_name = {f.name: f for f in fitted.files}
    step = by_name["step-001.png"]
    assert step.size <= 1024 * 1024 and Image.open(step.open()).width < 900
    parts = sorted(n for n in by_name if n.startswith("blob.bin.part"))
    assert parts == ["blob.bin.part1of3", "blob.bin.part2of3", "blob.bin.part3of3"]
    original = next(f for f in bundle.files if f.name == "blob.bin").read_bytes()
    assert b"".join(by_name[p].read_bytes() for p in parts) == original
    assert any("downscaled" in n for n in fitted.notes) and any("split" in n for n in fitted.notes)
    assert "Delivery notes" in ticket_text(fitted.report, fitted.diagnostics, fitted.notes)


def test_an_image_that_cannot_fit_is_an_error_not_a_silent_drop(tmp_path: Path) -> None:
    path = make_bundle(tmp_path, steps=1, step_size=(900, 700), random_images=True)
    with pytest.raises(DeliveryError, match="cannot be made smaller"):
        fit_to_limits(open_delivery_bundle(path), 1000)


def test_ticket_text_has_what_support_reads_first(tmp_path: Path) -> None:
    b = open_delivery_bundle(make_bundle(tmp_path, steps=2))
    text = ticket_text(b.report, b.diagnostics)
    for expected in ("Priority: high (affects my team, blocked)", "Category: Hardware",
                     "Reporter: Rita Reporter <reporter@example.test>",
                     "1. 09:30:00 step-001.png - Step 1: clicked Print",
                     "[warning] restart recommended: up 23 days", str(b.report.id)):
        assert expected in text
    assert "Operating system" not in text  # normal sections stay in diagnostics.json
    said = "Left click on 'Print' (button) in 'Printers' (Settings)"
    report = b.report.model_copy(update={"steps": [
        b.report.steps[0].model_copy(update={"description": said}), *b.report.steps[1:]]})
    lines = ticket_text(report, b.diagnostics).splitlines()
    first = lines.index("1. 09:30:00 step-001.png - Step 1: clicked Print")
    assert lines[first + 1] == f"    {said}"
    assert ticket_subject(b.report).endswith(f"[Flare {b.report.short_id()}]")


def test_secret_references(tmp_path: Path) -> None:
    secret_file = tmp_path / "token"
    secret_file.write_text("s3cret\n")
    secret_file.chmod(0o600)
    r = SecretResolver(environ={"T": "from-env"}, policy_values={"desk": "from-policy"},
                       keyring_lookup={"kr": "from-keyring"}.get)
    assert r.resolve("env:T") == "from-env"
    assert r.resolve("keyring:kr") == "from-keyring"
    assert r.resolve("keyring:desk") == "from-policy"
    assert r.resolve("policy:desk") == "from-policy"
    assert r.resolve(f"file:{secret_file}") == "s3cret"
    secret_file.chmod(0o644)
    with pytest.raises(SecretError, match="readable by other users"):
        r.resolve(f"file:{secret_file}")
    with pytest.raises(SecretError, match="not a secret reference"):
        r.resolve("hunter2")
    with pytest.raises(SecretError, match="no secret 'nope' in the OS keyring"):
        r.resolve("keyring:nope")


def test_tls_verification_stays_on_and_a_bad_ca_bundle_is_explained(tmp_path: Path) -> None:
    session = make_session(NetworkOptions())
    assert session.verify is True
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(DeliveryError, match="CA bundle .* cannot be used"):
        make_session(NetworkOptions(ca_bundle=bad))
    proxied = make_session(NetworkOptions(proxy="http://127.0.0.1:3128"))
    assert proxied.proxies == {"http": "http://127.0.0.1:3128", "https": "http://127.0.0.1:3128"}
