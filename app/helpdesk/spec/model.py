"""Loading and validating connector specs (YAML), with messages that name the exact place.

The checks run before anything is sent: every template is parsed, every name a template uses
is one the spec can provide, filters exist, maps exist, each operation's result has what the
protocol needs. See docs/connectors.md for the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app import safe_yaml
from app.helpdesk.errors import ERROR_CLASSES, SpecError
from app.helpdesk.protocol import TICKET_STATES
from app.helpdesk.spec.accepts import IMAGE_FORMATS
from app.helpdesk.spec.checker import _Checker, _Flow
from app.helpdesk.spec.template import Expr, template_parts
from app.i18n import N_, current
from app.regular_file import read_regular_text

SUPPORTED_VERSIONS = (1,)
OPERATIONS = ("submit", "find_existing", "attach", "status", "open_tickets", "incidents",
              "add_to_ticket", "check", "comment", "find_comment", "link", "search", "replies")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
AUTH_TYPES = ("none", "basic", "bearer", "header", "query", "session")
BODY_KINDS = ("json", "form", "multipart", "raw", "text")

# Names a template may use in each operation (besides names bound by $for / for_each).
_COMMON = {"params", "secret", "vars", "steps", "session", "spec"}
_SCOPE = {
    "submit": _COMMON | {"report", "text", "files", "step_files", "attachment_files"},
    # files: find_existing may complete a ticket that lacks some (create-then-attach).
    "find_existing": _COMMON | {"report", "text", "files", "step_files", "attachment_files"},
    "add_to_ticket": _COMMON | {"report", "text", "files", "step_files", "attachment_files",
                                "ticket"},
    # The files a ticket found by find_existing lacks (its result lists `files`).
    "attach": _COMMON | {"report", "text", "files", "step_files", "attachment_files",
                         "ticket"},
    "status": _COMMON | {"ticket"},
    # The ticket's public replies (what support wrote to the reporter), oldest first.
    "replies": _COMMON | {"ticket"},
    "open_tickets": _COMMON | {"reporter"},
    "incidents": _COMMON,
    # "I'm affected too": a comment on the incident ticket (text.comment says who, which
    # machine, when and a diagnostics line); link: a new ticket (ticket) refers to it (target).
    "comment": _COMMON | {"report", "text", "ticket", "files", "step_files",
                          "attachment_files"},
    # Before a repeated comment: the comment carrying text.comment_marker on `ticket`, if any.
    "find_comment": _COMMON | {"report", "text", "ticket"},
    "link": _COMMON | {"ticket", "target"},
    # Duplicates before the form: recent tickets like this one (the reporter's and the site's).
    "search": _COMMON | {"reporter", "query"},
    # flare doctor: a harmless authenticated request (its result may name the user).
    "check": _COMMON,
}
_RESULT_KEYS = {
    "submit": {"id"},
    "find_existing": {"id"},
    "add_to_ticket": set(),
    "status": {"label"},
}


@dataclass(frozen=True)
class Param:
    name: str
    default: Any = None
    required: bool = False
    setting: str = ""
    description: str = ""


@dataclass(frozen=True)
class SecretSlot:
    name: str
    setting: str = ""
    description: str = ""
    # False: an empty setting is allowed and the secret is "" (e.g. Zendesk anonymous
    # requests); auth options and steps then choose with `when: "{{ secret.NAME }}"`.
    required: bool = True


@dataclass(frozen=True)
class Operation:
    name: str
    steps: list[dict[str, Any]]
    result: Any
    # A template over params/secret/spec: when false the operation is not offered (e.g. no
    # status read-back for anonymous requests).
    when: Any = None
    # Requests that undo what the steps left behind when the operation stops half way for
    # good (an uploaded file, a message without its ticket); see Engine.run.
    cleanup: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    version: int
    name: str
    title: str
    description: str
    params: dict[str, Param]
    secrets: dict[str, SecretSlot]
    http: dict[str, Any]
    auth: dict[str, Any]
    limits: dict[str, int]
    maps: dict[str, dict[str, Any]]
    errors: dict[str, Any]
    status_map: dict[str, str]
    status_default: str
    operations: dict[str, Operation]
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    # `auth` may be one mapping or a list of alternatives, each with an optional `when`;
    # the first whose `when` holds is used. ``auth`` is the first, for simple specs.
    auth_options: list[dict[str, Any]] = field(default_factory=list)
    # What the helpdesk takes: {files: [".png", "image/*", ...], images: ["png", "jpeg"]}.
    accepts: dict[str, Any] = field(default_factory=dict)

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(n for n in self.operations if n != "submit")


def load_spec(path: Path) -> Spec:
    try:
        text = read_regular_text(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SpecError(current().tr("{path}: cannot read the connector spec: {error}",
                                     path=path, error=getattr(exc, "strerror", None) or exc)
                        ) from None
    return parse_spec(text, str(path))


def read_spec_yaml(text: str, source: str) -> Any:
    """The YAML of a spec (aliases and deep nesting refused); SpecError in one line."""
    try:
        return safe_yaml.load(text)
    except safe_yaml.UnsafeYaml as exc:
        raise SpecError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        t = current()
        where = (t.tr("line {line} column {column}", line=mark.line + 1,
                      column=mark.column + 1) if mark else "YAML")
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise SpecError(t.tr("{source}: {where}: not valid YAML: {problem}", source=source,
                             where=where, problem=problem)) from None
    except RecursionError:
        raise SpecError(current().tr("{source}: nested too deeply to read",
                                     source=source)) from None


def parse_spec(text: str, source: str = "<spec>") -> Spec:
    raw = read_spec_yaml(text, source)
    problems, spec = check_spec(raw, source)
    if problems or spec is None:
        t = current()
        shown = problems[:20]
        more = ("\n" + t.ntr("(and {n} more)", "(and {n} more)", n=len(problems) - 20)
                if len(problems) > 20 else "")
        raise SpecError(t.tr("the connector spec has problems:") + "\n" + "\n".join(shown)
                        + more)
    return spec


def check_spec(raw: Any, source: str) -> tuple[list[str], Spec | None]:
    """All problems of a spec (empty when usable) and the spec itself."""
    c = _Checker(source)
    if not isinstance(raw, dict):
        c.fail("top level", N_("a connector spec is a YAML mapping"))
        return c.problems, None
    c.keys(raw, {"flare_connector", "name", "title", "description", "params", "secrets",
                 "http", "auth", "limits", "accepts", "maps", "errors", "status_map",
                 "status_default", "operations"}, "")
    version = raw.get("flare_connector")
    if version not in SUPPORTED_VERSIONS:
        c.fail("flare_connector", N_("must be one of {versions} (the spec language version), "
                                     "found {found}"),
               versions=list(SUPPORTED_VERSIONS), found=repr(version))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        c.fail("name", N_("is required (a short name such as 'acme-desk')"))

    params: dict[str, Param] = {}
    for pname, pdef in c.mapping(raw.get("params"), "params").items():
        d = c.mapping(pdef, f"params.{pname}") if pdef is not None else {}
        c.keys(d, {"default", "required", "setting", "description"}, f"params.{pname}")
        params[pname] = Param(pname, d.get("default"), bool(d.get("required", False)),
                              str(d.get("setting", "")), str(d.get("description", "")))
    secrets: dict[str, SecretSlot] = {}
    for sname, sdef in c.mapping(raw.get("secrets"), "secrets").items():
        d = c.mapping(sdef, f"secrets.{sname}") if sdef is not None else {}
        c.keys(d, {"setting", "description", "required"}, f"secrets.{sname}")
        if "value" in d or "default" in d:
            c.fail(f"secrets.{sname}", N_("a spec never holds secret values"))
        if not isinstance(d.get("required", True), bool):
            c.fail(f"secrets.{sname}.required", N_("must be true or false"))
        secrets[sname] = SecretSlot(sname, str(d.get("setting", "")),
                                    str(d.get("description", "")),
                                    bool(d.get("required", True)))

    c.params, c.secrets = set(params), set(secrets)
    raw_maps = raw.get("maps")
    c.maps = {str(k) for k in raw_maps} if isinstance(raw_maps, dict) else set()
    given_auth = raw.get("auth")
    for option in given_auth if isinstance(given_auth, list) else [given_auth]:
        if isinstance(option, dict) and option.get("type") == "session":
            c.session_vars |= set(_Flow.of(option.get("steps")).vars_at)
    base_scope = {"params", "secret", "spec"}
    http = c.mapping(raw.get("http"), "http")
    c.keys(http, {"base_url", "headers", "timeout", "verify"}, "http")
    if "verify" in http and http["verify"] is not True:
        c.fail("http.verify", N_("TLS verification cannot be switched off; give the helpdesk's "
                              "CA with destination.ca_bundle instead"))
    c.templates(http.get("base_url"), "http.base_url", base_scope)
    c.templates(c.mapping(http.get("headers"), "http.headers"), "http.headers",
                base_scope | {"session"})
    _fixed_header_names(c, http.get("headers"), "http.headers")
    timeout = c.mapping(http.get("timeout"), "http.timeout")
    c.keys(timeout, {"connect", "read"}, "http.timeout")
    for k, v in timeout.items():
        if not isinstance(v, int | float) or not 0 < v <= 600:
            c.fail(f"http.timeout.{k}", N_("must be a number of seconds between 0 and 600"))

    raw_auth = raw.get("auth")
    auth_options: list[dict[str, Any]] = []
    if isinstance(raw_auth, list):
        if not raw_auth:
            c.fail("auth", N_("an empty list; give one auth mapping or a list of alternatives"))
        for i, option in enumerate(raw_auth):
            where = f"auth[{i}]"
            od = c.mapping(option, where)
            _check_auth(c, od, base_scope, where)
            if "when" not in od and i < len(raw_auth) - 1:
                c.fail(where, N_("only the last alternative may omit `when` (the ones after it "
                              "could never be chosen)"))
            auth_options.append(od)
    else:
        single = c.mapping(raw_auth, "auth") or {"type": "none"}
        _check_auth(c, single, base_scope, "auth")
        auth_options.append(single)
    auth = auth_options[0] if auth_options else {"type": "none"}

    limits = c.mapping(raw.get("limits"), "limits")
    c.keys(limits, {"max_attachment_mb", "max_files", "max_total_mb"}, "limits")
    for k, v in limits.items():
        if not isinstance(v, int) or v <= 0:
            c.fail(f"limits.{k}", N_("must be a positive whole number"))

    accepts = c.mapping(raw.get("accepts"), "accepts")
    c.keys(accepts, {"files", "images"}, "accepts")
    for i, entry in enumerate(_str_list(c, accepts.get("files"), "accepts.files")):
        if not (entry.startswith(".") or "/" in entry):
            c.fail(f"accepts.files[{i}]", N_("'{entry}': give a suffix ('.png') or a media "
                                             "type ('image/png', 'image/*')"), entry=entry)
    for i, entry in enumerate(_str_list(c, accepts.get("images"), "accepts.images")):
        if entry.lower() not in IMAGE_FORMATS:
            c.fail(f"accepts.images[{i}]", N_("'{entry}': must be one of {formats}"),
                   entry=entry, formats=", ".join(IMAGE_FORMATS))

    maps: dict[str, dict[str, Any]] = {}
    for mname, table in c.mapping(raw.get("maps"), "maps").items():
        maps[mname] = {str(k): v for k, v in c.mapping(table, f"maps.{mname}").items()}
    errors = c.mapping(raw.get("errors"), "errors")
    c.keys(errors, {"message", "rules"}, "errors")
    msg_paths = errors.get("message", [])
    if isinstance(msg_paths, str):
        errors = {**errors, "message": [msg_paths]}
    elif not isinstance(msg_paths, list) or not all(isinstance(p, str) for p in msg_paths):
        c.fail("errors.message", N_("must be a list of JSON paths such as 'error.message'"))
    errors = {**errors, "rules": _check_error_rules(c, errors.get("rules"), base_scope)}

    status_map: dict[str, str] = {}
    for label, state in c.mapping(raw.get("status_map"), "status_map").items():
        if state not in TICKET_STATES:
            c.fail(f"status_map.{label}", N_("must be one of {values}"),
                   values=", ".join(TICKET_STATES))
        status_map[str(label).casefold()] = str(state)
    status_default = raw.get("status_default", "open")
    if status_default not in TICKET_STATES:
        c.fail("status_default", N_("must be one of {values}"), values=", ".join(TICKET_STATES))

    operations: dict[str, Operation] = {}
    ops = c.mapping(raw.get("operations"), "operations", required=True)
    c.keys(ops, set(OPERATIONS), "operations")
    if ops and "submit" not in ops:
        c.fail("operations", N_("needs at least 'submit'"))
    if "status" in ops and not status_map:
        c.fail("status_map", N_("is required when operations.status is given"))
    for opname, op in ops.items():
        if opname not in OPERATIONS:
            continue
        where = f"operations.{opname}"
        od = c.mapping(op, where)
        c.keys(od, {"steps", "result", "when", "cleanup"}, where)
        if opname == "submit" and "when" in od:
            c.fail(f"{where}.when", N_("submit is always offered"))
        c.templates(od.get("when"), f"{where}.when", base_scope)
        steps = od.get("steps") or []
        if not isinstance(steps, list) or not steps:
            c.fail(f"{where}.steps", N_("must be a non-empty list of requests"))
            steps = []
        scope = set(_SCOPE[opname])
        names: set[str] = set()
        c.flow = _Flow.of(steps)
        for i, step in enumerate(steps):
            c.flow.now = i
            step_name = _check_step(c, step, f"{where}.steps[{i}]", scope, names)
            if step_name:
                names.add(step_name)
        c.flow.now = len(steps)
        if "result" not in od and opname in _RESULT_KEYS and _RESULT_KEYS[opname]:
            c.fail(f"{where}.result", N_("is required (with {keys})"),
                   keys=", ".join(_RESULT_KEYS[opname]))
        result = od.get("result")
        if isinstance(result, dict) and opname in _RESULT_KEYS:
            missing = _RESULT_KEYS[opname] - {k.rstrip("?") for k in result}
            if missing:
                c.fail(f"{where}.result", N_("needs {keys}"), keys=", ".join(sorted(missing)))
        c.templates(result, f"{where}.result", scope)
        cleanup = od.get("cleanup") or []
        if not isinstance(cleanup, list):
            c.fail(f"{where}.cleanup", N_("must be a list of requests that undo what the steps "
                                       "did (run when the operation stops half way)"))
            cleanup = []
        cleanup_names: set[str] = set()
        # Every value the steps extract may be used (the ones that did not run give nothing:
        # guard with `when`), and what earlier cleanup steps extract.
        c.flow = _Flow.of([*steps, *cleanup])
        for i, step in enumerate(cleanup):
            c.flow.now = len(steps) + i
            step_name = _check_step(c, step, f"{where}.cleanup[{i}]", scope, cleanup_names)
            if step_name:
                cleanup_names.add(step_name)
        c.flow = None
        operations[opname] = Operation(opname, steps, result, od.get("when"), cleanup)

    if c.problems:
        return c.problems, None
    timeout_full = {"connect": 10.0, "read": 60.0, **timeout}
    return [], Spec(
        version=int(version or 0), name=str(name), title=str(raw.get("title") or name),
        description=str(raw.get("description", "")), params=params, secrets=secrets,
        http={**http, "timeout": timeout_full}, auth=auth, limits=dict(limits), maps=maps,
        errors=errors, status_map=status_map, status_default=str(status_default),
        operations=operations, source=source, raw=raw, auth_options=auth_options,
        accepts=dict(accepts),
    )


def _str_list(c: _Checker, value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.fail(where, N_("must be a list of text entries"))
        return []
    return value


def _check_error_rules(c: _Checker, rules: Any, scope: set[str]) -> list[dict[str, Any]]:
    """``errors.rules``: status (and a regex over the answer) -> class and message."""
    if rules is None:
        return []
    if not isinstance(rules, list):
        c.fail("errors.rules", N_("must be a list of rules such as {status: 429, match: "
                               "'locked', class: credentials}"))
        return []
    out: list[dict[str, Any]] = []
    for i, rule in enumerate(rules):
        where = f"errors.rules[{i}]"
        rd = c.mapping(rule, where)
        c.keys(rd, {"status", "match", "class", "message"}, where)
        status = rd.get("status")
        statuses = status if isinstance(status, list) else [status]
        if status is None or not all(isinstance(s, int) and 400 <= s <= 599
                                     for s in statuses):
            c.fail(f"{where}.status", N_("is required: an HTTP error status (400-599) or a list "
                                      "of them"))
        if "match" in rd:
            if not isinstance(rd["match"], str) or not rd["match"]:
                c.fail(f"{where}.match", N_("must be a regular expression over the answer text"))
            else:
                try:
                    re.compile(rd["match"])
                except re.error as exc:
                    c.fail(f"{where}.match", N_("is not a valid regular expression ({error})"),
                           error=exc)
        if rd.get("class") not in ERROR_CLASSES[:3]:
            c.fail(f"{where}.class", N_("must be one of {values}"),
                   values=", ".join(ERROR_CLASSES[:3]))
        if "message" in rd:
            if not isinstance(rd["message"], str):
                c.fail(f"{where}.message", N_("must be text (plain words for the person)"))
            else:
                c.templates(rd["message"], f"{where}.message", scope | {"error"})
        out.append(rd)
    return out


def _check_auth(c: _Checker, auth: dict[str, Any], scope: set[str], at: str) -> None:
    kind = auth.get("type", "none")
    if kind not in AUTH_TYPES:
        c.fail(f"{at}.type", N_("must be one of {values}, not '{kind}'"),
               values=", ".join(AUTH_TYPES), kind=kind)
        return
    allowed = {
        "none": {"type"},
        "basic": {"type", "username", "password"},
        "bearer": {"type", "token"},
        "header": {"type", "name", "value"},
        "query": {"type", "name", "value"},
        "session": {"type", "steps", "headers", "query", "logout"},
    }[kind]
    c.keys(auth, allowed | {"when"}, at)
    c.templates(auth.get("when"), f"{at}.when", scope)
    for needed in allowed - {"type", "headers", "query", "logout"}:
        if needed not in auth:
            c.fail(f"{at}.{needed}", N_("is required for auth type {kind}"), kind=kind)
    for k in allowed - {"type", "steps", "logout"}:
        if k in auth:
            c.templates(auth[k], f"{at}.{k}", scope | {"session"})
    # The secret part must come from a secret. A literal is allowed only in the other
    # half of basic auth, for schemes where the vendor documents a fixed dummy value
    # (Freshdesk, Freshservice: the API key is the user name, the password is "X").
    for k in ("token", "value"):
        if k in auth and not _uses_secret(auth[k]):
            c.fail(f"{at}.{k}", N_("must reference a secret ({{ secret.NAME }}), never hold one"))
    if kind == "basic":
        user_secret = _uses_secret(auth.get("username"))
        pw = auth.get("password")
        if not _uses_secret(pw) and not (user_secret and isinstance(pw, str)
                                         and "{{" not in pw):
            c.fail(f"{at}.password", N_("must reference a secret ({{ secret.NAME }}), never hold "
                                     "one; a literal password is allowed only when the user "
                                     "name is the secret (API key as user name)"))
    if kind == "session":
        names: set[str] = set()
        for key in ("steps", "logout"):
            steps = auth.get(key)
            if key == "logout" and steps is None:
                continue
            if not isinstance(steps, list) or not steps:
                c.fail(f"{at}.{key}", N_("must be a non-empty list of requests that log in")
                       if key == "steps" else
                       N_("must be a non-empty list of requests that log out"))
                continue
            local = scope | ({"session"} if key == "logout" else set())
            c.flow = _Flow.of(steps)
            for i, step in enumerate(steps):
                c.flow.now = i
                sname = _check_step(c, step, f"{at}.{key}[{i}]", local, names)
                if sname:
                    names.add(sname)
            c.flow = None


def _uses_secret(value: Any) -> bool:
    """True when a template reads ``secret.*`` (the value comes from a secret slot)."""
    if not isinstance(value, str):
        return False
    try:
        parts = template_parts(value)
    except SpecError:
        return True  # reported by the template check already
    return any(isinstance(p, Expr) and any(path.parts[0] == "secret" for path in p.paths())
               for p in parts)


def _fixed_header_names(c: _Checker, headers: Any, where: str) -> None:
    """Header names are written in the spec: a template there would let a value (report
    data, a helpdesk answer) choose which header it sets."""
    if not isinstance(headers, dict):
        return
    for name in headers:
        if not isinstance(name, str) or "{{" in name:
            c.fail(f"{where}.{name}", N_("a header name is fixed text; put templates in the "
                                      "value only"))


def _check_step(c: _Checker, step: Any, where: str, scope: set[str],
                names: set[str]) -> str | None:
    if not isinstance(step, dict):
        c.fail(where, N_("a step is a mapping with at least name, method and url"))
        return None
    c.keys(step, {"name", "method", "url", "query", "headers", "body", "for_each", "when",
                  "expect", "accept_missing", "extract", "auth"}, where)
    name = step.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        c.fail(f"{where}.name", N_("is required: a simple name such as create_ticket"))
        name = None
    elif name in names:
        c.fail(f"{where}.name", N_("'{name}' is used twice in this operation"), name=name)
    if step.get("method") not in METHODS:
        c.fail(f"{where}.method", N_("must be one of {values}"), values=", ".join(METHODS))
    if not isinstance(step.get("url"), str):
        c.fail(f"{where}.url", N_("is required (a path such as /api/tickets or a full URL)"))
    local = set(scope) | {"vars", "steps"}
    if "for_each" in step:
        fe = step["for_each"]
        if not isinstance(fe, str) or " in " not in fe:
            c.fail(f"{where}.for_each", N_("must read 'name in path', e.g. 'file in files'"))
        else:
            var, seq = (s.strip() for s in fe.split(" in ", 1))
            c.templates(seq if "{{" in seq else "{{" + seq + "}}", f"{where}.for_each", scope)
            local.add(var)
    for key in ("url", "query", "headers", "when"):
        c.templates(step.get(key), f"{where}.{key}", local)
    _fixed_header_names(c, step.get("headers"), f"{where}.headers")
    body = step.get("body")
    if body is not None:
        bd = c.mapping(body, f"{where}.body")
        kinds = [k for k in bd if k in BODY_KINDS]
        c.keys(bd, set(BODY_KINDS) | {"content_type"}, f"{where}.body")
        if len(kinds) != 1:
            c.fail(f"{where}.body", N_("needs exactly one of {kinds}"),
                   kinds=", ".join(BODY_KINDS))
        elif kinds[0] == "multipart":
            parts = bd["multipart"]
            if not isinstance(parts, list) or not parts:
                c.fail(f"{where}.body.multipart", N_("must be a list of parts"))
            else:
                for i, part in enumerate(parts):
                    _check_part(c, part, f"{where}.body.multipart[{i}]", local)
        else:
            c.templates(bd[kinds[0]], f"{where}.body.{kinds[0]}", local)
        c.templates(bd.get("content_type"), f"{where}.body.content_type", local)
    expect = step.get("expect")
    if expect is not None and not (isinstance(expect, list)
                                   and all(isinstance(s, int) for s in expect)):
        c.fail(f"{where}.expect", N_("must be a list of HTTP status codes, e.g. [200, 201]"))
    if "auth" in step and step["auth"] not in (False, "none"):
        c.fail(f"{where}.auth", N_("can only be 'none' (skip the spec's auth for this request)"))
    extract = c.mapping(step.get("extract"), f"{where}.extract")
    for var, rule in extract.items():
        if isinstance(rule, str):
            continue
        rd = c.mapping(rule, f"{where}.extract.{var}")
        c.keys(rd, {"json", "header", "regex", "from", "status", "default"},
               f"{where}.extract.{var}")
        if not ({"json", "header", "regex", "status"} & set(rd)):
            c.fail(f"{where}.extract.{var}", N_("needs json, header, regex or status"))
    return name


def _check_part(c: _Checker, part: Any, where: str, scope: set[str]) -> None:
    pd = c.mapping(part, where)
    if not isinstance(pd.get("name"), str):
        c.fail(f"{where}.name", N_("is required (the form field name)"))
    c.keys(pd, {"name", "value", "json", "file", "filename", "content_type", "for_each",
                "when"}, where)
    kinds = [k for k in ("value", "json", "file") if k in pd]
    if len(kinds) != 1:
        c.fail(where, N_("needs exactly one of value, json, file"))
    local = set(scope)
    if "for_each" in pd:
        fe = pd["for_each"]
        if not isinstance(fe, str) or " in " not in fe:
            c.fail(f"{where}.for_each", N_("must read 'name in path'"))
        else:
            var, seq = (s.strip() for s in fe.split(" in ", 1))
            c.templates(seq if "{{" in seq else "{{" + seq + "}}", f"{where}.for_each", scope)
            local.add(var)
    for k in ("value", "json", "file", "filename", "content_type", "name", "when"):
        c.templates(pd.get(k), f"{where}.{k}", local)

