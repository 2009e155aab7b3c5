"""The reporting workflow as plain Python: what the report window shows and does, without Qt.

:class:`ReportFlow` owns one report in the making: the form answers (through the form engine's
``FormState``), the screenshots, the diagnostics run, what the user chose to leave out, and the
draft on disk. The window (app/ui/report_window.py) is a thin view: it renders what the flow
says and forwards what the user does. Everything the flow needs from other areas (the form
engine, diagnostics, delivery, incidents, screen capture) sits behind a port
(app/flow/ports.py); app/wiring.py builds the real ones, tests hand in their own, so the flow
runs without a display or a helpdesk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app import identity
from app.context import AppContext
from app.errors import FlareError
from app.flow import sent_text
from app.flow.affected import AffectedPathMixin
from app.flow.deps import FlowDeps
from app.flow.draft import DraftStore, draft_data, restore_draft
from app.flow.evidence import Evidence
from app.flow.ports import (
    DiagnosticsRun,
    FlowView,
    Incident,
    Outcome,
    Page,
    TicketSummary,
    fetch_incidents,
)
from app.flow.screenshots import ScreenshotsMixin
from app.flow.views import CategoryView, FileEntry, QuestionView, question_views, review_files
from app.i18n import Translator, resolve_language, support_language, tr
from app.report import (
    Consent,
    Diagnostics,
    DiagnosticSection,
    Priority,
    Report,
    ReportTexts,
    Step,
)

if TYPE_CHECKING:
    from app.bundle import Bundle

log = logging.getLogger(__name__)


class ReportFlow(AffectedPathMixin, ScreenshotsMixin):
    """One report from "Report a problem" to "sent"."""

    def __init__(
        self,
        ctx: AppContext,
        deps: FlowDeps,
        *,
        language: str | None = None,
        draft: DraftStore | None = None,
    ) -> None:
        self.ctx = ctx
        self.deps = deps
        self.language = language or resolve_language(ctx.settings.get("general.language"))
        self.t = Translator(self.language)
        self.draft = draft or DraftStore(ctx.dirs.state / "draft")
        self.min_quality = int(ctx.settings.get("form.min_quality") or 0)
        self.view: FlowView | None = None
        # Runs a function on the window's thread (a queued Qt signal); set by start() or the
        # window. Results of worker threads reach the flow through it.
        self.post: Callable[[Callable[[], None]], None] | None = None
        self._on_result: list[Callable[[], None]] = []
        self.page: Page = "category"
        self.report_id = uuid.uuid4()
        self.created_at = ctx.clock()
        self.form = deps.form_state(self.language)
        self.category = ""
        self.answers: dict[str, tuple[Any, bool]] = {}
        self.subject_edited = False
        self.evidence: list[Evidence] = []
        self.excluded_sections: set[str] = set()
        self.reviewed = False
        self.result: Outcome | None = None
        self.error = ""
        self.dirty = False
        self._shown_errors = False
        self._diag_run: DiagnosticsRun | None = None
        self._diagnostics: Diagnostics | None = None
        # Facts Flare brought to this report itself (the crash it offered the report for).
        self._attached: list[DiagnosticSection] = []
        self._incidents: list[Incident] = []
        self._incidents_pending = False
        self._tickets: list[TicketSummary] = []
        self.joined: set[str] = set()
        # "I'm affected too" is the short path: one optional question, the review, Send.
        # The person can still describe the problem in full (then the ticket names the
        # incident, as before).
        self.affected_id = ""
        self.affected_note = ""
        self.full_report = False
        self.add_to_ticket = ""
        # Tickets like this one (the helpdesk's search), offered after the questions.
        self._similar: list[TicketSummary] = []
        self._similar_asked = False
        self.reporter_email = identity.reporter_email(ctx)
        self.reporter_name = identity.reporter_name(ctx)
        self._key_counter = 0
        # What the machine knows, by question role ("function": the program in front when
        # the report began; "when": just now, or the first screenshot's time). Shown in the
        # question and editable; a question the person answered is never overwritten.
        self._prefills: dict[str, Any] = {"when": "now"}
        self._prefilled: set[str] = set()

    # --- start ---------------------------------------------------------------------------------

    def start(self, post: Callable[[Callable[[], None]], None] | None = None) -> bool:
        """Resume a saved draft or begin anew; start diagnostics. True if a draft was resumed.

        With ``post`` (run a function on the window's thread), known incidents and open
        tickets are fetched in the background and shown when they arrive; without it they
        are waited for, a bounded time."""
        self.post = post or self.post
        resumed = self.restore_draft()
        if self.deps.start_diagnostics is not None and self._diag_run is None:
            self._diag_run = self.deps.start_diagnostics()
        if self.ctx.settings.get("tray.show_incidents"):
            if post is None:
                self._incidents, self._tickets = fetch_incidents(self.deps.incidents,
                                                                 self.deps.incidents_wait_s)
            else:
                source = self.deps.incidents
                self._incidents_pending = True

                def work() -> None:
                    found = fetch_incidents(source, 30.0)
                    post(lambda: self._incidents_arrived(*found))

                threading.Thread(target=work, name="flare-incidents", daemon=True).start()
        if not resumed:
            self.page = self.pages()[0]
        return resumed

    def _incidents_arrived(self, incidents: list[Incident],
                           tickets: list[TicketSummary]) -> None:
        self._incidents, self._tickets = incidents, tickets
        self._incidents_pending = False
        if incidents or tickets:
            # Offered, never forced: the page the person is on stays (a page that changes
            # under the keys being typed is how the first round lost reports).
            self._changed("incidents")

    def pages(self) -> list[Page]:
        """The pages this report goes through, in order (empty ones left out)."""
        out: list[Page] = []
        if self._incidents or self._tickets:
            out.append("incidents")
        if self.short_path():
            return [*out, "affected", "review", "sent"]
        out += ["category", "questions"]
        if self._similar:
            out.append("similar")
        if self.deps.capturer is not None or self.evidence:
            out.append("screenshots")
        if self.deps.start_diagnostics is not None:
            out.append("diagnostics")
        out += ["review", "sent"]
        return out

    # --- navigation ----------------------------------------------------------------------------

    def go(self, page: Page) -> None:
        self.page = page
        self._changed("page")

    def can_leave(self) -> str:
        """Why the user cannot go on from this page (translated), or "" if they can."""
        if self.short_path():
            if self.page == "review" and not self.reviewed:
                return self.t.tr("Check the report above, then press Send.")
            return ""
        if self.page == "category" and not self.category:
            return self.t.tr("Choose what the problem is about.")
        if self.page == "questions":
            blocking = self.blocking_count()
            if blocking:
                return self.t.ntr(
                    "{n} answer needs more detail: see the message next to it.",
                    "{n} answers need more detail: see the messages next to the questions.",
                    n=blocking,
                )
        if self.page in ("questions", "review") and not self.form.can_submit(self.min_quality):
            return self.t.tr(
                "The report is not complete enough to send yet (quality {q} of {min}): "
                "answer the questions in more detail.",
                q=int(self.form.quality()),
                min=self.min_quality,
            )
        if self.page == "review" and not self.reviewed:
            return self.t.tr("Check the report above, then press Send.")
        return ""

    def next(self) -> str:
        """Go to the next page; return why not ("" when it moved)."""
        reason = self.can_leave()
        if self.page == "questions":
            self._shown_errors = True
        if reason:
            self._changed("blocked")
            return reason
        if self.page == "review":
            return self.submit()
        if self.page == "questions":
            self._look_for_similar()
        pages = self.pages()
        i = pages.index(self.page) if self.page in pages else 0
        target = pages[min(i + 1, len(pages) - 1)]
        if target == "screenshots" and self.evidence:
            # Nothing is asked there, and the report already holds what the person took: the
            # review shows it, and from there (or Back) the screenshots page is one step away.
            target = pages[pages.index(target) + 1]
        self.go(target)
        self.save_draft()
        return ""

    def back(self) -> None:
        pages = self.pages()
        i = pages.index(self.page) if self.page in pages else 0
        if i > 0 and self.page != "sent":
            self.go(pages[i - 1])

    # --- form ----------------------------------------------------------------------------------

    def categories(self) -> list[CategoryView]:
        return self.deps.form_categories(self.language)

    def set_category(self, category_id: str) -> None:
        if category_id == self.category:
            return
        self.category = category_id
        self.form.set_category(category_id)
        for qid, (value, dont_know) in self.answers.items():
            self._apply_answer(qid, value, dont_know)
        self._apply_prefills()
        self._touch("category")

    def prefill(self, role: str, value: Any) -> None:
        """Offer ``value`` as the answer to the question with ``role`` (see ``_prefills``)."""
        if value is None or value == "":
            return
        self._prefills[role] = value
        if self._apply_prefills():
            self._changed("prefill")

    def prefilled(self) -> dict[str, Any]:
        """Question id -> the value the machine filled in and the person has not changed."""
        return {qid: self.answers[qid][0] for qid in self._prefilled if qid in self.answers}

    def _apply_prefills(self) -> bool:
        if not self.category:
            return False
        try:
            category = self.form.form.category(self.category)
        except (KeyError, ValueError):
            return False
        changed = False
        for item in category.questions:
            q = item if not isinstance(item, str) else self.form.form.question(item)
            value = self._prefills.get(q.role or "")
            if value is None:
                continue
            if q.id in self.answers and q.id not in self._prefilled:
                continue  # the person's own answer
            if self.answers.get(q.id, (None, False))[0] == value:
                continue
            self.answers[q.id] = (value, False)
            self._apply_answer(q.id, value, False)
            self._prefilled.add(q.id)
            changed = True
        return changed

    def set_answer(self, question_id: str, value: Any, dont_know: bool = False) -> None:
        if (value, dont_know) != self.answers.get(question_id):
            self._prefilled.discard(question_id)
        self.answers[question_id] = (value, dont_know)
        self._apply_answer(question_id, value, dont_know)
        self._touch("answers")

    def _apply_answer(self, qid: str, value: Any, dont_know: bool) -> None:
        # A question of another category: kept for when the user switches back.
        with contextlib.suppress(KeyError, ValueError):
            self.form.set_answer(qid, value, dont_know=dont_know)

    def issues(self) -> dict[str, list[tuple[str, str, str]]]:
        if not self.category:
            return {}
        out: dict[str, list[tuple[str, str, str]]] = {}
        for i in self.form.validate():
            out.setdefault(i.question_id, []).append(
                (str(i.severity), str(i.message), str(i.example or ""))
            )
        return out

    def blocking_count(self) -> int:
        return sum(
            1 for items in self.issues().values() if any(s == "block" for s, _, _ in items)
        )

    @property
    def show_errors(self) -> bool:
        """Blocking messages appear after the first try to go on, not while typing."""
        return self._shown_errors

    def questions(self) -> list[QuestionView]:
        if not self.category:
            return []
        return question_views(self.form.asked_questions(), self.answers, self.issues(),
                              self.language)

    def quality(self) -> int:
        return int(self.form.quality()) if self.category else 0

    def subject(self) -> str:
        return self.form.subject() if self.category else ""

    def set_subject(self, text: str) -> None:
        self.form.set_subject(text or None)
        self.subject_edited = bool(text.strip())
        self._touch("subject")

    # --- screenshots ---------------------------------------------------------------------------

    def page_after_recording(self) -> Page:
        """Where the report goes on after the step recorder stops: the questions still to
        answer first, the screenshots once everything is said."""
        if not self.category:
            return "category"
        if self.blocking_count() or not self.form.can_submit(self.min_quality):
            return "questions"
        return "screenshots" if "screenshots" in self.pages() else "questions"

    # --- diagnostics ---------------------------------------------------------------------------

    def diagnostics_done(self) -> bool:
        return self._diagnostics is not None or self._diag_run is None or self._diag_run.done()

    def diagnostics(self, wait_s: float | None = 0.0) -> Diagnostics:
        """The collected diagnostics (what has finished by now when ``wait_s`` is 0), with
        the sections attached by :meth:`attach_section` first."""
        return self._with_attached(self._collected(wait_s))

    def _collected(self, wait_s: float | None) -> Diagnostics:
        if self._diagnostics is not None:
            return self._diagnostics
        if self._diag_run is None:
            return Diagnostics()
        if self._diag_run.done() or wait_s is None or wait_s > 0:
            self._diagnostics = self._diag_run.result(timeout=wait_s)
            return self._diagnostics
        return Diagnostics()

    def _with_attached(self, collected: Diagnostics) -> Diagnostics:
        if not self._attached:
            return collected
        names = {s.name for s in self._attached}
        rest = [s for s in collected.sections if s.name not in names]
        return collected.model_copy(update={"sections": [*self._attached, *rest]})

    def attach_section(self, section: DiagnosticSection) -> None:
        """A fact that came with the report (a crash Flare offered to report): reviewed, sent
        and left out like any collected section."""
        self._attached = [s for s in self._attached if s.name != section.name] + [section]
        self._touch("diagnostics")

    def set_section_included(self, name: str, included: bool) -> None:
        if included:
            self.excluded_sections.discard(name)
        else:
            self.excluded_sections.add(name)
        self._touch("diagnostics")

    def sections(self) -> list[DiagnosticSection]:
        return list(self.diagnostics().sections)

    # --- review and submit ---------------------------------------------------------------------

    def set_reviewed(self, reviewed: bool) -> None:
        self.reviewed = reviewed
        self._changed("reviewed")

    def _sent_steps(self) -> tuple[list[Step], dict[str, bytes]]:
        steps: list[Step] = []
        files: dict[str, bytes] = {}
        for n, ev in enumerate((e for e in self.evidence if e.included), 1):
            ext = ev.step.image.rsplit(".", 1)[-1] if "." in ev.step.image else "png"
            name = f"step-{n:03d}.{ext}"
            steps.append(ev.step.model_copy(update={"image": name}))
            files[name] = ev.image
        return steps, files

    def build_bundle(self) -> Bundle:
        """The exact bundle that will be sent, with report.html rendered from it."""
        from app.bundle import Bundle  # loaded at the review, not when the window opens
        from app.render.html import render_html

        short = self.short_path()
        fields = dict(self.form.to_report_fields()) if self.category and not short else {}
        affected = self._affected_record()
        if short and affected is not None:
            fields["title"] = self.t.tr("Affected too: {title}", title=affected.title)
            fields["affected"] = affected
        elif affected is not None:
            fields["affected"] = affected
        steps, files = self._sent_steps()
        diagnostics = self.diagnostics()
        kept = [s for s in diagnostics.sections if s.name not in self.excluded_sections]
        consent = Consent(
            reviewed=self.reviewed,
            reviewed_at=self.ctx.clock() if self.reviewed else None,
            included_diagnostics=[s.name for s in kept],
            excluded_diagnostics=sorted(
                s.name for s in diagnostics.sections if s.name in self.excluded_sections
            ),
            excluded_steps=sum(1 for e in self.evidence if not e.included),
        )
        fields.setdefault("priority", self.form.priority() if self.category and not short
                          else Priority())
        # "Reported" is when the person sends it (the bundle shown on the review page is the
        # one sent), not when the draft began; what happened cannot have happened later.
        reported = self.ctx.clock()
        happened = fields.get("happened_at")
        if isinstance(happened, datetime) and happened > reported:
            fields["happened_at"] = reported
        support = support_language(self.ctx.settings.get("support.language"), self.language)
        if support and self.category and not short:
            fields["translations"] = {support: self.form.report_texts(support)}
        elif support and short and affected is not None:
            # The incident's title stays as the helpdesk wrote it; only Flare's words around it
            # are support's.
            fields["translations"] = {support: ReportTexts(title=tr(
                "Affected too: {title}", language=support, title=affected.title))}
        report = Report(
            id=self.report_id,
            created_at=reported,
            locale=self.language,
            support_locale=support,
            reporter=identity.reporter(self.ctx, name=self.reporter_name,
                                       email=self.reporter_email),
            machine=identity.machine(),
            steps=steps,
            consent=consent,
            # The short path is a comment on the incident, not a ticket that names it.
            add_to_ticket="" if short else self.add_to_ticket,
            affected_incidents=[] if short else sorted(self.joined),
            **fields,
        )
        sent_diag = diagnostics.model_copy(update={"sections": kept})
        bundle = Bundle(report=report, diagnostics=sent_diag, files=files)
        bundle.html = render_html(bundle)
        return bundle

    def review_files(self, bundle: Bundle) -> list[FileEntry]:
        """Every file the destination will receive, with its final name, its size and what
        it is."""
        delivered = (self.deps.destination_files(bundle)
                     if self.deps.destination_files is not None else None)
        return review_files(self.t, bundle, delivered)

    def submit(self) -> str:
        """Send the reviewed report and wait for it; return why it failed ("" when it went).
        The window uses :meth:`begin_submit` instead, which does the work off its thread."""
        job = self.begin_submit()
        if isinstance(job, str):
            return job
        return self.end_submit(job())

    def begin_submit(
        self, reviewed: Bundle | None = None
    ) -> str | Callable[[], Outcome | str]:
        """Why the report cannot be sent now, or the job that sends it: a callable that may
        run on any thread and returns the result or the error text for :meth:`end_submit`.
        ``reviewed`` is the bundle the review page showed: exactly that is sent."""
        reason = self.can_leave() if self.page == "review" else ""
        if reason:
            return reason
        submitter = self.deps.submitter
        if self.sends_nothing():
            # Support already knows (it is on their status page): no ticket, nothing sent.
            # The person gets the page's link; the sent page says so.
            return lambda: Outcome(0, "saved")
        if reviewed is not None:
            # Pressing Send is the consent: recorded on exactly the bundle that was shown.
            consent = reviewed.report.consent.model_copy(
                update={"reviewed": True, "reviewed_at": self.ctx.clock()})
            reviewed = dataclasses.replace(
                reviewed, report=reviewed.report.model_copy(update={"consent": consent}))

        def job() -> Outcome | str:
            try:
                bundle = reviewed if reviewed is not None else self.build_bundle()
                return submitter.submit(bundle)
            except FlareError as exc:
                return exc.message
            except OSError as exc:
                return self.t.tr(
                    "Could not save the report: {error}. Free some disk space and try again; "
                    "your draft is kept.",
                    error=exc.strerror or str(exc),
                )

        return job

    def needs_email(self) -> bool:
        """No address is known: the review page asks once, and Flare remembers it."""
        return not self.reporter_email and not self.sends_nothing()

    def sends_nothing(self) -> bool:
        """ "I'm affected too" on a status page's incident: no ticket, nothing leaves."""
        return self.short_path() and self.affected_delivery() == "status_page"

    def set_reporter_email(self, email: str) -> str:
        """Take and remember the person's address; the reason it is refused, or ""."""
        email = email.strip()
        if not identity.looks_like_email(email):
            return self.t.tr("That does not look like an e-mail address (name@example.org).")
        identity.remember_reporter_email(self.ctx, email)
        self.reporter_email = email
        self._changed("reporter")
        return ""

    def destination_text(self) -> str:
        """Where Send puts the report, in the words the Send button's neighbour shows."""
        inc = self.affected_incident() if self.short_path() else None
        if inc is not None:
            how = self.affected_delivery()
            if how == "status_page":
                return self.t.tr("Nothing is sent: support already knows about this problem. "
                                 "Send shows you where to follow it.")
            if how == "linked_ticket":
                return self.t.tr("Send opens a short ticket linked to the known problem "
                                 "{number}.", number=inc.id)
            return self.t.tr("Send adds a short comment to the known problem {number}.",
                             number=inc.id)
        if self._adding_to_similar() and (self.ctx.settings.get("destination.type")
                                          or "folder") not in ("folder", "email"):
            return self.t.tr("Send adds the report to ticket {ticket}.",
                             ticket=self.add_to_ticket)
        return sent_text.destination_text(
            self.t, str(self.ctx.settings.get("destination.type") or "folder"),
            self.ctx.reports_dir(), self.add_to_ticket)

    def end_submit(self, outcome: Outcome | str) -> str:
        """Take the job's outcome (on the window's thread): go to "sent", or say why not."""
        if isinstance(outcome, str):
            self.error = outcome
            self._changed("error")
            return outcome
        self.result = outcome
        self.error = ""
        self.draft.clear()
        self._follow_joined()
        self.go("sent")
        if outcome.state == "sending" and outcome.follow is not None:
            self._follow(outcome.follow)
        return ""

    def _follow(self, follow: Callable[[float | None], Outcome | None]) -> None:
        """Wait for the send's end on a worker thread and take it on the window's thread
        (through ``post``): nothing polls, and the window's thread never waits."""
        post = self.post or (lambda fn: fn())

        def work() -> None:
            final = follow(None)
            if final is not None:
                post(lambda: self._take_final(final))

        threading.Thread(target=work, name="flare-follow-send", daemon=True).start()

    def _take_final(self, final: Outcome) -> None:
        self.result = final
        self._changed("result")
        for listener in self._on_result:
            listener()

    def when_sent(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (on the window's thread) once a send still running has ended."""
        self._on_result.append(listener)

    def when_diagnostics_done(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` once the diagnostics are collected: at once if they are, else from
        a worker thread (the window turns that into a queued Qt signal)."""
        run = self._diag_run
        if run is None or self._diagnostics is not None or run.done():
            listener()
            return

        def work() -> None:
            run.result(timeout=None)  # the runner's own budget bounds this wait
            listener()

        threading.Thread(target=work, name="flare-diagnostics-done", daemon=True).start()

    def _follow_joined(self) -> None:
        """After Send, the incidents the person joined are followed (updates, resolution)."""
        if self.deps.follow_incident is None:
            return
        for inc in self._incidents:
            if inc.id in self.joined:
                try:
                    self.deps.follow_incident(inc)
                except OSError as exc:  # following is a courtesy; the report is sent
                    log.warning("cannot follow incident %s: %s", inc.id, exc)

    def check_result(self) -> bool:
        """While the report is still being sent: take the final result if it is there now
        (never waits). True when the result changed (the view then shows it)."""
        r = self.result
        if r is None or r.state != "sending" or r.follow is None:
            return False
        final = r.follow(0.0)
        if final is None:
            return False
        self._take_final(final)
        return True

    def sent_message(self) -> str:
        """The one line that says where the report is."""
        inc = self.affected_incident() if self.short_path() else None
        r = self.result
        if inc is not None and r is not None:
            how = self.affected_delivery()
            if how == "status_page":
                return self.t.tr("Support already knows about this problem, so no ticket was "
                                 "opened. Follow it here: {url}", url=inc.url or inc.title)
            if r.state == "sent" and how == "comment":
                return self.t.tr("Support now knows that the known problem {number} affects "
                                 "you too.", number=r.ticket_number)
            if r.state == "sent":
                return self.t.tr("Your short ticket {number} is linked to the known problem "
                                 "{incident}.", number=r.ticket_number, incident=inc.id)
        if (r is not None and r.state == "sent" and r.added_to_ticket
                and self._adding_to_similar()):
            return self.t.tr("Your report was added to ticket {number}.",
                             number=r.ticket_number)
        return sent_text.sent_message(self.t, self.result)

    def sent_details(self) -> list[str]:
        """Why it is queued or refused, in plain words, then what the helpdesk said."""
        return sent_text.sent_details(self.t, self.result)

    # --- drafts --------------------------------------------------------------------------------

    def _touch(self, what: str) -> None:
        self.dirty = True
        self.reviewed = False  # the review covered what was there before this change
        self._changed(what)

    def _changed(self, what: str) -> None:
        if self.view is not None:
            self.view.flow_changed(what)

    def autosave(self) -> bool:
        """Save the draft if anything changed since the last save; True if it saved."""
        if not self.dirty or self.page == "sent":
            return False
        self.save_draft()
        return True

    def draft_data(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        return draft_data(self)

    def save_draft(self) -> None:
        if self.page == "sent":
            return
        data, images = self.draft_data()
        self.draft.save(data, images)
        self.dirty = False

    def restore_draft(self) -> bool:
        loaded = self.draft.load()
        if loaded is None or not restore_draft(self, *loaded):
            return False
        self.dirty = False
        return True

    def has_content(self) -> bool:
        """Whether the user has put anything in this report worth keeping as a draft."""
        return bool(self.category or self.answers or self.evidence)

    def discard_draft(self) -> None:
        self.draft.clear()
        self.dirty = False
