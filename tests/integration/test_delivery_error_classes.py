"""The three classes of delivery errors, against a loopback helpdesk over real HTTP.

Transient errors are retried (covered against the real RT/Redmine in test_helpdesk_faults);
here: a helpdesk refusing a file type stops that item with the helpdesk's own reason and never
retries it; refused credentials stop all sending (no hammering a locked account); the spec's
``errors.rules`` turn a status plus a body match into a class and plain words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.outbox import Outbox
from app.helpdesk.spec_connector import SpecConnector
from tests.factories import sample_bundle
from tests.security.helpers import TOKEN, spec_connector
from tests.security.loopback import Answer, Helpdesk, Request, serve, spec_text


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def outbox(tmp_path: Path, clock: Clock) -> Iterator[Outbox]:
    with Outbox(tmp_path / "state", clock) as box:
        yield box


def queue(outbox: Outbox, tmp_path: Path, n: int = 0) -> int:
    path = sample_bundle(tmp_path / f"draft-{n}")
    report = open_delivery_bundle(path).report
    return outbox.enqueue(path, "spec", report_id=str(report.id), title=report.title).id


def _json(status: int, obj: object) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(obj).encode()


def refuse_logs(req: Request) -> Answer | None:
    """Like Roundup: an upload of a type the tracker does not take is refused, in words."""
    upload = req.method == "POST" and req.path.endswith("/files")
    if upload and b'filename="outlook.log"' in req.body:
        return _json(400, {"error": "Unsupported file extension: .log"})
    return None


def test_a_refused_file_type_stops_the_item_with_the_helpdesks_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Outbox,
        clock: Clock) -> None:
    with serve(Helpdesk(answer=refuse_logs)) as desk:
        conn = spec_connector(tmp_path, desk, monkeypatch)
        item_id = queue(outbox, tmp_path)
        d = Deliverer(outbox, lambda _d: conn, rng=lambda: 0.5)
        [outcome] = d.run_due()
        assert outcome.state == "failed"
        item = outbox.get(item_id)
        assert item.error_kind == "validation"
        assert item.helpdesk_message == "Unsupported file extension: .log"
        assert "refused the report: Unsupported file extension: .log" in item.last_error
        assert "tries again" not in item.why(clock().timestamp())
        seen = len(desk.requests)
        # Never retried by itself: a day later nothing more has been sent.
        for _ in range(5):
            clock.advance(6 * 3600)
            assert d.run_due() == []
        assert len(desk.requests) == seen
        assert len(desk.creates()) == 1


def test_an_error_rule_makes_a_500_a_refusal_with_plain_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Outbox,
        clock: Clock) -> None:
    """Roundup answers a refused file type with a 500; without the rule Flare would retry it
    for ever and tell the person the helpdesk has a problem of its own."""
    def refuse(req: Request) -> Answer | None:
        if req.path.endswith("/files") and b'filename="outlook.log"' in req.body:
            return _json(500, {"error": "Unsupported file extension: .log"})
        return None

    rules = """errors:
  rules:
    - status: [400, 500]
      match: "unsupported file (extension|type)"
      class: refused
      message: "{{ spec.title }} does not take this kind of file ({{ error.message }})"
"""
    spec = spec_text().replace("operations:", rules + "operations:", 1)
    with serve(Helpdesk(answer=refuse)) as desk:
        conn = spec_connector(tmp_path, desk, monkeypatch, spec=spec)
        item_id = queue(outbox, tmp_path)
        d = Deliverer(outbox, lambda _d: conn, rng=lambda: 0.5)
        [outcome] = d.run_due()
        item = outbox.get(item_id)
        assert outcome.state == "failed" and item.error_kind == "validation"
        assert item.last_error.startswith(
            "Loopdesk does not take this kind of file (Unsupported file extension: .log)")
        clock.advance(7200)
        assert d.run_due() == []


def lockout_desk() -> Helpdesk:
    """Wrong key: 401 three times, then the account is locked and every answer is 429
    (Roundup's lockout), whatever the key."""
    state = {"refused": 0}

    def answer(req: Request) -> Answer | None:
        if state["refused"] >= 3:
            return _json(429, {"error": "Too many failed logins, try again later"})
        if req.headers.get("x-api-key") != TOKEN:
            state["refused"] += 1
            return _json(401, {"error": "Invalid login"})
        return None

    return Helpdesk(answer=answer)


def test_refused_credentials_stop_all_sending_and_a_lockout_is_not_called_busy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Outbox,
        clock: Clock) -> None:
    desk = lockout_desk()
    with serve(desk):
        conn = spec_connector(tmp_path, desk, monkeypatch)
        conn.engine.base_values["secret"]["token"] = "wrong-key"
        ids = [queue(outbox, tmp_path, n) for n in range(3)]
        d = Deliverer(outbox, lambda _d: conn, rng=lambda: 0.5)
        outcomes = d.run_due()
        # The first refusal stops the round: one sign-in, not one per report.
        assert [o.state for o in outcomes] == ["failed"]
        assert len(desk.requests) == 1
        first = outbox.get(ids[0])
        assert first.error_kind == "auth"
        assert "refused Flare's credentials (HTTP 401: Invalid login)" in first.last_error
        assert "destination.token" in first.last_error
        # While held, neither the timer nor a send from the report window signs in again.
        clock.advance(600)
        assert d.run_due() == []
        held = d.send_now(ids[1])
        assert held.state == "queued" and held.error_kind == "auth"
        assert "refused Flare's credentials" in outbox.get(ids[1]).last_error
        assert len(desk.requests) == 1
        # After the hold one more try: the helpdesk refuses it twice more (401 each) ...
        for _ in range(2):
            clock.advance(3601)
            [o] = d.run_due()
            assert o.state == "failed"
        # ... and now answers 429, locked: that is credentials too, not "busy".
        clock.advance(3601)
        outbox.retry([ids[0]])
        [o] = d.run_due()
        locked = outbox.get(o.item_id)
        assert locked.state == "failed" and locked.error_kind == "auth", locked.last_error
        assert "locked" in locked.last_error
        assert len(desk.requests) == 4


def test_a_429_right_after_a_refused_sign_in_is_a_lockout_within_one_delivery(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.helpdesk.errors import DeliveryError

    desk = lockout_desk()
    with serve(desk):
        conn = spec_connector(tmp_path, desk, monkeypatch)
        conn.engine.base_values["secret"]["token"] = "wrong-key"
        bundle = open_delivery_bundle(sample_bundle(tmp_path / "b"))
        kinds = []
        for _ in range(4):
            with pytest.raises(DeliveryError) as info:
                conn.submit(bundle)
            kinds.append((info.value.http_status, info.value.error_class))
        assert kinds == [(401, "credentials")] * 3 + [(429, "credentials")]
        assert "account may be locked" in str(info.value)


def test_doctor_tells_the_admin_about_refused_credentials(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Outbox) -> None:
    from app.helpdesk.doctor import outbox_result

    desk = lockout_desk()
    with serve(desk):
        conn: SpecConnector = spec_connector(tmp_path, desk, monkeypatch)
        conn.engine.base_values["secret"]["token"] = "wrong-key"
        queue(outbox, tmp_path)
        Deliverer(outbox, lambda _d: conn).run_due()
    result = outbox_result(outbox)
    assert result.status == "fail"
    assert "refused Flare's credentials" in result.detail
    assert "flare outbox retry" in result.fix
