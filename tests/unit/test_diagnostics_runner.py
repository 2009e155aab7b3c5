"""The runner: parallel, per-collector timeouts, overall budget, failures recorded."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import ClassVar

from app.report import Diagnostics
from diagnostics.collector import CollectContext, Collector, CollectorOutput, SkipCollector, warn
from diagnostics.redact import Redactor
from diagnostics.runner import collect_all, start_collection

RELEASE = threading.Event()  # lets hanging test collectors end when the test module is done


class Hangs(Collector):
    name = "hangs"
    title = "Hangs"
    description = "Never returns in time."
    timeout_s = 0.3

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        RELEASE.wait(30)
        return CollectorOutput({}, "late")


class Raises(Collector):
    name = "raises"
    title = "Raises"
    description = "Always fails."

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        raise RuntimeError("disk on fire, token ghp_" + "a" * 36)


class Sleeps(Collector):
    name = "sleeps"
    title = "Sleeps"
    description = "Takes a while, then answers."
    seconds: ClassVar[float] = 0.2

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        time.sleep(self.seconds)
        return CollectorOutput(
            {"note": "contact bob@corp.example", "Authorization": "Bearer abcdefghijklmnopqrstu"},
            "slept for bob@corp.example",
            [warn("mail bob@corp.example")],
        )


class Skips(Collector):
    name = "skips"
    title = "Skips"
    description = "Nothing to do."

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        raise SkipCollector("nothing configured")


class NotJson(Collector):
    name = "not_json"
    title = "Not JSON"
    description = "Returns data JSON cannot hold."

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        return CollectorOutput({"when": datetime.now(UTC)}, "oops")


def by_name(d: Diagnostics) -> dict[str, object]:
    return {s.name: s for s in d.sections}


def test_hanging_and_raising_collectors_are_recorded_and_do_not_block() -> None:
    ctx = CollectContext(budget_s=1.0)
    t = time.monotonic()
    d = collect_all([Hangs(), Raises(), Sleeps(), Skips(), NotJson()], ctx, redactor=Redactor())
    elapsed = time.monotonic() - t
    assert elapsed < 0.9  # the hang's own 0.3 s timeout governs, not the budget
    s = {x.name: x for x in d.sections}
    assert [x.name for x in d.sections] == ["hangs", "raises", "sleeps", "skips", "not_json"]
    assert s["hangs"].status == "timeout" and "0.3 s" in s["hangs"].error
    assert 250 <= s["hangs"].duration_ms < 900
    assert s["raises"].status == "error" and "disk on fire" in s["raises"].error
    assert "ghp_" not in s["raises"].error  # errors are redacted too
    assert s["raises"].redactions == {"github_token": 1}
    assert s["sleeps"].status == "ok" and s["sleeps"].duration_ms >= 190
    assert s["skips"].status == "skipped" and s["skips"].summary == "nothing configured"
    assert s["not_json"].status == "error" and "JSON" in s["not_json"].error + "serializable"


def test_budget_bounds_the_whole_run() -> None:
    class LongTimeout(Hangs):
        timeout_s = 20.0

    t = time.monotonic()
    d = collect_all([LongTimeout(), Sleeps()], CollectContext(budget_s=0.5), redactor=Redactor())
    assert time.monotonic() - t < 1.0
    assert d.sections[0].status == "timeout" and "0.5 s" in d.sections[0].error
    assert d.sections[1].status == "ok"


def test_collectors_run_in_parallel() -> None:
    class A(Sleeps):
        name = "a"

    class B(Sleeps):
        name = "b"

    class C(Sleeps):
        name = "c"

    t = time.monotonic()
    d = collect_all([A(), B(), C()], CollectContext(budget_s=2), redactor=Redactor())
    assert time.monotonic() - t < 0.5  # three 0.2 s collectors, not 0.6 s in a row
    assert all(s.status == "ok" for s in d.sections)


def test_start_returns_at_once_and_calls_back() -> None:
    got: list[Diagnostics] = []
    done = threading.Event()

    def on_done(d: Diagnostics) -> None:
        got.append(d)
        done.set()

    t = time.monotonic()
    run = start_collection(
        [Sleeps()],
        CollectContext(budget_s=2),
        redactor=Redactor(),
        on_done=on_done,
        clock=lambda: datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    )
    assert time.monotonic() - t < 0.1
    assert not run.done()
    d = run.result(timeout=2)
    assert done.wait(1) and got[0] is d
    assert d.started_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert d.duration_ms >= 190


def test_outputs_are_redacted_with_counts_per_collector() -> None:
    d = collect_all([Sleeps()], CollectContext(redact=["email"]), redactor=Redactor(["email"]))
    s = d.sections[0]
    assert "bob@" not in s.model_dump_json()
    assert s.data["note"] == "contact email-1@redacted"
    assert s.summary == "slept for email-1@redacted"
    assert s.findings[0].message == "mail email-1@redacted"
    assert s.data["Authorization"] == "[REDACTED:secret_value]"
    assert s.redactions == {"email": 3, "secret_value": 1}


def test_disabled_by_policy_is_skipped_without_running() -> None:
    ran: list[str] = []

    class Records(Sleeps):
        name = "records"

        def collect(self, ctx: CollectContext) -> CollectorOutput:
            ran.append(self.name)
            return super().collect(ctx)

    d = collect_all(
        [Records()], CollectContext(disabled_collectors=["records"]), redactor=Redactor()
    )
    assert d.sections[0].status == "skipped" and "policy" in d.sections[0].summary
    assert ran == []


def teardown_module() -> None:
    RELEASE.set()
