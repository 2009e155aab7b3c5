"""Run collectors in parallel, each under its own timeout, the whole run under a budget.

Threads, not processes: collectors mostly wait on the OS (files, sockets, subprocesses), and a
thread that hangs is simply abandoned — it is a daemon thread, recorded as ``timeout``, and never
blocks the report or the exit. A collector that raises is recorded with its error. Every output
passes through the report's :class:`~diagnostics.redact.Redactor` inside the worker, so nothing
unredacted ever reaches the caller.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.i18n import Translator, TwinTranslator, current, speak_on_this_thread
from app.report import Diagnostics, DiagnosticSection, Finding, SectionTexts, now_utc
from diagnostics.collector import CollectContext, Collector, SkipCollector
from diagnostics.redact import Redactor


def redactor_for(ctx: CollectContext) -> Redactor:
    """The redactor of one report: policy kinds plus this machine's host and user names."""
    users: list[str] = []
    with contextlib.suppress(Exception):  # no user name in this environment: nothing to learn
        users.append(getpass.getuser())
    return Redactor(ctx.redact, known_hosts=[socket.gethostname()], known_users=users)


@dataclass
class _Slot:
    collector: Collector
    timeout_s: float
    done: threading.Event = field(default_factory=threading.Event)
    section: DiagnosticSection | None = None


class CollectionRun:
    """A collection in progress; :meth:`result` gives the :class:`Diagnostics` when done."""

    def __init__(
        self,
        collectors: Sequence[Collector],
        ctx: CollectContext,
        *,
        redactor: Redactor | None = None,
        clock: Callable[[], datetime] = now_utc,
        on_done: Callable[[Diagnostics], None] | None = None,
    ) -> None:
        self._ctx = ctx
        self._redactor = redactor if redactor is not None else redactor_for(ctx)
        self._on_done = on_done
        self._started_at = clock()
        self._t0 = time.monotonic()
        self._budget = max(0.05, ctx.budget_s)
        self._finished = threading.Event()
        self._result: Diagnostics | None = None
        self._slots: list[_Slot] = []
        self._skipped: dict[int, DiagnosticSection] = {}
        disabled = set(ctx.disabled_collectors)
        for c in collectors:
            if c.name in disabled:
                self._skipped[len(self._slots)] = self._for_support(c, _section(
                    c, status="skipped", summary=current().tr("disabled by policy")
                ), lambda t: t.tr("disabled by policy"))
            self._slots.append(_Slot(c, min(max(0.01, c.timeout_s), self._budget)))
        for i, slot in enumerate(self._slots):
            if i in self._skipped:
                continue
            threading.Thread(
                target=self._work, args=(slot,), name=f"collector-{slot.collector.name}",
                daemon=True,
            ).start()
        threading.Thread(target=self._coordinate, name="collection", daemon=True).start()

    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the run is complete (at most the budget); True if it is."""
        return self._finished.wait(timeout)

    def result(self, timeout: float | None = None) -> Diagnostics:
        """The diagnostics; waits for the run (bounded by the budget) unless ``timeout`` is hit."""
        if not self._finished.wait(timeout):
            raise TimeoutError("diagnostics are still being collected")
        assert self._result is not None
        return self._result

    def _for_support(self, c: Collector, section: DiagnosticSection,
                     summary: Callable[[Translator], str]) -> DiagnosticSection:
        """``section`` (written by the runner itself) with its texts in support's language."""
        lang = self._ctx.support_language
        if lang:
            t = Translator(lang)
            title = t.tr(c.title) if c.title else ""
            section.translations = {lang: SectionTexts(
                title=title, summary=self._redactor.text(summary(t))[0])}
        return section

    # -- workers ----------------------------------------------------------------------------
    def _work(self, slot: _Slot) -> None:
        c = slot.collector
        t = time.perf_counter()
        lang = self._ctx.support_language
        # Support reads another language: this thread's translator records what the
        # collector says, to write the same lines in support's language afterwards.
        twin = TwinTranslator(current().language, lang) if lang else None
        speak_on_this_thread(twin)
        try:
            section = self._run(c, twin)
        finally:
            speak_on_this_thread(None)
        section.duration_ms = round((time.perf_counter() - t) * 1000, 1)
        slot.section = section
        slot.done.set()

    def _run(self, c: Collector, twin: TwinTranslator | None) -> DiagnosticSection:
        texts: SectionTexts | None = None
        try:
            out = c.collect(self._ctx)
            data, counts = self._redactor.data(out.data)
            json.dumps(data, allow_nan=False)  # support reads it: refuse what JSON cannot hold
            summary, n = self._redactor.text(out.summary)
            counts.update(n)
            findings = []
            for f in out.findings:
                msg, n = self._redactor.text(f.message)
                counts.update(n)
                findings.append(Finding(severity=f.severity, message=msg))
            section = _section(c, summary=summary, findings=findings, data=data)
            section.redactions = dict(sorted(counts.items()))
            if twin is not None:
                # Rewritten before redaction, as collected, then redacted on its own: the
                # recorded texts hold the values the redactor replaces.
                texts = SectionTexts(
                    summary=self._redactor.text(twin.in_other(out.summary))[0],
                    findings=[self._redactor.text(twin.in_other(f.message))[0]
                              for f in out.findings])
        except SkipCollector as e:
            section = _section(c, status="skipped", summary=self._redactor.text(str(e))[0])
            if twin is not None:
                texts = SectionTexts(summary=self._redactor.text(twin.in_other(str(e)))[0])
        except BaseException as e:  # a broken collector must never break the report
            msg, counts = self._redactor.text(f"{type(e).__name__}: {e}")
            section = _section(c, status="error", error=msg,
                               summary=current().tr("failed: {error}", error=msg))
            section.redactions = dict(sorted(counts.items()))
            if twin is not None:
                texts = SectionTexts(summary=twin.other.tr(
                    "failed: {error}", error=self._redactor.text(twin.in_other(msg))[0]))
        if twin is not None and texts is not None:
            texts.title = twin.other.tr(c.title) if c.title else ""
            section.translations = {twin.other.language: texts}
        return section

    def _coordinate(self) -> None:
        sections: list[DiagnosticSection] = []
        for i, slot in enumerate(self._slots):
            if i in self._skipped:
                sections.append(self._skipped[i])
                continue
            deadline = self._t0 + slot.timeout_s
            slot.done.wait(max(0.0, deadline - time.monotonic()))
            got = slot.section
            if got is None:
                waited = time.monotonic() - self._t0
                no_answer = _no_answer(slot.timeout_s)
                got = self._for_support(slot.collector, _section(
                    slot.collector, status="timeout", summary=no_answer(current()),
                    error=f"timed out after {_secs(slot.timeout_s)}",
                ), no_answer)
                got.duration_ms = round(waited * 1000, 1)
            sections.append(got)
        self._result = Diagnostics(
            started_at=self._started_at,
            duration_ms=round((time.monotonic() - self._t0) * 1000, 1),
            sections=sections,
        )
        self._finished.set()
        if self._on_done is not None:
            with contextlib.suppress(Exception):  # a failing callback must not lose the result
                self._on_done(self._result)


