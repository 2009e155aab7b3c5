"""`flare doctor` checks for delivery: is the helpdesk reachable, is anything stuck?"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from app.context import AppContext
from app.doctor import CheckResult
from app.helpdesk.errors import error_class
from app.helpdesk.network import make_session
from app.helpdesk.outbox import Outbox
from app.helpdesk.registry import DestinationConfig
from app.helpdesk.service import destination_config, open_outbox


def check_destination(config: DestinationConfig, timeout_s: float = 5.0) -> CheckResult:
    if config.type == "folder":
        return CheckResult("helpdesk", "ok", "folder destination: reports stay in the folder")
    if config.type == "email":
        return CheckResult("helpdesk", "ok", f"e-mail to {config.queue or '(no address)'}")
    if not config.url:
        return CheckResult(
            "helpdesk",
            "fail",
            f"destination.type is {config.type!r} but destination.url is not set",
            "set destination.url in policy (flare policy show lists where settings come from)",
        )
    parts = urlsplit(config.url)
    base = f"{parts.scheme}://{parts.netloc}/"
    session = make_session(config.network)
    try:
        # Any HTTP answer means the server is reachable and TLS is trusted; auth is checked
        # by `flare connector test`, which files a marked test ticket.
        resp = session.get(base, timeout=timeout_s, allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        return CheckResult(
            "helpdesk",
            "fail",
            f"{base}: the TLS certificate is not trusted ({_short(exc)})",
            "if a TLS-inspection proxy is in the way, set destination.ca_bundle to its CA file",
        )
    except requests.exceptions.RequestException as exc:
        return CheckResult(
            "helpdesk",
            "fail",
            f"{base} is unreachable: {_short(exc)}",
            "check the network or VPN; reports wait in the outbox until it is reachable",
        )
    finally:
        session.close()
    answer = f"{config.type} at {base} answers (HTTP {resp.status_code})"
    return CheckResult("helpdesk", "ok", answer)


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
    if refused:
        return CheckResult(
            "outbox",
            "fail",
            f"the helpdesk refused Flare's credentials: {refused[0].last_error}; "
            f"{len(failed)} report(s) not sent, {len(waiting)} waiting, and nothing more is "
            "sent until this is fixed",
            "fix destination.username or the secret destination.token refers to (an "
            "account locked after failed sign-ins must be unlocked in the helpdesk), then "
            "`flare outbox retry`",
        )
    if failed:
        return CheckResult(
            "outbox",
            "warning",
            f"{len(failed)} report(s) not sent: {failed[0].why(now)}",
            "fix the cause, then `flare outbox retry`",
        )
    if waiting:
        return CheckResult(
            "outbox", "warning", f"{len(waiting)} report(s) waiting: {waiting[0].why(now)}"
        )
    return CheckResult("outbox", "ok", "nothing waiting")


def checks(ctx: AppContext) -> list[CheckResult]:
    return [check_destination(destination_config(ctx)), check_outbox(ctx)]
