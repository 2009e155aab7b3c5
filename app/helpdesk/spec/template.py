"""The small expression language of connector specs.

``{{ path | filter(arg, ...) | filter }}``. A string that is exactly one ``{{ … }}`` yields the
typed value (a number stays a number, a list a list, a file a file); text around templates
makes a string. Bodies are trees of such strings evaluated leaf by leaf and serialised by the
engine, so user text is never pasted into JSON or a URL by string concatenation.

Tree constructs (in bodies, ``result`` and ``extract`` trees):
- ``{"$for": "item in path", "$do": tree}`` -> a list, one ``tree`` per item.
- ``{"$if": "{{…}}", "$then": tree, "$else": tree}``.
- a key ending in ``?`` (``"Requestor?": …``) is left out when its value is empty/None.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from app.helpdesk.delivery_bundle import OutFile
from app.helpdesk.errors import SpecError
from app.i18n import current

_TEMPLATE_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN_RE = re.compile(
    r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)"""
    r"""|(?P<path>[A-Za-z_][A-Za-z0-9_.\-]*)|(?P<op>[(),|]))""",
    re.S,
)


class Secret(str):
    """A resolved secret: a str that never shows itself in repr or logs."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


@dataclass(frozen=True)
class _Literal:
    value: Any


@dataclass(frozen=True)
class _Path:
    parts: tuple[str, ...]


_Arg = _Literal | _Path
# The parsed pieces, for the checker (which looks at map names and paths).
Literal = _Literal
Path = _Path


@dataclass(frozen=True)
class Expr:
    source: _Arg
    filters: tuple[tuple[str, tuple[_Arg, ...]], ...]

    def paths(self) -> list[_Path]:
        out = [self.source] if isinstance(self.source, _Path) else []
        for _, args in self.filters:
            out += [a for a in args if isinstance(a, _Path)]
        return out


def _tokens(text: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise SpecError(current().tr("cannot read {text} at {at}", text=repr(text),
                                         at=repr(text[pos:pos + 10])))
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _arg(kind: str, value: str) -> _Arg:
    if kind == "str":
        body = value[1:-1]
        if value[0] == "'":
            # \' stays an escaped quote; a bare " must be escaped for JSON.
            body = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', body).replace("\\'", "'")
        try:
            # strict=False: a real line break or tab inside the literal (YAML "\n" in a
            # double-quoted string) is kept as it is.
            return _Literal(json.loads('"' + body + '"', strict=False))
        except json.JSONDecodeError as exc:
            raise SpecError(current().tr(
                "the text literal {value} is not valid ({problem}); use {escapes} for special "
                "characters", value=repr(value), problem=exc.msg,
                escapes="\\n, \\t, \\\\, \\'")) from None
    if kind == "num":
        return _Literal(float(value) if "." in value else int(value))
    if value in ("true", "false", "null"):
        return _Literal({"true": True, "false": False, "null": None}[value])
    return _Path(tuple(value.split(".")))


def parse_expr(text: str) -> Expr:
    toks = _tokens(text)
    if not toks:
        raise SpecError(current().tr("empty {braces}", braces="{{ }}"))
    kind, val = toks[0]
    if kind == "op":
        raise SpecError(current().tr("{text} must start with a name or a literal",
                                     text=repr(text.strip())))
    source = _arg(kind, val)
    filters: list[tuple[str, tuple[_Arg, ...]]] = []
    i = 1
    while i < len(toks):
        if toks[i] != ("op", "|"):
            raise SpecError(current().tr("expected '|' in {text}, found {found}",
                                         text=repr(text.strip()), found=repr(toks[i][1])))
        i += 1
        if i >= len(toks) or toks[i][0] != "path" or "." in toks[i][1]:
            raise SpecError(current().tr("expected a filter name after '|' in {text}",
                                         text=repr(text.strip())))
        name = toks[i][1]
        if name not in FILTERS:
            raise SpecError(current().tr(
                "unknown filter '{name}' in {text}; known: {known}", name=name,
                text=repr(text.strip()), known=", ".join(sorted(FILTERS))))
        i += 1
        args: list[_Arg] = []
        if i < len(toks) and toks[i] == ("op", "("):
            i += 1
            while i < len(toks) and toks[i] != ("op", ")"):
                k, v = toks[i]
                if k == "op":
                    raise SpecError(current().tr("unexpected {found} in the arguments of {name}",
                                                 found=repr(v), name=name))
                args.append(_arg(k, v))
                i += 1
                if i < len(toks) and toks[i] == ("op", ","):
                    i += 1
            if i >= len(toks):
                raise SpecError(current().tr("missing ')' after the arguments of {name}",
                                             name=name))
            i += 1
        filters.append((name, tuple(args)))
    return Expr(source, tuple(filters))


def template_parts(text: str) -> list[str | Expr]:
    """Split a string into literal text and parsed expressions."""
    out: list[str | Expr] = []
    pos = 0
    for m in _TEMPLATE_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(parse_expr(m.group(1)))
        pos = m.end()
    if "{{" in text[pos:] or "}}" in text[pos:]:
        raise SpecError(current().tr("unbalanced {open} or {close} in {text}", open="'{{'",
                                     close="'}}'", text=repr(text)))
    if pos < len(text):
        out.append(text[pos:])
    return out


# --------------------------------------------------------------------------- evaluation


class Context:
    """Names visible to templates, plus the spec's maps for the ``map`` filter."""

    def __init__(self, values: Mapping[str, Any], maps: Mapping[str, Mapping[str, Any]]):
        self.values: dict[str, Any] = dict(values)
        self.maps = maps

    def child(self, **extra: Any) -> Context:
        return Context({**self.values, **extra}, self.maps)

    def lookup(self, path: _Path, where: str) -> Any:
        head, *rest = path.parts
        if head not in self.values:
            raise SpecError(current().tr(
                "{where}: unknown name {name}; available here: {names}", where=where,
                name=repr(head), names=", ".join(sorted(self.values))))
        return get_path(self.values[head], rest)


