"""The spec language: templates, tree constructs, filters and the checker's messages."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from app.helpdesk.errors import SpecError
from app.helpdesk.files import OutFile
from app.helpdesk.registry import builtin_spec_names
from app.helpdesk.spec.model import check_spec, parse_spec
from app.helpdesk.spec.template import Context, Secret, render, render_string, render_url

HOSTILE = 'He said "hi"}, {"admin": true} \\n\u2028 <script> \' OR 1=1 --'


def ctx(**values: object) -> Context:
    return Context(values, {"prio": {"low": 1, "high": 3, "_default": 2}})


def test_whole_template_keeps_the_type_and_mixed_text_makes_a_string() -> None:
    c = ctx(n=5, items=[1, 2], t="x")
    assert render_string("{{ n }}", c, "w") == 5
    assert render_string("{{items}}", c, "w") == [1, 2]
    assert render_string("#{{ n }}-{{ t }}", c, "w") == "#5-x"


def test_user_text_cannot_break_out_of_a_json_body() -> None:
    tree = {"ticket": {"subject": "{{ title }}", "body": "Before {{ title }} after"}}
    body = json.dumps(render(tree, ctx(title=HOSTILE), "body"))
    back = json.loads(body)
    assert back == {"ticket": {"subject": HOSTILE, "body": f"Before {HOSTILE} after"}}
    assert "admin" not in back


def test_values_in_urls_are_percent_encoded_but_the_base_is_not() -> None:
    c = ctx(base="https://h.example/api", id="1/../../admin?x=1")
    assert render_url("{{ base }}/ticket/{{ id }}", c, "u") == (
        "https://h.example/api/ticket/1%2F..%2F..%2Fadmin%3Fx%3D1")


def test_for_if_and_optional_keys() -> None:
    tree = {
        "files": {"$for": "f in files", "$do": {"name": "{{ f.name }}", "n": "{{ f.size }}"}},
        "cc?": "{{ empty }}",
        "to?": "{{ who }}",
        "mode": {"$if": "{{ flag }}", "$then": "yes", "$else": "no"},
        "{{ key }}": 1,
    }
    files = [OutFile("a.png", "image/png", 3, "step", lambda: None),  # type: ignore[arg-type,return-value]
             OutFile("b.txt", "text/plain", 4, "attachment", lambda: None)]  # type: ignore[arg-type,return-value]
    out = render(tree, ctx(files=files, empty="", who="x@y", flag=False, key="Dyn"), "t")
    assert out == {"files": [{"name": "a.png", "n": 3}, {"name": "b.txt", "n": 4}],
                   "to": "x@y", "mode": "no", "Dyn": 1}


def test_filters() -> None:
    import io

    f = OutFile("a.bin", "application/octet-stream", 3, "attachment",
                lambda: io.BytesIO(b"\x00\xff!"))
    rows = [{"id": 7, "name": "High"}, {"id": 9, "name": "Low"}]
    c = ctx(f=f, rows=rows, level="high", other="zzz", s="a'b", long="x" * 10)
    assert render_string("{{ f | base64 }}", c, "w") == "AP8h"
    assert render_string("{{ f | data_url }}", c, "w") == (
        "data:application/octet-stream;base64,AP8h")
    assert render_string("{{ level | map('prio') }}", c, "w") == 3
    assert render_string("{{ other | map('prio') }}", c, "w") == 2
    assert render_string("{{ 'HIGH' | lookup(rows, 'name') | get('id') }}", c, "w") == 7
    assert render_string("{{ rows | find('name', 'low') | get('id') }}", c, "w") == 9
    assert render_string("{{ rows | pluck('id') | join('+') }}", c, "w") == "7+9"
    assert render_string("{{ s | sql_quote }}", c, "w") == "'a\\'b'"
    assert render_string("{{ long | truncate(4) }}", c, "w") == "xxx…"
    assert render_string("{{ missing_path.x | default('d') }}", ctx(missing_path={}), "w") == "d"


def test_a_file_cannot_be_pasted_into_text() -> None:
    f = OutFile("a.bin", "application/octet-stream", 3, "attachment", lambda: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(SpecError, match="a file cannot be pasted into text"):
        render_string("x {{ f }}", ctx(f=f), "w")


def test_secrets_do_not_show_in_repr() -> None:
    assert "hunter2" not in repr({"password": Secret("hunter2")})


@pytest.mark.parametrize("name", builtin_spec_names())
def test_builtin_specs_are_valid(name: str) -> None:
    text = resources.files("resources").joinpath(f"connectors/{name}.yaml").read_text("utf-8")
    spec = parse_spec(text, name)
    assert "submit" in spec.operations
    if name in ("rt", "redmine"):
        assert {"find_existing", "status", "add_to_ticket"} <= set(spec.operations)


BASE = """
flare_connector: 1
name: acme
http: {base_url: "{{ params.url }}"}
params: {url: {required: true}}
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        body: {json: {subject: "{{ text.subject }}"}}
        extract: {id: ticket.id}
    result: {id: "{{ vars.id }}"}
