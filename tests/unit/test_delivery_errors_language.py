"""Errors raised while a report is delivered (the spec engine, its templates, secrets, the
e-mail settings, the send policy) are in the person's language: My reports, `flare outbox
list` and the notifications show them as they were raised."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.errors import FlareError
from app.helpdesk.delivery_bundle import OutFile, open_delivery_bundle
from app.helpdesk.email import smtp_settings
from app.helpdesk.registry import DestinationConfig, spec_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.send_policy import SendPolicy
from app.helpdesk.spec.model import parse_spec
from app.helpdesk.spec.template import Context, render, render_string, to_text
from app.i18n import set_language
from tests.integration.helpdesk_servers import make_bundle

SPEC = """
flare_connector: 1
name: words
title: Words Desk
params: {url: {required: true, setting: destination.url}}
http: {base_url: "{{ params.url }}"}
auth: [{type: none}]
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: "{{ params.url }}/{{ report.title }}"
        body: {json: {s: "{{ text.subject }}"}}
        extract: {id: id}
    result: {id: "{{ vars.id }}"}
"""


class _Answers:
    """A loopback server answering each POST with the HTTP status its path names."""

    def __init__(self) -> None:
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = int(self.path.strip("/").split("/")[0])
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Answers]:
    s = _Answers()
    yield s
    s.close()


def _raised(do: Callable[[], object]) -> str:
    with pytest.raises(FlareError) as info:
        do()
    return str(info.value)


def _messages(tmp_path: Path, url: str) -> dict[str, str]:
    config = DestinationConfig(type="spec", url=url, token="")
    connector = spec_connector(parse_spec(SPEC), config, SecretResolver(environ={}))

    def send(status: int) -> Callable[[], object]:
        folder = tmp_path / str(status)
        bundle = open_delivery_bundle(make_bundle(folder, steps=0, title=str(status)))
        return lambda: connector.submit(bundle)

    file = OutFile("a.png", "image/png", 3, "step", lambda: None)  # type: ignore[arg-type,return-value]
    c = Context({"n": 5, "file": file}, {"prio": {"low": 1}})
    resolver = SecretResolver(environ={})
    policy = SendPolicy(screenshots=False)
    shots = open_delivery_bundle(make_bundle(tmp_path / "shots", steps=3))
    return {
        "404": _raised(send(404)),
        "503": _raised(send(503)),
        "401": _raised(send(401)),
        "422": _raised(send(422)),
        "unknown name": _raised(lambda: render_string("{{ nope }}", c, "body")),
        "map": _raised(lambda: render_string("{{ n | map('other') }}", c, "body")),
        "for": _raised(lambda: render({"$for": "x of n"}, c, "body")),
        "file in text": _raised(lambda: to_text(file, "body")),
        "no secret": _raised(lambda: resolver.resolve("")),
        "env secret": _raised(lambda: resolver.resolve("env:FLARE_NOPE")),
        "smtp url": _raised(lambda: smtp_settings(
            DestinationConfig(type="email", url="http://mail", queue="x"), resolver)),
        "screenshots": _raised(lambda: policy(shots)),
    }


# Flare's own English words: none of them may be left (the fields keep the spec's names,
# settings, addresses and HTTP statuses, which are not words of a sentence).
ENGLISH = re.compile(r"\b(?:the|is|not|needs|expects|must|cannot|check|refused|answered|"
                     r"unknown|available|busy|failing|nothing|report|tries|again|holds|"
                     r"turned|secret|configured|use|was|sent)\b")


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_delivery_errors_speak_the_persons_language(tmp_path: Path, server: _Answers,
                                                    language: str) -> None:
    set_language(language)
    try:
        said = _messages(tmp_path, server.url)
    finally:
        set_language("en")
    settings = ("destination.url", "destination.token", "capture.enabled")
    for what, text in said.items():
        words = text
        for kept in (server.url, "Words Desk", *settings, "HTTP 404", "HTTP 503", "HTTP 401",
                     "HTTP 422", "POST", "'nope'", "'other'", "'x of n'", "FLARE_NOPE",
                     "keyring:NAME, env:NAME, file:PATH", "smtp+starttls://host:587",
                     "smtps://host:465", "smtp://host:25", "'http://mail'", "body",
                     "| base64, | data_url, | text", "'name in {{path}}'", "map", "n, file",
                     "prio"):
            words = words.replace(kept, " ")
        assert re.search(r"[а-яіїєґ]{3,}", text), (what, text)
        assert not ENGLISH.search(words), (what, text)
    # The technical part stays as it is, a field of the sentence.
    assert "HTTP 404" in said["404"] and "destination.url" in said["404"]
    assert "HTTP 503" in said["503"] and "Words Desk" in said["503"]
    assert "FLARE_NOPE" in said["env secret"]
    assert "capture.enabled" in said["screenshots"]
    shots = {"ru": "в нём 3 скриншота", "uk": "у ньому 3 знімки екрана"}[language]
    assert shots in said["screenshots"], said["screenshots"]


def test_english_stays_english(tmp_path: Path, server: _Answers) -> None:
    said = _messages(tmp_path, server.url)
    assert said["404"].startswith("Words Desk has nothing at POST")
    assert said["screenshots"].startswith(
        "this report was not sent: it holds 3 screenshots, but screenshots are turned off")