def _section(c: Collector, **kw: object) -> DiagnosticSection:
    return DiagnosticSection(
        name=c.name, title=current().tr(c.title) if c.title else c.name, privacy=c.privacy, **kw
    )


def _no_answer(timeout_s: float) -> Callable[[Translator], str]:
    return lambda t: t.tr("no answer within {time}; not waited for", time=_secs(timeout_s, t))


def _secs(s: float, t: Translator | None = None) -> str:
    t = t or current()
    return t.tr("{seconds} s", seconds=t.number(s))


def start_collection(
    collectors: Iterable[Collector],
    ctx: CollectContext,
    *,
    redactor: Redactor | None = None,
    clock: Callable[[], datetime] = now_utc,
    on_done: Callable[[Diagnostics], None] | None = None,
) -> CollectionRun:
    """Start all collectors in the background and return at once."""
    return CollectionRun(list(collectors), ctx, redactor=redactor, clock=clock, on_done=on_done)


def collect_all(
    collectors: Iterable[Collector],
    ctx: CollectContext,
    *,
    redactor: Redactor | None = None,
    clock: Callable[[], datetime] = now_utc,
) -> Diagnostics:
    """Run all collectors and wait (at most the budget) for the result."""
    return start_collection(collectors, ctx, redactor=redactor, clock=clock).result()
