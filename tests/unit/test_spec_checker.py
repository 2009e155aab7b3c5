"""The checker catches spec mistakes before the first report: values no step extracts,
values used before their step, unknown maps, params, secrets and fields."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.helpdesk.spec.model import check_spec

SPEC = """
flare_connector: 1
name: acme
params: {url: {required: true}}
secrets: {token: {}}
http: {base_url: "{{ params.url }}"}
auth: {type: bearer, token: "{{ secret.token }}"}
maps: {priority: {low: 1, high: 3}}
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        body:
          json: {subject: "{{ text.subject }}", p: "{{ report.priority.level | map('priority') }}"}
        extract: {ticket: ticket.id}
      - name: upload
        for_each: file in files
        method: POST
        url: "/tickets/{{ vars.ticket }}/files"
        body: {raw: "{{ file }}"}
        extract: {file_id: id}
      - name: link
        method: POST
        url: "/tickets/{{ vars.ticket }}/links"
        body: {json: {ids: "{{ steps.upload | pluck('file_id') }}"}}
    result: {id: "{{ vars.ticket }}"}
"""


def problems(old: str = "", new: str = "") -> list[str]:
    text = SPEC.replace(old, new) if old else SPEC
    assert not old or old in SPEC
    return check_spec(yaml.safe_load(text), "acme.yaml")[0]


def test_the_spec_is_fine() -> None:
    assert problems() == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('result: {id: "{{ vars.ticket }}"}', 'result: {id: "{{ vars.tikcet }}"}',
     "operations.submit.result.id: no step extracts vars.tikcet (extracted here: ticket)"),
    ('url: "/tickets/{{ vars.ticket }}/files"', 'url: "/tickets/{{ vars.ticekt }}/files"',
     "operations.submit.steps[1].url: no step extracts vars.ticekt"),
    ("json: {subject: \"{{ text.subject }}\"",
     "json: {subject: \"{{ vars.ticket }}\"",
     "operations.submit.steps[0].body.json.subject: vars.ticket is used before the step that "
     "extracts it ('create')"),
    ('result: {id: "{{ vars.ticket }}"}', 'result: {id: "{{ vars.file_id }}"}',
     "vars.file_id is extracted by the loop step 'upload', once per item: use steps.upload"),
    ("steps.upload | pluck", "steps.uplaod | pluck",
     "there is no step 'uplaod' (steps: create, upload, link)"),
    ('url: "/tickets/{{ vars.ticket }}/files"',
     'url: "/tickets/{{ vars.ticket }}/{{ steps.link }}"',
     "operations.submit.steps[1].url: steps.link is used before that step has run"),
    ("map('priority')", "map('priorty')",
     "there is no map 'priorty' under maps: (maps: priority)"),
    ('base_url: "{{ params.url }}"', 'base_url: "{{ params.ulr }}"',
     "http.base_url: params.ulr is not declared under params: (declared: url)"),
    ('token: "{{ secret.token }}"', 'token: "{{ secret.tokn }}"',
     "auth.token: secret.tokn is not declared under secrets: (declared: token)"),
    ('"{{ text.subject }}"', '"{{ text.subjcet }}"',
     "text.subjcet does not exist; text has body, comment, comment_marker, marker, subject"),
])
def test_each_mistake_is_named_where_it_is(old: str, new: str, expected: str) -> None:
    found = problems(old, new)
    assert any(expected in p for p in found), found


KEYED = """
flare_connector: 1
name: keyed
params: {url: {required: true, setting: destination.url}}
secrets: {key: {setting: destination.token}, pw: {setting: destination.token}}
http: {base_url: "{{ params.url }}/api"}
auth:
  - when: "{{ secret.pw }}"
    type: basic
    username: flare
    password: "{{ secret.pw }}"
  - type: none
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        query: {api_key: "{{ secret.key }}"}
        headers: {X-Key: "{{ secret.key }}"}
        body: {json: {subject: "{{ text.subject }}", shot: "{{ files | first | base64 }}"}}
        extract: {ticket: id}
      - name: upload
        for_each: file in files
        method: POST
        url: "/tickets/{{ vars.ticket }}/files"
        body: {multipart: [{name: file, file: "{{ file }}"}]}
    result: {id: "{{ vars.ticket }}"}
