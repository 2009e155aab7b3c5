"""Runs the operations of a connector spec: requests, auth, bodies, extraction, errors.

Progress through an operation is reported after every completed request (``on_progress``), so
the outbox can resume after a crash without repeating what the helpdesk already has.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin

import requests

from app.helpdesk.delivery_bundle import OutFile
from app.helpdesk.errors import DeliveryError, SpecError
from app.helpdesk.protocol import Unsupported
from app.helpdesk.spec.model import Spec
from app.helpdesk.spec.multipart import MultipartBody, SizedFileReader, media_type
from app.helpdesk.spec.template import (
    Context,
    get_path,
    render,
    render_string,
    render_url,
    to_text,
    truthy,
)
from app.helpdesk.spec.wire import (
    _clip,
    _is_connect_failure,
    _origin,
    _short,
    _tls_reason,
    escape_dot_segments,
    header_name,
    header_value,
    origin_of,
    parse_retry_after,
)
from app.i18n import current

log = logging.getLogger("flare.helpdesk")

_NO_AUTH: dict[str, Any] = {"type": "none"}
_MAX_REDIRECTS = 5

# A 429 this soon after refused credentials is taken as a locked account.
_LOCKOUT_WINDOW_S = 900.0


@dataclass
class Progress:
    """What an operation has done so far; JSON-serialisable for the outbox."""

    done: list[str] = field(default_factory=list)
    vars: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"done": self.done, "vars": self.vars, "steps": self.steps})

    @classmethod
    def from_json(cls, text: str | None) -> Progress:
        if not text:
            return cls()
        d = json.loads(text)
        return cls(list(d.get("done", [])), dict(d.get("vars", {})), dict(d.get("steps", {})))


@dataclass
class _Response:
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    text: str
    _json: Any = None
    _parsed: bool = False

    def json(self) -> Any:
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.text) if self.text.strip() else None
            except ValueError:
                self._json = None
        return self._json


class Engine:
    def __init__(
        self,
        spec: Spec,
        session: requests.Session,
        base_values: dict[str, Any],
        *,
        timeout: tuple[float, float] | None = None,
    ) -> None:
        self.spec = spec
        self.session = session
        self.base_values = base_values
        t = spec.http["timeout"]
        self.timeout = timeout or (float(t["connect"]), float(t["read"]))
        # Called just before each request goes out: the outbox notes that a request may be
        # in flight from now on (see Outbox.recover).
        self.heartbeat: Callable[[], None] | None = None
        # The login session: kept across operations, dropped on logout or after a 401.
        self._session_vars: dict[str, Any] | None = None
        self._session_auth: dict[str, Any] | None = None
        # `flare connector check --dry-run`: each prepared request goes here, none is sent.
        self.dry_run: Callable[[requests.PreparedRequest], None] | None = None
        # When the helpdesk last refused the credentials (monotonic clock), see _error.
        self._refused_at: float | None = None

    def offers(self, operation: str) -> bool:
        """Whether the spec has ``operation`` and its ``when`` (if any) holds here."""
        op = self.spec.operations.get(operation)
        if op is None:
            return False
        if op.when is None:
            return True
        return truthy(render(op.when, self._context({}), f"operations.{operation}.when"))

    # ------------------------------------------------------------------ operations

    def run(
        self,
        operation: str,
        values: dict[str, Any],
        *,
        progress: Progress | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Any:
        op = self.spec.operations.get(operation)
        if op is None:
            raise SpecError(current().tr("the connector {name} has no operation {operation}",
                                         name=self.spec.name, operation=repr(operation)))
        if not self.offers(operation):
            raise Unsupported(f"{self.spec.title} does not offer {operation} with these "
                              "settings")
        progress = progress or Progress()
        ctx = self._context(values)
        try:
            self._run_steps(op.steps, ctx, progress, on_progress)
        except (DeliveryError, SpecError) as exc:
            # Stopped for good half way (refused, credentials, a spec mistake): undo what
            # the helpdesk already has, and start from the first step if sent again. A
            # transient failure keeps its progress: the retry continues from there.
            retryable = isinstance(exc, DeliveryError) and exc.retryable
            if op.cleanup and not retryable and (progress.done or progress.steps):
                self._cleanup(op, ctx, progress, on_progress)
            raise
        finally:
            self._logout(ctx)
        return render(op.result, self._with_progress(ctx, progress, op.steps),
                      f"operations.{operation}.result")

    def _cleanup(self, op: Any, ctx: Context, progress: Progress,
                 on_progress: Callable[[Progress], None] | None) -> None:
        """Run ``cleanup`` over what the steps did; failures are only logged (the error that
        stopped the operation is the one to report)."""
        log.info("%s stopped half way; cleaning up after %s", op.name,
                 ", ".join(progress.done + [n for n in progress.steps
                                            if n not in progress.done]))
        # Seeded with what the steps extracted, which the cleanup steps read.
        done = Progress(vars=dict(progress.vars), steps=dict(progress.steps))
        cctx = self._with_progress(ctx, progress, op.steps)
        for i, step in enumerate(op.cleanup):
            try:
                # The steps so far, of which all but this one are done: a loop step's
                # results then carry their loop variable for the steps after it.
                self._run_steps(op.cleanup[: i + 1], cctx, done, None)
            except (DeliveryError, SpecError) as exc:
                done.done.append(step["name"])
                log.warning("cleanup step %s of %s failed: %s", step.get("name"), op.name,
                            exc.message)
        progress.done.clear()
        progress.vars.clear()
        progress.steps.clear()
        if on_progress is not None:
            on_progress(progress)

    def _context(self, values: dict[str, Any]) -> Context:
        base = {**self.base_values, **values}
        base.setdefault("session", {})
        return Context(base, self.spec.maps)

    def _with_progress(self, ctx: Context, progress: Progress,
                       steps: list[dict[str, Any]]) -> Context:
        view = dict(progress.steps)
        # The loop's list may come from an earlier step (`tx in vars.transactions`): it is
        # read again with the extracted values, as the loop step read it.
        seen = ctx.child(vars=dict(progress.vars), steps=dict(progress.steps))
        for step in steps:
            fe = step.get("for_each")
            name = step["name"]
            if fe and isinstance(view.get(name), list):
                var, seq = (s.strip() for s in fe.split(" in ", 1))
                try:
                    items = render_string(seq if "{{" in seq else "{{" + seq + "}}", seen,
                                          f"{name}.for_each")
                except SpecError:
                    items = []
                view[name] = [
                    {**r, var: items[i] if i < len(items or []) else None}
                    for i, r in enumerate(view[name])
                ]
        return ctx.child(vars=dict(progress.vars), steps=view)

    def _run_steps(self, steps: list[dict[str, Any]], ctx: Context, progress: Progress,
                   on_progress: Callable[[Progress], None] | None) -> None:
        def checkpoint() -> None:
            if on_progress is not None:
                on_progress(progress)

        for step in steps:
            name = step["name"]
            if name in progress.done:
                continue
            sctx = self._with_progress(ctx, progress, steps)
            where = f"step {name}"
            if "when" in step and not truthy(render(step["when"], sctx, f"{where}.when")):
                progress.done.append(name)
                checkpoint()
                continue
            fe = step.get("for_each")
            if fe:
                var, seq = (s.strip() for s in fe.split(" in ", 1))
                items = render_string(seq if "{{" in seq else "{{" + seq + "}}", sctx,
                                      f"{where}.for_each") or []
                results: list[dict[str, Any]] = list(progress.steps.get(name) or [])
                for i in range(len(results), len(items)):
                    results.append(self._request(step, sctx.child(**{var: items[i]}), where))
                    progress.steps[name] = results
                    checkpoint()
                progress.steps[name] = results
            else:
                extracted = self._request(step, sctx, where)
                progress.steps[name] = extracted
                progress.vars.update(extracted)
            progress.done.append(name)
            checkpoint()

    # ------------------------------------------------------------------ one request

    def _request(self, step: dict[str, Any], ctx: Context, where: str) -> dict[str, Any]:
        use_auth = step.get("auth", True) not in (False, "none")
        auth = self._auth_option(ctx) if use_auth else _NO_AUTH
        if auth.get("type") != "session":
            return self._attempt(step, ctx, where, auth)
        try:
            return self._attempt(step, ctx.child(session=self._login(ctx, auth)), where, auth)
        except DeliveryError as exc:
            if exc.http_status != 401:
                raise
        # The session expired or was ended by the helpdesk: log in again, once.
        log.info("%s: the session was refused; logging in again", where)
        self._session_vars = None
        return self._attempt(step, ctx.child(session=self._login(ctx, auth)), where, auth)

    def _auth_option(self, ctx: Context) -> dict[str, Any]:
        """The first auth alternative whose ``when`` holds (none when no alternative does)."""
        for option in self.spec.auth_options or [self.spec.auth]:
            if "when" not in option or truthy(render(option["when"], ctx, "auth.when")):
                return option
        return _NO_AUTH

    def _attempt(self, step: dict[str, Any], ctx: Context, where: str,
                 auth_option: dict[str, Any]) -> dict[str, Any]:
        use_auth = auth_option.get("type", "none") != "none"
        url = self._url(step["url"], ctx, where)
        query = _clean(render(step.get("query") or {}, ctx, f"{where}.query"))
        headers = {header_name(k, where): to_text(v, where) for k, v in _clean(
            render({**(self.spec.http.get("headers") or {}), **(step.get("headers") or {})},
                   ctx, f"{where}.headers")).items()}
        auth: tuple[str, str] | None = None
        if use_auth:
            auth = self._apply_auth(auth_option, ctx, headers, query)
        headers = {header_name(k, where): header_value(v) for k, v in headers.items()}
        data, content_type = self._body(step.get("body"), ctx, where)
        if content_type and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = media_type(content_type)
        method = step["method"]
        log.info("%s %s", method, url)
        try:
            return self._send(step, method, url, query, headers, data, auth, where)
        except DeliveryError as exc:
            # An exception text may quote the URL with its query: never let a secret
            # (API key in the query) reach the outbox database, the log or the screen.
            exc.message = self._scrub(exc.message)
            exc.helpdesk_message = self._scrub(exc.helpdesk_message)
            exc.args = (exc.message,)
            raise

    def _scrub(self, text: str) -> str:
        for value in (self.base_values.get("secret") or {}).values():
            if value:
                text = text.replace(str(value), "***").replace(quote(str(value), safe=""),
                                                               "***")
        return text

    def _send(self, step: dict[str, Any], method: str, url: str, query: dict[str, Any],
              headers: dict[str, str], data: Any, auth: tuple[str, str] | None,
              where: str) -> dict[str, Any]:
        if self.heartbeat is not None:
            self.heartbeat()
        try:
            resp = self._request_following(method, url, query, headers, data, auth)
        except requests.exceptions.SSLError as exc:
            raise DeliveryError(current().tr(
                "the TLS certificate of {address} is not trusted ({reason}); if the helpdesk "
                "uses a private CA, set {setting} to its PEM file", address=_origin(url),
                reason=_tls_reason(exc), setting="destination.ca_bundle"), kind="network",
                                helpdesk_message=str(exc)) from None
        except requests.exceptions.ConnectTimeout as exc:
            raise DeliveryError(current().tr(
                "{helpdesk} did not answer at {address} (connection timed out)",
                helpdesk=self.spec.title, address=_origin(url)),
                                kind="network", helpdesk_message=str(exc)) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not _is_connect_failure(exc)
            raise DeliveryError(current().tr(
                "{helpdesk} cannot be reached at {address}: {reason}",
                helpdesk=self.spec.title, address=_origin(url), reason=_short(exc)),
                                kind="network", helpdesk_message=str(exc),
                                uncertain=sent) from None
        except requests.exceptions.Timeout as exc:
            raise DeliveryError(current().tr(
                "{helpdesk} stopped answering during {request} (timed out)",
                helpdesk=self.spec.title, request=f"{method} {_origin(url)}"),
                                kind="network", helpdesk_message=str(exc),
                                uncertain=True) from None
        except requests.exceptions.RequestException as exc:
            raise DeliveryError(current().tr("the request to {helpdesk} failed: {reason}",
                                             helpdesk=self.spec.title, reason=_short(exc)),
                                kind="network", helpdesk_message=str(exc),
                                uncertain=True) from None
        finally:
            close = getattr(data, "close", None)
            if callable(close):
                close()
        if self.dry_run is not None:
            # Nothing was sent: each value a step would extract stands as its own name.
            return {k: f"<{k}>" for k in (step.get("extract") or {})}
        r = _Response(resp.status_code, resp.headers, resp.text)
        log.info("%s %s -> %s", method, url, r.status)
        expect = step.get("expect")
        ok = r.status in expect if expect else 200 <= r.status < 300
        if not ok and step.get("accept_missing") and r.status == 404:
            return {k: _rule_default(rule) for k, rule in (step.get("extract") or {}).items()}
        if not ok:
            raise self._error(r, method, url)
        return {k: self._extract(rule, r, f"{where}.extract.{k}")
                for k, rule in (step.get("extract") or {}).items()}

    def _request_following(self, method: str, url: str, query: dict[str, Any],
                           headers: dict[str, str], data: Any,
                           auth: tuple[str, str] | None) -> requests.Response:
        """Send, following a GET's redirects only within the helpdesk's origin.

        requests drops Authorization on a redirect to another host, but not custom headers
        (X-Redmine-API-Key, PRIVATE-TOKEN, Session-Token) nor the query: every credential
        would follow. So redirects are followed here, and one that leaves the origin is
        refused before anything is sent there."""
        resp = self._send_once(method, url, query, headers, data, auth)
        here = resp.url or url
        for _ in range(_MAX_REDIRECTS):
            if method != "GET" or not resp.is_redirect:
                return resp
            target = urljoin(here, resp.headers.get("Location", ""))
            resp.close()
            if origin_of(target) != origin_of(here):
                raise DeliveryError(current().tr(
                    "{helpdesk} redirected {request} to another address ({address}); Flare "
                    "sends no credentials there. Set {setting} to the address the helpdesk "
                    "really uses", helpdesk=self.spec.title,
                    request=f"{method} {_origin(here)}", address=origin_of(target),
                    setting="destination.url"), kind="config")
            here = target
            resp = self._send_once(method, target, {}, headers, None, auth)
        if resp.is_redirect:
            raise DeliveryError(current().tr(
                "{helpdesk} redirected more than {n} times from {address}; check {setting}",
                helpdesk=self.spec.title, n=_MAX_REDIRECTS, address=_origin(url),
                setting="destination.url"), kind="config")
        return resp

    def _send_once(self, method: str, url: str, query: dict[str, Any],
                   headers: dict[str, str], data: Any,
                   auth: tuple[str, str] | None) -> requests.Response:
        """One request, no redirects. Prepared here rather than by session.request: requests
        turns %2E back into "." when it requotes the URL, and a value ".." must not become a
        path segment that climbs (servers remove dot segments before routing)."""
        prep = self.session.prepare_request(requests.Request(
            method, url, params=query or None, headers=headers, data=data, auth=auth))
        prep.url = escape_dot_segments(str(prep.url))
        if self.dry_run is not None:
            self.dry_run(prep)
            fake = requests.Response()
            fake.status_code, fake._content, fake.url = 200, b"{}", str(prep.url)
            return fake
        settings = self.session.merge_environment_settings(prep.url, {}, None, None, None)
        return self.session.send(prep, timeout=self.timeout, allow_redirects=False, **settings)

    def _url(self, template: str, ctx: Context, where: str) -> str:
        url = render_url(template, ctx, f"{where}.url")
        if url.startswith("/"):
            base = render_url(self.spec.http.get("base_url") or "", ctx, "http.base_url")
            if not base:
                raise SpecError(current().tr("{where}: the url is relative but {setting} is "
                                             "not set", where=where, setting="http.base_url"))
            url = base.rstrip("/") + url
        if not url.lower().startswith(("http://", "https://")):
            raise DeliveryError(current().tr("{url} is not an http(s) address; check {setting}",
                                             url=repr(url), setting="destination.url"),
                                kind="config")
        return url

    def _apply_auth(self, auth: dict[str, Any], ctx: Context, headers: dict[str, str],
                    query: dict[str, Any]) -> tuple[str, str] | None:
        kind = auth.get("type", "none")
        if kind == "basic":
            return (to_text(render(auth["username"], ctx, "auth.username"), "auth"),
                    to_text(render(auth["password"], ctx, "auth.password"), "auth"))
        if kind == "bearer":
            headers["Authorization"] = "Bearer " + to_text(render(auth["token"], ctx,
                                                                  "auth.token"), "auth")
        elif kind == "header":
            headers[header_name(render(auth["name"], ctx, "auth.name"), "auth.name")] = to_text(
                render(auth["value"], ctx, "auth.value"), "auth")
        elif kind == "query":
            query[to_text(render(auth["name"], ctx, "auth.name"), "auth")] = to_text(
                render(auth["value"], ctx, "auth.value"), "auth")
        elif kind == "session":
            for k, v in _clean(render(auth.get("headers") or {}, ctx, "auth.headers")).items():
                headers[k] = to_text(v, "auth.headers")
            query.update(_clean(render(auth.get("query") or {}, ctx, "auth.query")))
        return None

    def _login(self, ctx: Context, auth: dict[str, Any]) -> dict[str, Any]:
        if self._session_vars is None or self._session_auth is not auth:
            progress = Progress()
            steps = [{**s, "auth": "none"} for s in auth["steps"]]
            self._run_steps(steps, ctx.child(vars={}, steps={}), progress, None)
            self._session_vars = progress.vars
            self._session_auth = auth
        return self._session_vars

    def _logout(self, ctx: Context) -> None:
        """End the login session after an operation, when the spec says how (GLPI
        killSession). Best effort: a failed logout never fails the operation."""
        auth, session = self._session_auth, self._session_vars
        if auth is None or session is None or not auth.get("logout"):
            return
        self._session_vars = None
        sctx = ctx.child(session=session, vars={}, steps={})
        for i, step in enumerate(auth["logout"]):
            try:
                self._attempt(step, sctx, f"auth.logout[{i}]", auth)
            except (DeliveryError, SpecError) as exc:
                log.info("logging out of %s failed: %s", self.spec.title, exc)

    def _body(self, body: dict[str, Any] | None, ctx: Context,
              where: str) -> tuple[Any, str | None]:
        if not body:
            return None, None
        ctype = (to_text(render(body["content_type"], ctx, f"{where}.body.content_type"), where)
                 if body.get("content_type") else None)
        if "json" in body:
            value = render(body["json"], ctx, f"{where}.body.json")
            return (json.dumps(value, ensure_ascii=False, default=_no_files(where))
                    .encode("utf-8"), ctype or "application/json")
        if "form" in body:
            value = _clean(render(body["form"], ctx, f"{where}.body.form"))
            return ({k: to_text(v, where) for k, v in value.items()},
                    ctype or "application/x-www-form-urlencoded")
        if "text" in body:
            return (to_text(render(body["text"], ctx, f"{where}.body.text"), where)
                    .encode("utf-8"), ctype or "text/plain; charset=utf-8")
        if "raw" in body:
            value = render(body["raw"], ctx, f"{where}.body.raw")
            if isinstance(value, OutFile):
                return SizedFileReader(value), ctype or value.media_type
            return to_text(value, where).encode("utf-8"), ctype or "application/octet-stream"
        mp = MultipartBody()
        for i, part in enumerate(body["multipart"]):
            pw = f"{where}.body.multipart[{i}]"
            fe = part.get("for_each")
            if fe:
                var, seq = (s.strip() for s in fe.split(" in ", 1))
                items = render_string(seq if "{{" in seq else "{{" + seq + "}}", ctx, pw) or []
                for item in items:
                    self._part(mp, part, ctx.child(**{var: item}), pw)
            else:
                self._part(mp, part, ctx, pw)
        mp.finish()
        return mp, mp.content_type

    def _part(self, mp: MultipartBody, part: dict[str, Any], ctx: Context, where: str) -> None:
        if "when" in part and not truthy(render(part["when"], ctx, f"{where}.when")):
            return
        name = to_text(render(part["name"], ctx, f"{where}.name"), where)
        optional = name.endswith("?")
        if optional:
            # "group_id?": the part is left out when its value is empty, as for JSON keys.
            name = name[:-1]
            value = render(part.get("value", part.get("json", part.get("file"))), ctx,
                           f"{where}.value")
            if not truthy(value):
                return
        ctype = render(part.get("content_type"), ctx, where) if part.get("content_type") else None
        if "file" in part:
            file = render(part["file"], ctx, f"{where}.file")
            if not isinstance(file, OutFile):
                raise SpecError(current().tr(
                    "{where}: expected a file (e.g. {example}), got {type}",
                    where=f"{where}.file", example="'{{file}}'", type=type(file).__name__))
            filename = render(part["filename"], ctx, where) if part.get("filename") else None
            mp.add_file(name, file, to_text(filename, where) if filename else None,
                        to_text(ctype, where) if ctype else None)
        elif "json" in part:
            mp.add_json(name, render(part["json"], ctx, f"{where}.json"))
        else:
            mp.add_field(name, to_text(render(part["value"], ctx, f"{where}.value"), where),
                         to_text(ctype, where) if ctype else None)

    # ------------------------------------------------------------------ responses

    def _extract(self, rule: Any, r: _Response, where: str) -> Any:
        if isinstance(rule, str):
            rule = {"json": rule}
        if "status" in rule:
            return r.status
        if "json" in rule:
            # "$" is the whole answer (a helpdesk that answers with a bare list)
            value = (r.json() if rule["json"] == "$"
                     else get_path(r.json(), _split_path(rule["json"])))
        elif "header" in rule:
            value = r.headers.get(rule["header"])
        else:
            value = r.text
        if "regex" in rule and value is not None:
            m = re.search(rule["regex"], to_text(value, where))
            value = (m.group(1) if m and m.groups() else m.group(0)) if m else None
        if value is None:
            value = rule.get("default")
        return value

    def _error(self, r: _Response, method: str, url: str) -> DeliveryError:
        message = self._helpdesk_message(r)
        said = f": {message}" if message else ""
        title = self.spec.title
        klass, plain = self._rule_for(r, message)
        if klass is None:
            if r.status in (401, 403):
                klass = "credentials"
            elif r.status == 429 and self._recently_refused():
                # A throttling answer right after refused sign-ins is a locked account
                # (Roundup answers 429), not a busy helpdesk: waiting and trying again keeps
                # it locked.
                klass, plain = "credentials", current().tr(
                    "{helpdesk} is refusing sign-ins after failed attempts: the account may "
                    "be locked", helpdesk=title)
            elif r.status == 429 or r.status >= 500 or r.status == 408:
                klass = "transient"
            else:
                klass = "refused"
        if klass == "credentials":
            self._refused_at = time.monotonic()
            lead = plain or current().tr("{helpdesk} refused Flare's credentials",
                                         helpdesk=title)
            return DeliveryError(current().tr(
                "{problem} ({answer}); check {username} and the secret {token} refers to",
                problem=lead, answer=f"HTTP {r.status}{said}",
                username="destination.username", token="destination.token"),
                kind="auth", helpdesk_message=message,
                http_status=r.status)
        if klass == "transient":
            retry_after = parse_retry_after(r.headers.get("Retry-After"))
            lead = plain or current().tr("{helpdesk} is busy or failing", helpdesk=title)
            return DeliveryError(
                current().tr("{problem} ({answer}); Flare tries again later", problem=lead,
                             answer=f"HTTP {r.status}{said}"),
                kind="rate_limit" if r.status == 429 else "server",
                helpdesk_message=message, http_status=r.status, retry_after_s=retry_after,
                uncertain=r.status >= 500)
        if plain:
            return DeliveryError(f"{plain} (HTTP {r.status}{said})", kind="validation",
                                 helpdesk_message=message, http_status=r.status)
        if r.status == 404:
            return DeliveryError(current().tr(
                "{helpdesk} has nothing at {request} ({answer}); check {setting} and the "
                "queue/project settings", helpdesk=title, request=f"{method} {_origin(url)}",
                answer=f"HTTP 404{said}", setting="destination.url"), kind="validation",
                helpdesk_message=message, http_status=r.status)
        return DeliveryError(current().tr(
            "{helpdesk} refused the report{answer} - {request}, HTTP {status}; sending it "
            "again as it is cannot succeed", helpdesk=title,
            answer=said or f" (HTTP {r.status})", request=f"{method} {_origin(url)}",
            status=r.status),
            kind="validation", helpdesk_message=message, http_status=r.status)

    def _recently_refused(self) -> bool:
        return (self._refused_at is not None
                and time.monotonic() - self._refused_at < _LOCKOUT_WINDOW_S)

    def _rule_for(self, r: _Response, message: str) -> tuple[str | None, str]:
        """The spec's first ``errors.rules`` entry for this answer: (class, plain words)."""
        for i, rule in enumerate(self.spec.errors.get("rules") or []):
            statuses = rule["status"] if isinstance(rule["status"], list) else [rule["status"]]
            if r.status not in statuses:
                continue
            if "match" in rule and not re.search(rule["match"], r.text, re.I):
                continue
            plain = ""
            if rule.get("message"):
                ctx = self._context({"error": {"status": r.status, "message": message}})
                plain = to_text(render(rule["message"], ctx, f"errors.rules[{i}].message"),
                                "")
            return str(rule["class"]), plain
        return None, ""

    def _helpdesk_message(self, r: _Response) -> str:
        data = r.json()
        for path in [*self.spec.errors.get("message", []), "message", "error", "errors"]:
            value = get_path(data, _split_path(path)) if data is not None else None
            if value:
                if isinstance(value, list):
                    value = "; ".join(to_text(v, "") for v in value)
                return _clip(to_text(value, ""))
        text = re.sub(r"<[^>]+>", " ", r.text)
        return _clip(" ".join(text.split()))


def _split_path(path: str) -> list[str]:
    return [p for p in re.split(r"\.|\[(\d+)\]", path) if p]


def _clean(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if v is not None}


def _rule_default(rule: Any) -> Any:
    return rule.get("default") if isinstance(rule, dict) else None


def _no_files(where: str) -> Callable[[Any], Any]:
    def default(obj: Any) -> Any:
        if isinstance(obj, OutFile):
            raise SpecError(current().tr(
                "{where}: a file cannot go into JSON as it is; use {example} or a multipart "
                "body", where=where, example="'{{ file | base64 }}'"))
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    return default
