"""`flare doctor` checks for delivery: is the helpdesk reachable, is anything stuck?"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from app.context import AppContext
from app.doctor import CheckResult
from app.errors import FlareError
from app.helpdesk.configured import destination_config, open_outbox, secret_resolver
from app.helpdesk.errors import DeliveryError, SpecError, error_class
from app.helpdesk.network import make_session
from app.helpdesk.outbox import Outbox
from app.helpdesk.registry import DestinationConfig, spec_connector, spec_for
from app.helpdesk.secrets import SecretError, SecretResolver
from app.helpdesk.spec.template import to_text
from app.i18n import current


def check_destination(config: DestinationConfig, timeout_s: float = 5.0) -> CheckResult:
    t = current()
    if config.type == "folder":
        return CheckResult("helpdesk", "ok",
                           t.tr("folder destination: reports stay in the folder"))
    if config.type == "email":
        address = config.queue or t.tr("(no address)")
        return CheckResult("helpdesk", "ok", t.tr("e-mail to {address}", address=address))
    if not config.url:
        return CheckResult(
            "helpdesk",
            "fail",
            t.tr("destination.type is {type} but destination.url is not set",
                 type=repr(config.type)),
            t.tr("set destination.url in policy (`flare policy show` lists where settings come "
                 "from)"),
        )
    parts = urlsplit(config.url)
    # The address as configured, API path included (GLPI's .../apirest.php, a tracker
    # under /support): the host's root can answer while the API is elsewhere.
    base = parts._replace(query="", fragment="").geturl() or f"{parts.scheme}://{parts.netloc}/"
    session = make_session(config.network)
    try:
        # Any HTTP answer means the server is reachable and TLS is trusted; the sign-in is
        # proven by check_sign_in.
        resp = session.get(base, timeout=timeout_s, allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        return CheckResult(
            "helpdesk",
            "fail",
            t.tr("{url}: the TLS certificate is not trusted ({error})", url=base,
                 error=_short(exc)),
            t.tr("if a TLS-inspection proxy is in the way, set destination.ca_bundle to its CA "
                 "file"),
        )
    except requests.exceptions.RequestException as exc:
        return CheckResult(
            "helpdesk",
            "fail",
            t.tr("{url} is unreachable: {error}", url=base, error=_short(exc)),
            t.tr("check the network or VPN; reports wait in the outbox until it is reachable"),
        )
    finally:
        session.close()
    answer = t.tr("{type} at {url} answers (HTTP {status})", type=config.type, url=base,
                  status=resp.status_code)
    return CheckResult("helpdesk", "ok", answer)


def check_sign_in(config: DestinationConfig, resolver: SecretResolver) -> CheckResult | None:
    """The secret reference resolves and the helpdesk accepts it: the spec's ``check``
    operation, a harmless authenticated request. None where there is nothing to sign in to."""
    if config.type in ("folder", "email") or not config.url:
        return None
    t = current()
    name = "helpdesk sign-in"
    try:
        spec = spec_for(config)
    except FlareError as exc:
        return CheckResult(name, "fail", t.tr("the connector spec cannot be used: {error}",
                                              error=exc.message),
                           t.tr("fix the spec; `flare connector check SPEC` names every "
                                "problem"))
    if spec is None:
        return None  # a connector from a plug-in: it has no check to offer
    try:
        conn = spec_connector(spec, config, resolver)
    except SecretError as exc:
        return CheckResult(name, "fail", f"destination.token: {exc.message}",
                           t.tr("store the secret where destination.token points, or point it "
                                "at the secret (keyring:NAME, env:NAME or file:PATH)"))
    except FlareError as exc:
        return CheckResult(name, "fail", exc.message,
                           t.tr("set the destination settings it names"))
    if "check" not in conn.capabilities:
        return CheckResult(name, "warning", t.tr(
            "the {title} connector has no `check` operation, so the sign-in is not proven "
            "here", title=spec.title), t.tr(
            "`flare connector test` files a marked test ticket and reads it back; or add "
            "operations.check to the spec (docs/connectors.md)"))
    try:
        result = conn.check()
    except DeliveryError as exc:
        fix = {
            "auth": t.tr("fix destination.username or the secret destination.token refers to; "
                         "an account locked after failed sign-ins must be unlocked in the "
                         "helpdesk"),
            "network": t.tr("check the network or VPN; reports wait in the outbox until it is "
                            "reachable"),
        }.get(exc.kind, t.tr("check destination.url and the queue/project settings"))
        return CheckResult(name, "fail", exc.message, fix)
    except SpecError as exc:
        return CheckResult(name, "fail", exc.message, t.tr("fix operations.check in the spec"))
    finally:
        conn.engine.session.close()
    user = to_text(result.get("user"), "")
    if user:
        return CheckResult(name, "ok", t.tr("{title} accepts Flare's credentials as {user}",
                                            title=spec.title, user=user))
    return CheckResult(name, "ok", t.tr("{title} accepts Flare's credentials", title=spec.title))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."


def check_outbox(ctx: AppContext) -> CheckResult:
    with open_outbox(ctx) as box:
        return outbox_result(box)


def outbox_result(box: Outbox) -> CheckResult:
    now = box.clock().timestamp()
    waiting = box.items(("queued", "sending"))
    failed = box.items(("failed",))
    refused = [i for i in failed if error_class(i.error_kind) == "credentials"]
    t = current()
    if refused:
        return CheckResult(
            "outbox",
            "fail",
            t.tr("the helpdesk refused Flare's credentials: {error}; {not_sent}, {waiting}, "
                 "and nothing more is sent until this is fixed", error=refused[0].last_error,
                 not_sent=t.ntr("{n} report not sent", "{n} reports not sent", n=len(failed)),
                 waiting=t.ntr("{n} waiting", "{n} waiting", n=len(waiting))),
            t.tr("fix destination.username or the secret destination.token refers to (an "
                 "account locked after failed sign-ins must be unlocked in the helpdesk), then "
                 "`flare outbox retry`"),
        )
    if failed:
        return CheckResult(
            "outbox",
            "warning",
            t.ntr("{n} report not sent: {why}", "{n} reports not sent: {why}", n=len(failed),
                  why=failed[0].why(now)),
            t.tr("fix the cause, then `flare outbox retry`"),
        )
    if waiting:
        return CheckResult(
            "outbox", "warning", t.ntr("{n} report waiting: {why}", "{n} reports waiting: {why}",
                                       n=len(waiting), why=waiting[0].why(now))
        )
    return CheckResult("outbox", "ok", t.tr("nothing waiting"))


def checks(ctx: AppContext) -> list[CheckResult]:
    config = destination_config(ctx)
    results = [check_destination(config)]
    if results[0].status == "ok":
        signed_in = check_sign_in(config, secret_resolver(ctx))
        if signed_in is not None:
            results.append(signed_in)
    return [*results, check_outbox(ctx)]