"""


def problems(patch: str, where: str = "") -> list[str]:
    raw = yaml.safe_load(BASE)
    extra = yaml.safe_load(patch) if patch else {}
    node = raw
    if where:
        for part in where.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
    node.update(extra)
    return check_spec(raw, "acme.yaml")[0]


def test_the_base_spec_is_fine() -> None:
    assert problems("") == []


@pytest.mark.parametrize(
    ("patch", "where", "expected"),
    [
        ("flare_connector: 2", "", "acme.yaml: flare_connector: must be one of [1]"),
        ("method: FETCH", "operations.submit.steps.0",
         "operations.submit.steps[0].method: must be one of GET"),
        ("body: {json: {s: '{{ report.title | shout }}'}}", "operations.submit.steps.0",
         "unknown filter 'shout'"),
        ("body: {json: {s: '{{ reprot.title }}'}}", "operations.submit.steps.0",
         "operations.submit.steps[0].body.json.s: unknown name 'reprot'"),
        ("auth: {type: basic, username: u, password: hunter2}", "",
         "auth.password: must reference a secret"),
        ("http: {base_url: x, verify: false}", "", "TLS verification cannot be switched off"),
        ("secrets: {token: {value: abc}}", "", "a spec never holds secret values"),
        ("result: {number: '{{ vars.id }}'}", "operations.submit", "result: needs id"),
        ("for_each: files", "operations.submit.steps.0", "must read 'name in path'"),
        ("body: {json: {}, form: {}}", "operations.submit.steps.0", "needs exactly one of"),
        ("status_map: {open: pending}", "", "status_map.open: must be one of open, waiting"),
        ("colour: blue", "operations.submit.steps.0",
         "operations.submit.steps[0].colour: unknown key"),
        ("body: {json: {s: '{{ text.subject '}}", "operations.submit.steps.0", "unbalanced"),
    ],
)
def test_checker_names_the_exact_problem(patch: str, where: str, expected: str) -> None:
    found = problems(patch, where)
    assert any(expected in p for p in found), found


def test_status_needs_a_status_map() -> None:
    found = problems("""
operations:
  submit: {steps: [{name: a, method: POST, url: /x}], result: {id: "1"}}
  status: {steps: [{name: a, method: GET, url: "/x/{{ ticket.id }}"}], result: {label: x}}
""")
    assert any("status_map: is required" in p for p in found)


def test_parse_spec_reports_yaml_position() -> None:
    with pytest.raises(SpecError, match=r"bad.yaml: line 2 column 1: not valid YAML"):
        parse_spec("name: a\n\tb: c\n", "bad.yaml")


QUERY_AUTH = """
flare_connector: 1
name: keyed
title: Keyed Desk
params: {url: {required: true}}
secrets: {key: {}}
http: {base_url: "{{ params.url }}", timeout: {connect: 2, read: 2}}
auth: {type: query, name: api_key, value: "{{ secret.key }}"}
operations:
  submit:
    steps: [{name: create, method: POST, url: /t, body: {json: {s: "{{ text.subject }}"}}}]
    result: {id: "1"}
"""


def test_a_secret_in_the_query_never_reaches_the_error(tmp_path: Path) -> None:
    import socket

    from app.helpdesk.files import open_delivery_bundle
    from app.helpdesk.network import NetworkOptions, make_session
    from app.helpdesk.spec_connector import SpecConnector
    from tests.integration.helpdesk_servers import make_bundle

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conn = SpecConnector(parse_spec(QUERY_AUTH), params={"url": f"http://127.0.0.1:{port}"},
                         secrets={"key": "SUPERSECRET42"},
                         session=make_session(NetworkOptions()))
    with pytest.raises(Exception) as err:
        conn.submit(open_delivery_bundle(make_bundle(tmp_path, steps=1)))
    assert "cannot be reached" in str(err.value)
    assert "SUPERSECRET42" not in str(err.value)
    assert "SUPERSECRET42" not in getattr(err.value, "helpdesk_message", "")


def test_connector_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from app.context import AppContext

    ctx = AppContext.for_tests(tmp_path)
    good = tmp_path / "good.yaml"
    good.write_text(BASE)
    assert main(["connector", "check", str(good)], context_factory=lambda _d: ctx) == 0
    assert "OK - acme (spec language 1); operations: submit" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.replace("method: POST", "method: SEND"))
    assert main(["connector", "check", str(bad)], context_factory=lambda _d: ctx) == 1
    out = capsys.readouterr().out
    assert f"{bad}: operations.submit.steps[0].method: must be one of" in out
    assert "1 problem(s) found." in out
