"""``flare connector check SPEC --dry-run BUNDLE``: every request a spec would send for a
report, printed instead of sent, with credentials masked.

The engine runs as for a real delivery, but each prepared request is handed here and answered
with nothing: a value a step extracts stands as ``<name>`` in the requests after it. Secrets
are stand-ins (the real ones are not even looked up), so nothing secret can be printed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

import requests

from app.helpdesk.delivery_bundle import DeliveryBundle
from app.helpdesk.network import NetworkOptions, make_session
from app.helpdesk.spec.model import Spec
from app.helpdesk.spec_connector import SpecConnector

_MASK = "***"
# Headers that carry credentials whatever their value looks like.
_CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "cookie"}
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
_MAX_BODY = 4000
_WHEN = {"find_existing": " (before any repeated attempt)"}


def dry_run(spec: Spec, params: dict[str, Any], bundle: DeliveryBundle,
            operations: tuple[str, ...] = ("submit",)) -> list[str]:
    """The requests of ``operations`` for ``bundle``, as lines of text."""
    secrets = {name: f"flare-dry-run-secret-{name}" for name in spec.secrets}
    full = dict(params)
    for p in spec.params.values():
        if full.get(p.name) in (None, "") and p.default in (None, ""):
            # A stand-in an admin recognises; an address where the spec needs one.
            full[p.name] = ("https://helpdesk.example" if p.setting == "destination.url"
                            else f"<{p.name}>")
    conn = SpecConnector(spec, params=full, secrets=secrets,
                         session=make_session(NetworkOptions()))
    lines: list[str] = []
    count = [0]

    def record(prep: requests.PreparedRequest) -> None:
        count[0] += 1
        lines.extend(_describe(count[0], prep, set(secrets.values())))

    conn.engine.dry_run = record
    for operation in operations:
        if operation != "submit" and operation not in conn.capabilities:
            continue
        lines.append(f"== {operation}{_WHEN.get(operation, '')} ==")
        if operation == "submit":
            conn.submit(bundle)
        else:
            getattr(conn, operation)(bundle)
    return lines


def _describe(n: int, prep: requests.PreparedRequest, secrets: set[str]) -> list[str]:
    mask = _masker(secrets)
    url = str(prep.url)
    parts = urlsplit(url)
    shown = unquote(parts._replace(query="").geturl())
    out = [f"{n}. {prep.method} {mask(shown)}"]
    if parts.query:
        out.append(f"   query: {mask(unquote_plus(parts.query))}")
    for name, value in prep.headers.items():
        if name.lower() in _CREDENTIAL_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {_MASK}".strip()
        elif name.lower() in ("content-length", "accept-encoding", "connection"):
            continue
        out.append(f"   {name}: {mask(value)}")
    body = _body_text(prep.body)
    if body:
        out.append("   body:")
        out += ["     " + line for line in mask(body).splitlines()]
    return out


def _masker(secrets: set[str]) -> Callable[[str], str]:
    forms: set[str] = set()
    for s in secrets:
        forms |= {s, base64.b64encode(s.encode()).decode()}

    def mask(text: str) -> str:
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, _MASK)
        return text

    return mask


def _body_text(body: Any) -> str:
    if body is None:
        return ""
    describe = getattr(body, "describe", None)
    if callable(describe):
        return _clip(str(describe()))
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes>"
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        return _clip(text)
    return _clip(unquote(str(body)))


def _clip(text: str) -> str:
    # Base64 of a screenshot says nothing to a person reading the requests.
    text = _BASE64_RUN.sub(lambda m: f"<base64, {len(m.group(0))} characters>", text)
    return text if len(text) <= _MAX_BODY else text[:_MAX_BODY] + f"\n… ({len(text)} characters)"