def get_path(value: Any, parts: list[str] | tuple[str, ...]) -> Any:
    """Walk dicts, lists (by index) and files (by field); missing parts give None."""
    for part in parts:
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list | tuple):
            try:
                value = value[int(part)]
            except (ValueError, IndexError):
                return None
        elif isinstance(value, OutFile):
            if part not in ("name", "media_type", "size", "kind", "caption", "note"):
                return None
            value = getattr(value, part)
        else:
            return None
    return value


def evaluate(expr: Expr, ctx: Context, where: str) -> Any:
    value = _eval_arg(expr.source, ctx, where)
    for name, args in expr.filters:
        values = [_eval_arg(a, ctx, where) for a in args]
        try:
            value = FILTERS[name](value, values, ctx)
        except SpecError as exc:
            raise SpecError(f"{where}: {name}: {exc}") from None
        except (TypeError, ValueError, KeyError) as exc:
            raise SpecError(current().tr("{where}: the filter {name} failed: {error}",
                                         where=where, name=name, error=exc)) from None
    return value


def _eval_arg(arg: _Arg, ctx: Context, where: str) -> Any:
    return arg.value if isinstance(arg, _Literal) else ctx.lookup(arg, where)


def render(value: Any, ctx: Context, where: str) -> Any:
    """Evaluate a tree: strings with templates, lists, dicts and the $ constructs."""
    if isinstance(value, str):
        return render_string(value, ctx, where)
    if isinstance(value, list):
        return [render(v, ctx, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        if "$for" in value:
            var, seq = _for_clause(value["$for"], where)
            items = render_string(seq, ctx, where)
            if items is None:
                return []
            if not isinstance(items, list | tuple):
                raise SpecError(current().tr(
                    "{where}: $for needs a list, {path} is {type}", where=where, path=seq,
                    type=type(items).__name__))
            return [render(value.get("$do"), ctx.child(**{var: it}), f"{where}[{i}]")
                    for i, it in enumerate(items)]
        if "$if" in value:
            cond = render(value["$if"], ctx, where)
            return render(value.get("$then") if truthy(cond) else value.get("$else"), ctx, where)
        out: dict[str, Any] = {}
        for k, v in value.items():
            optional = k.endswith("?")
            key = k[:-1] if optional else k
            if "{{" in key:
                key = to_text(render_string(key, ctx, f"{where}.{key}"), where)
            rendered = render(v, ctx, f"{where}.{key}")
            if optional and not truthy(rendered):
                continue
            out[key] = rendered
        return out
    return value


def render_string(text: str, ctx: Context, where: str) -> Any:
    parts = template_parts(text)
    if len(parts) == 1 and isinstance(parts[0], Expr):
        return evaluate(parts[0], ctx, where)
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        else:
            out.append(to_text(evaluate(p, ctx, where), where))
    return "".join(out)


def render_url(text: str, ctx: Context, where: str) -> str:
    """Like :func:`render_string`, but every inserted value is percent-encoded, except
    values that form the start of the URL (the base address)."""
    out = []
    for i, p in enumerate(template_parts(text)):
        if isinstance(p, str):
            out.append(p)
        else:
            value = to_text(evaluate(p, ctx, where), where)
            out.append(value if i == 0 else url_piece(value))
    return "".join(out)


def url_piece(value: str) -> str:
    """A value inside a URL: percent-encoded, "/" included, and a value of only dots too, so
    "." or ".." can never become a path segment that climbs (clients and servers remove
    dot segments before routing)."""
    quoted = quote(value, safe="")
    if quoted and set(quoted) == {"."}:
        return "%2E" * len(quoted)
    return quoted


def to_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, OutFile):
        raise SpecError(current().tr(
            "{where}: a file cannot be pasted into text; use {filters}", where=where,
            filters="| base64, | data_url, | text"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def truthy(value: Any) -> bool:
    return value not in (None, "", [], {}, False, 0)


def _for_clause(clause: Any, where: str) -> tuple[str, str]:
    if not isinstance(clause, str) or " in " not in clause:
        raise SpecError(current().tr("{where}: $for must read {form}, not {clause}",
                                     where=where, form="'name in {{path}}'",
                                     clause=repr(clause)))
    var, seq = (s.strip() for s in clause.split(" in ", 1))
    if not _NAME_RE.match(var):
        raise SpecError(current().tr("{where}: $for variable {name} is not a simple name",
                                     where=where, name=repr(var)))
    if "{{" not in seq:
        seq = "{{" + seq + "}}"
    return var, seq


# --------------------------------------------------------------------------- filters

_Filter = Callable[[Any, list[Any], Context], Any]


def _need_file(v: Any) -> OutFile:
    if not isinstance(v, OutFile):
        raise SpecError(current().tr("expects a file, got {type}", type=type(v).__name__))
    return v


def _f_base64(v: Any, a: list[Any], c: Context) -> str:
    data = _need_file(v).read_bytes() if isinstance(v, OutFile) else to_text(v, "").encode()
    return base64.b64encode(data).decode("ascii")


def _f_data_url(v: Any, a: list[Any], c: Context) -> str:
    f = _need_file(v)
    return f"data:{f.media_type};base64,{base64.b64encode(f.read_bytes()).decode('ascii')}"


def _f_text(v: Any, a: list[Any], c: Context) -> str:
    return _need_file(v).read_bytes().decode("utf-8", errors="replace")


def _f_map(v: Any, a: list[Any], c: Context) -> Any:
    if len(a) != 1 or a[0] not in c.maps:
        raise SpecError(current().tr(
            "map needs the name of a map under {maps} (known: {names})", maps="'maps:'",
            names=", ".join(sorted(c.maps)) or "-"))
    table = c.maps[a[0]]
    key = to_text(v, "")
    if key in table:
        return table[key]
    if "_default" in table:
        return table["_default"]
    raise SpecError(current().tr("the map {map} has no entry for {key} and no {default}",
                                 map=repr(a[0]), key=repr(key), default="_default"))


def _f_default(v: Any, a: list[Any], c: Context) -> Any:
    return v if truthy(v) else (a[0] if a else None)


def _f_find(v: Any, a: list[Any], c: Context) -> Any:
    if len(a) != 2:
        raise SpecError(current().tr("{filter} needs {arguments}", filter="find",
                                     arguments="(field, value)"))
    for item in v or []:
        got = get_path(item, str(a[0]).split("."))
        if got == a[1] or (isinstance(got, str) and isinstance(a[1], str)
                           and got.casefold() == a[1].casefold()):
            return item
    return None


def _f_lookup(v: Any, a: list[Any], c: Context) -> Any:
    if len(a) != 2:
        raise SpecError(current().tr(
            "{filter} needs {arguments}: the item of list whose field equals the value",
            filter="lookup", arguments="(list, field)"))
    return _f_find(a[0], [a[1], v], c)


def _f_get(v: Any, a: list[Any], c: Context) -> Any:
    return get_path(v, str(a[0]).split("."))


def _f_pluck(v: Any, a: list[Any], c: Context) -> list[Any]:
    return [get_path(item, str(a[0]).split(".")) for item in v or []]


def _f_truncate(v: Any, a: list[Any], c: Context) -> str:
    text, n = to_text(v, ""), int(a[0])
    return text if len(text) <= n else text[: max(n - 1, 0)] + "…"


def _f_int(v: Any, a: list[Any], c: Context) -> int | None:
    return None if v in (None, "") else int(v)


def _f_exclude(v: Any, a: list[Any], c: Context) -> list[Any]:
    """The items whose ``field`` is not among ``values`` (or among ``values``' ``other``
    field): the files a ticket does not have yet, from a list of its attachments."""
    if len(a) not in (2, 3):
        raise SpecError(current().tr("{filter} needs {arguments} or {more}", filter="exclude",
                                     arguments="(field, list)",
                                     more="(field, list, field of that list)"))
    field, others = str(a[0]).split("."), a[1] or []
    if not isinstance(others, list | tuple):
        others = [others]
    if len(a) == 3:
        others = [get_path(o, str(a[2]).split(".")) for o in others]
    have = {to_text(o, "") for o in others if o is not None}
    return [item for item in v or [] if to_text(get_path(item, field), "") not in have]


def _f_replace(v: Any, a: list[Any], c: Context) -> str:
    return to_text(v, "").replace(str(a[0]), str(a[1]))


def _f_where(v: Any, a: list[Any], c: Context, keep: bool = True) -> list[Any]:
    """The items whose ``field`` equals ``value`` or one of a list of values (compared as
    text, case-insensitively: 1 and "1" are the same status), or, for where_not, the
    others: "my open tickets" from a helpdesk that can only list them all."""
    if len(a) != 2:
        raise SpecError(current().tr("needs {arguments}", arguments="(field, value)"))
    if v is None:
        return []
    if not isinstance(v, list | tuple):
        raise SpecError(current().tr("expects a list, got {type}", type=type(v).__name__))
    field, want = str(a[0]).split("."), a[1]
    # A list (or a map's keys) as the value: any of them, e.g. the open states.
    wanted = list(want) if isinstance(want, list | tuple | dict) else [want]
    folded = {to_text(w, "").casefold() for w in wanted}

    def same(got: Any) -> bool:
        return got is not None and to_text(got, "").casefold() in folded

    return [item for item in v if same(get_path(item, field)) == keep]


def _f_where_any(v: Any, a: list[Any], c: Context) -> list[Any]:
    """The items in which any of the fields equals ``value`` (as text): Redmine keeps a
    "relates" relation in either direction, so a relation with an issue is one whose
    issue_id or issue_to_id is that issue."""
    if len(a) < 2:
        raise SpecError(current().tr("needs {arguments}",
                                     arguments="(value, field, more fields...)"))
    if not isinstance(v, list | tuple):
        return []
    want = to_text(a[0], "").casefold()
    fields = [str(f).split(".") for f in a[1:]]
    return [item for item in v
            if any(to_text(get_path(item, f), "").casefold() == want for f in fields)]


def _f_where_contains(v: Any, a: list[Any], c: Context) -> list[Any]:
    """The items whose ``field`` contains ``text`` (case-insensitive): the ticket whose title
    carries the report marker, from a helpdesk that cannot search."""
    if len(a) != 2:
        raise SpecError(current().tr("needs {arguments}", arguments="(field, text)"))
    if not isinstance(v, list | tuple):
        return []
    field, needle = str(a[0]).split("."), to_text(a[1], "").casefold()
    return [item for item in v
            if needle and needle in to_text(get_path(item, field), "").casefold()]


def _url_part(part: str) -> _Filter:
    def f(v: Any, a: list[Any], c: Context) -> Any:
        text = to_text(v, "")
        u = urlsplit(text)
        if not u.scheme or not u.netloc:
            raise SpecError(current().tr("{text} is not an absolute address ({form})",
                                         text=repr(text), form="scheme://host/..."))
        scheme, host = u.scheme.lower(), (u.hostname or "").lower()
        if ":" in host:
            host = f"[{host}]"  # IPv6 literal
        try:
            port = u.port
        except ValueError:
            raise SpecError(current().tr("{text} has an invalid port",
                                         text=repr(text))) from None
        default = {"http": 80, "https": 443}.get(scheme)
        shown = f"{host}:{port}" if port is not None and port != default else host
        return {
            # As browsers send it in an Origin header: no default port, no path.
            "origin": f"{scheme}://{shown}",
            "scheme": scheme,
            "host": host,
            "netloc": shown,
            "port": port or default,
            "path": u.path or "/",
        }[part]

    return f


FILTERS: dict[str, _Filter] = {
    "base64": _f_base64,
    "data_url": _f_data_url,
    "text": _f_text,
    "json": lambda v, a, c: json.dumps(v, ensure_ascii=False),
    "lower": lambda v, a, c: to_text(v, "").lower(),
    "upper": lambda v, a, c: to_text(v, "").upper(),
    "trim": lambda v, a, c: to_text(v, "").strip(),
    "str": lambda v, a, c: to_text(v, ""),
    "int": _f_int,
    "map": _f_map,
    "default": _f_default,
    "find": _f_find,
    "lookup": _f_lookup,
    "get": _f_get,
    "pluck": _f_pluck,
    "first": lambda v, a, c: (v[0] if v else None),
    "join": lambda v, a, c: (str(a[0]) if a else ", ").join(to_text(x, "") for x in v or []),
    "urlquote": lambda v, a, c: quote(to_text(v, ""), safe=""),
    "truncate": _f_truncate,
    # A single-quoted literal for query languages (TicketSQL, JQL, GLPI): quotes escaped.
    "sql_quote": lambda v, a, c: "'" + to_text(v, "").replace("\\", "\\\\")
    .replace("'", "\\'") + "'",
    "replace": _f_replace,
    # Text for an HTML body: & < > " ' escaped, so user text stays text.
    "html": lambda v, a, c: html.escape(to_text(v, ""), quote=True),
    "exclude": _f_exclude,
    "where": _f_where,
    "where_not": lambda v, a, c: _f_where(v, a, c, keep=False),
    "where_contains": _f_where_contains,
    "where_any": _f_where_any,
    # Two reads as one list (a helpdesk whose filters cannot be OR-ed: two searches).
    "concat": lambda v, a, c: [*(v or []), *((a[0] or []) if a else [])],
    # True for nothing (an empty list, text or none): a step `when` that runs only if a
    # read found nothing, e.g. a relation not made yet.
    "empty": lambda v, a, c: not truthy(v),
    "origin": _url_part("origin"),
    "scheme": _url_part("scheme"),
    "host": _url_part("host"),
    "netloc": _url_part("netloc"),
    "port": _url_part("port"),
    "path": _url_part("path"),
}
