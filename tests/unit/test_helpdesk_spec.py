"""The spec language: templates, tree constructs, filters and the checker's messages."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from app.helpdesk.delivery_bundle import OutFile
from app.helpdesk.errors import SpecError
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

    from app.helpdesk.delivery_bundle import open_delivery_bundle
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
    assert "1 problem found." in out


# --------------------------------------------------------------------------- issue 6 gaps


def test_a_real_line_break_in_a_literal_is_text_not_a_crash() -> None:
    """YAML "join('\\n')" puts a real line break inside the quotes: it must work."""
    joined = '"{{ text.subject | replace(\'\\n\', \'\\t\') }}"'
    spec = parse_spec(BASE.replace('"{{ text.subject }}"', joined))
    body = spec.operations["submit"].steps[0]["body"]["json"]["subject"]
    assert "\n" in body  # YAML made it a real line break
    assert render_string("{{ l | join('\n--\n') }}", ctx(l=["a", "b"]), "w") == "a\n--\nb"
    assert render_string("{{ l | join('it\\'s \"x\"') }}", ctx(l=["a", "b"]), "w") == (
        "ait's \"x\"b")


def test_a_bad_escape_in_a_literal_is_named_by_the_checker() -> None:
    found = problems("body: {json: {s: \"{{ text.subject | replace('\\\\q', 'x') }}\"}}",
                     "operations.submit.steps.0")
    assert any("operations.submit.steps[0].body.json.s" in p and "is not valid" in p
               for p in found), found


def test_html_filter_escapes_all_five() -> None:
    assert render_string("{{ t | html }}", ctx(t=HOSTILE), "w") == (
        "He said &quot;hi&quot;}, {&quot;admin&quot;: true} \\n\u2028 &lt;script&gt; "
        "&#x27; OR 1=1 --")


def test_exclude_filter_keeps_what_the_other_list_lacks() -> None:
    items = [{"name": "a.png"}, {"name": "b.txt"}, {"name": "c.html"}]
    have = [{"file_name": "b.txt"}, {"file_name": "zzz"}]
    assert render_string("{{ items | exclude('name', have, 'file_name') | pluck('name') }}",
                         ctx(items=items, have=have), "w") == ["a.png", "c.html"]
    assert render_string("{{ items | exclude('name', names) | pluck('name') }}",
                         ctx(items=items, names=["a.png"]), "w") == ["b.txt", "c.html"]
    assert render_string("{{ items | exclude('name', nothing) }}",
                         ctx(items=items, nothing=None), "w") == items


@pytest.mark.parametrize(("auth", "ok"), [
    ("{type: basic, username: '{{ secret.key }}', password: X}", True),
    ("{type: basic, username: '{{ params.url }}', password: X}", False),
    ("{type: basic, username: u, password: '{{ params.url }}'}", False),
    ("{type: header, name: X-Key, value: '{{ params.url }}'}", False),
    ("{type: header, name: X-Key, value: 'Token token={{ secret.key }}'}", True),
])
def test_a_literal_is_allowed_only_beside_a_secret(auth: str, ok: bool) -> None:
    found = problems(f"secrets: {{key: {{}}}}\nauth: {auth}")
    assert (found == []) is ok, found


def test_auth_alternatives_need_when_except_the_last() -> None:
    found = problems("""
secrets: {key: {required: false}}
auth:
  - {type: none}
  - {type: bearer, token: "{{ secret.key }}", when: "{{ secret.key }}"}
""")
    assert any("auth[0]: only the last alternative may omit `when`" in p for p in found)
    assert problems("secrets: {key: {required: maybe}}") != []


OPTIONAL = """
flare_connector: 1
name: opt
params: {url: {required: true}, group: {}}
secrets: {key: {required: false, setting: destination.token}}
http: {base_url: "{{ params.url }}"}
auth:
  - {when: "{{ secret.key }}", type: bearer, token: "{{ secret.key }}"}
  - {type: none}
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /t
        body:
          multipart:
            - {name: subject, value: "{{ text.subject }}"}
            - {name: "group?", value: "{{ params.group }}"}
            - {name: note, value: "with key", when: "{{ secret.key }}"}
            - {name: "f[]", for_each: f in files, file: "{{ f }}", when: "{{ params.group }}"}
        extract: {id: id}
    result: {id: "{{ vars.id }}"}
  status:
    when: "{{ secret.key }}"
    steps: [{name: read, method: GET, url: "/t/{{ ticket.id }}", extract: {s: s}}]
    result: {label: "{{ vars.s }}"}
status_map: {open: open}
"""


class _Recorder:
    """A loopback server that records what arrives and answers {"id": 7}."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.seen: list[tuple[str, dict[str, str], bytes]] = []
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                rec.seen.append((self.path, dict(self.headers), self.rfile.read(n)))
                data = b'{"id": 7}'
                self.send_response(201)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _optional_connector(url: str, token: str, group: str = "") -> object:
    from app.helpdesk.registry import DestinationConfig, spec_connector
    from app.helpdesk.secrets import SecretResolver

    config = DestinationConfig(type="spec", url=url, token=token, queue=group)
    spec = parse_spec(OPTIONAL.replace("params: {url: {required: true}, group: {}}",
                                       "params: {url: {required: true, setting: "
                                       "destination.url}, group: {setting: destination.queue}}"))
    return spec_connector(spec, config, SecretResolver(environ={"K": "s3cret"}))