"""


def test_dry_run_prints_every_request_with_credentials_masked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from app.context import AppContext
    from app.helpdesk.delivery_bundle import open_delivery_bundle, refer_to_attached
    from tests.factories import sample_bundle

    bundle = sample_bundle(tmp_path / "b")
    # What a helpdesk receives: report.html naming the screenshots sent beside it.
    files = refer_to_attached(open_delivery_bundle(bundle)).files
    spec = tmp_path / "keyed.yaml"
    spec.write_text(KEYED)
    ctx = AppContext.for_tests(tmp_path)
    assert main(["connector", "check", str(spec), "--dry-run", str(bundle)],
                context_factory=lambda _d: ctx) == 0
    out = capsys.readouterr().out
    assert "flare-dry-run-secret" not in out and "ZmxhcmUtZHJ5" not in out  # nor its base64
    assert "Authorization: Basic ***" in out
    assert "X-Key: ***" in out and "api_key=***" in out
    assert "1. POST https://helpdesk.example/api/tickets" in out
    for i, f in enumerate(files, start=2):
        assert f"{i}. POST https://helpdesk.example/api/tickets/<ticket>/files" in out
        assert f"<the bytes of {f.name}, {f.size} bytes>" in out
    assert f"{len(files) + 2}. " not in out
    assert "<base64, " in out  # a screenshot in JSON is not printed as base64


def test_dry_run_of_a_spec_with_a_mistake_prints_the_problem_not_requests(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from app.context import AppContext
    from tests.factories import sample_bundle

    spec = tmp_path / "keyed.yaml"
    spec.write_text(KEYED.replace("{{ vars.ticket }}/files", "{{ vars.tikcet }}/files"))
    ctx = AppContext.for_tests(tmp_path)
    assert main(["connector", "check", str(spec), "--dry-run", str(sample_bundle(tmp_path))],
                context_factory=lambda _d: ctx) == 1
    out = capsys.readouterr().out
    assert "no step extracts vars.tikcet" in out and "POST" not in out


def test_a_session_value_no_login_step_extracts_is_named() -> None:
    raw = yaml.safe_load(SPEC)
    raw["auth"] = {"type": "session", "headers": {"Session-Token": "{{ session.sesion_token }}"},
                   "steps": [{"name": "login", "method": "GET", "url": "/initSession",
                              "extract": {"session_token": "session_token"}}]}
    found = check_spec(raw, "acme.yaml")[0]
    assert any("auth.headers.Session-Token: no session login step extracts "
               "session.sesion_token (extracted: session_token)" in p for p in found), found
    raw["auth"]["headers"]["Session-Token"] = "{{ session.session_token }}"
    assert check_spec(raw, "acme.yaml")[0] == []


REPLIES = """
  replies:
    steps:
      - name: history
        method: GET
        url: "/tickets/{{ ticket.id }}/messages"
        extract: {messages: items}
    result:
      $for: "m in vars.messages | where_not('internal', true)"
      $do: {author: "{{ m.from }}", at: "{{ m.at }}", text: "{{ m.body }}"}
"""


def test_the_replies_operation_is_checked_like_the_others() -> None:
    spec = yaml.safe_load(SPEC + REPLIES)
    found, checked = check_spec(spec, "acme.yaml")
    assert found == [] and checked is not None and "replies" in checked.capabilities
    # A reply list reads the ticket, not a report: there is none when replies are read.
    broken = yaml.safe_load(SPEC + REPLIES.replace("{{ m.body }}", "{{ report.title }}"))
    [problem] = check_spec(broken, "acme.yaml")[0]
    assert "operations.replies.result" in problem and "'report'" in problem