def test_an_optional_secret_selects_auth_parts_and_operations(tmp_path: Path) -> None:
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from app.helpdesk.protocol import TicketRef, Unsupported
    from app.helpdesk.spec_connector import SpecConnector
    from tests.integration.helpdesk_servers import make_bundle

    server = _Recorder()
    try:
        bundle = open_delivery_bundle(make_bundle(tmp_path, steps=1))
        anon = _optional_connector(server.url, "")
        assert isinstance(anon, SpecConnector)
        assert "status" not in anon.capabilities
        with pytest.raises(Unsupported):
            anon.status(TicketRef("7"))
        anon.submit(bundle)
        keyed = _optional_connector(server.url, "env:K", group="12")
        assert isinstance(keyed, SpecConnector) and "status" in keyed.capabilities
        keyed.submit(bundle)
    finally:
        server.close()
    (_, h1, b1), (_, h2, b2) = server.seen
    assert "Authorization" not in h1 and h2["Authorization"] == "Bearer s3cret"
    assert b'name="group"' not in b1 and b'name="group"\r\n\r\n12\r\n' in b2
    assert b'name="note"' not in b1 and b'name="note"' in b2
    assert b'name="f[]"' not in b1 and b'name="f[]"' in b2  # `when` on a for_each part
    assert b'name="subject"' in b1


def test_a_set_but_broken_optional_secret_is_still_an_error() -> None:
    from app.helpdesk.secrets import SecretError

    with pytest.raises(SecretError, match="NOPE"):
        _optional_connector("http://127.0.0.1:9", "env:NOPE")


def test_entry_point_factories_get_the_secret_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The e-mail connector resolves a policy-provided secret like spec connectors do."""
    from app.helpdesk import registry
    from app.helpdesk.email import EmailConnector
    from app.helpdesk.secrets import SecretResolver

    config = registry.DestinationConfig(type="email", url="smtps://mail.example.org",
                                        queue="hd@example.org", username="u@example.org",
                                        token="policy:smtp")
    conn = registry.make_connector(config, SecretResolver(policy_values={"smtp": "pw-policy"}))
    assert isinstance(conn, EmailConnector) and conn.settings.password == "pw-policy"


def test_where_any_and_empty_find_a_relation_in_either_direction() -> None:
    """Redmine keeps "relates" from the lower id to the higher: the relation with incident 4
    of issue 9 is {issue_id: 4, issue_to_id: 9}, and the link step must see it."""
    rels = [{"issue_id": 4, "issue_to_id": 9}, {"issue_id": 9, "issue_to_id": 12}]
    c = Context({"rels": rels, "none": [], "t": {"id": "4"}, "u": {"id": "5"}}, {})
    expr = "{{ rels | where_any(t.id, 'issue_id', 'issue_to_id') }}"
    assert render_string(expr, c, "w") == [rels[0]]
    assert render_string(expr.replace("t.id", "'12'"), c, "w") == [rels[1]]
    assert render_string(expr.replace(" }}", " | empty }}"), c, "w") is False
    assert render_string(expr.replace("t.id", "u.id").replace(" }}", " | empty }}"), c,
                         "w") is True
    assert render_string("{{ none | empty }}", c, "w") is True


_IN_WORDS = [
    ("flare_connector: 2", ""), ("method: FETCH", "operations.submit.steps.0"),
    ("body: {json: {s: '{{ reprot.title }}'}}", "operations.submit.steps.0"),
    ("auth: {type: basic, username: u, password: hunter2}", ""),
    ("http: {base_url: x, verify: false}", ""), ("secrets: {token: {value: abc}}", ""),
    ("result: {number: '{{ vars.id }}'}", "operations.submit"),
    ("for_each: files", "operations.submit.steps.0"),
    ("body: {json: {}, form: {}}", "operations.submit.steps.0"),
    ("status_map: {open: pending}", ""), ("colour: blue", "operations.submit.steps.0"),
    ("body: {json: {s: '{{ params.nope }}'}}", "operations.submit.steps.0"),
    ("body: {json: {s: '{{ vars.nope }}'}}", "operations.submit.steps.0"),
    ("body: {json: {s: '{{ report.title | shout }}'}}", "operations.submit.steps.0"),
    ("body: {json: {s: '{{ text.subject '}}", "operations.submit.steps.0"),
]


@pytest.mark.parametrize("language", ["ru", "uk"])
@pytest.mark.parametrize(("patch", "where"), _IN_WORDS)
def test_checker_speaks_the_it_staffs_language(language: str, patch: str, where: str) -> None:
    # IT staff who write a connector spec may read Russian or Ukrainian: the problem is in
    # their words, the spec's own keys and names as written.
    from app.i18n import set_language

    set_language(language)
    try:
        found = problems(patch, where)
    finally:
        set_language("en")
    assert found
    for problem in found:
        words = problem.split(": ", 2)[-1]
        assert re.search(r"[а-яіїєґ]{3,}", words), problem
