"""The reporting workflow as plain Python: what the report window shows and does, without Qt.

:class:`ReportFlow` owns one report in the making: the form answers (through the form engine's
``FormState``), the screenshots, the diagnostics run, what the user chose to leave out, and the
draft on disk. The window (app/ui/report_window.py) is a thin view: it renders what the flow
says and forwards what the user does. Everything the flow needs from other areas (the form
engine, diagnostics, delivery, incidents, screen capture) sits behind a small Protocol with a
default that works on its own, so the flow runs and tests without a display or a helpdesk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from app import identity
from app.bundle import Bundle
from app.context import AppContext
from app.errors import FlareError
from app.i18n import Translator, resolve_language, support_language
from app.report import (
    Annotation,
    Consent,
    Diagnostics,
    DiagnosticSection,
    Priority,
    Report,
    Step,
)

# "My reports" types live in a light module the idle tray can import; re-exported here because
# the delivery layer implements them next to the other flow protocols.
from app.ui.report_status import MyReport, ReportStatusSource
from app.version import flare_version as app_version

Page = Literal[
    "incidents", "category", "questions", "screenshots", "diagnostics", "review", "sent"
]
ALL_PAGES: tuple[Page, ...] = (
    "incidents", "category", "questions", "screenshots", "diagnostics", "review", "sent"
)
log = logging.getLogger(__name__)

DRAFT_VERSION = 1
DRAFT_FILE = "draft.json"
# How long the window waits for the helpdesk's incidents and open tickets before showing the
# form without them, and for the first attempt to send before saying "sending…".
INCIDENTS_WAIT_S = 1.0
SEND_WAIT_S = 2.0

# --------------------------------------------------------------------------- protocols


class IssueLike(Protocol):
    """One problem the form engine found (``app.form.Issue``)."""

    @property
    def question_id(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def example(self) -> str: ...


class FormStateLike(Protocol):
    """What the flow uses of ``app.form.FormState``."""

    @property
    def form(self) -> Any: ...
    def set_category(self, category_id: str) -> None: ...
    def set_answer(self, question_id: str, value: Any, dont_know: bool = False) -> None: ...
    def visible_questions(self) -> Sequence[Any]: ...
    def validate(self) -> Sequence[IssueLike]: ...
    def quality(self) -> Any: ...
    def can_submit(self, min_quality: int) -> bool: ...
    def priority(self) -> Priority: ...
    def subject(self) -> str: ...
    def set_subject(self, text: str | None) -> None: ...
    def to_report_fields(self) -> dict[str, Any]: ...


__all__ = [
    "MyReport",
    "ReportStatusSource",
]

# The helpdesk's own name, as people there call it (the spec's title for the others).
DESTINATION_NAMES = {
    "rt": "Request Tracker", "redmine": "Redmine", "zendesk": "Zendesk",
    "freshdesk": "Freshdesk", "freshservice": "Freshservice", "gitlab": "GitLab",
    "glpi": "GLPI", "jira_sm": "Jira Service Management", "osticket": "osTicket",
    "servicenow": "ServiceNow", "zammad": "Zammad",
}

SUBJECT_ID = "subject"  # issues about the subject line carry this question id


class DiagnosticsRun(Protocol):
    def done(self) -> bool: ...
    def result(self, timeout: float | None = None) -> Diagnostics: ...


@dataclass(frozen=True)
class SubmitResult:
    """Where the report went: sent (ticket), saved (folder destination), queued (the outbox
    sends it later), failed (kept in the outbox; the helpdesk refused it), or still sending
    (``follow`` returns the final result once there is one)."""

    state: Literal["sent", "queued", "saved", "failed", "sending"]
    ticket_number: str = ""
    ticket_url: str = ""
    path: Path | None = None
    notes: tuple[str, ...] = ()
    reason: str = ""  # why it is queued or failed, as the delivery layer says it
    reason_kind: str = ""  # network, server, rate_limit, auth, validation, config
    helpdesk_message: str = ""
    added_to_ticket: bool = False  # went into the open ticket chosen on page 1
    new_instead_of_add: bool = False  # the helpdesk cannot add to a ticket: a new one
    follow: Callable[[], SubmitResult | None] | None = field(
        default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SubmitOptions:
    """What the user chose on page 1, for the delivery layer (not part of the bundle)."""

    add_to_ticket: str = ""  # the id of an open ticket to add this report to; "" = new ticket
    affected_incidents: tuple[str, ...] = ()  # incidents the user said "I'm affected too" to


class Submitter(Protocol):
    def submit(self, bundle: Bundle) -> SubmitResult: ...


class TicketAwareSubmitter(Submitter, Protocol):
    """A submitter that also honours page 1's choices; the flow prefers this when offered."""

    def submit_with(self, bundle: Bundle, options: SubmitOptions) -> SubmitResult: ...


@dataclass(frozen=True)
class IncidentInfo:
    id: str
    title: str
    details: str = ""
    url: str = ""


@dataclass(frozen=True)
class OpenTicket:
    id: str
    number: str
    title: str
    status: str = ""
    url: str = ""


class IncidentSource(Protocol):
    """Known incidents and the reporter's open tickets (filled by the delivery layer)."""

    def incidents(self) -> list[IncidentInfo]: ...
    def open_tickets(self) -> list[OpenTicket]: ...


class Capturer(Protocol):
    """Takes one screenshot, stamped and encoded, for step number ``number``."""

    def capture(self, number: int) -> tuple[Step, bytes]: ...


class FlowView(Protocol):
    """What the window implements; the flow calls it when something changed."""

    def flow_changed(self, what: str) -> None: ...


# --------------------------------------------------------------------------- defaults


class NoIncidents:
    def incidents(self) -> list[IncidentInfo]:
        return []

    def open_tickets(self) -> list[OpenTicket]:
        return []


class LazySubmitter:
    """A submitter made when the first report is sent: opening the window needs neither the
    delivery layer's imports nor its outbox."""

    def __init__(self, make: Callable[[], TicketAwareSubmitter]) -> None:
        self._make = make
        self._made: TicketAwareSubmitter | None = None

    def _get(self) -> TicketAwareSubmitter:
        if self._made is None:
            self._made = self._make()
        return self._made

    def submit(self, bundle: Bundle) -> SubmitResult:
        return self._get().submit(bundle)

    def submit_with(self, bundle: Bundle, options: SubmitOptions) -> SubmitResult:
        return self._get().submit_with(bundle, options)


def fetch_incidents(
    source: IncidentSource, wait_s: float
) -> tuple[list[IncidentInfo], list[OpenTicket]]:
    """Incidents and open tickets, asked in a worker thread and given at most ``wait_s``: a
    slow or unreachable helpdesk must not hold up the window (what is late is left out)."""
    got: dict[str, Any] = {}

    def work() -> None:
        # The helpdesk being down must never stop a report: any failure means "none known".
        with contextlib.suppress(Exception):
            got["incidents"] = source.incidents()
        with contextlib.suppress(Exception):
            got["tickets"] = source.open_tickets()

    worker = threading.Thread(target=work, name="flare-incidents", daemon=True)
    worker.start()
    worker.join(wait_s)
    return list(got.get("incidents", [])), list(got.get("tickets", []))


class _FinishedRun:
    def __init__(self, diagnostics: Diagnostics) -> None:
        self._diagnostics = diagnostics

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> Diagnostics:
        return self._diagnostics


def start_default_diagnostics(ctx: AppContext) -> DiagnosticsRun:
    """Start the built-in collectors in the background (diagnostics/ runner)."""
    try:
        from diagnostics import registry
        from diagnostics.collector import CollectContext, current_platform
        from diagnostics.runner import start_collection
    except ImportError:  # a build without the diagnostics package
        return _FinishedRun(Diagnostics())
    loaded = registry.load()
    collectors = registry.select(registry.sort(loaded.collectors), current_platform())
    cctx = CollectContext.from_settings(ctx.settings, flare_version=app_version())
    return start_collection(collectors, cctx, clock=ctx.clock)


class ScreenCapturer:
    """Grabs the whole desktop with capture/ (stamp + encode), as the toolbar's "Capture"."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def capture(self, number: int) -> tuple[Step, bytes]:
        from capture.export import Exporter, ExportOptions
        from capture.grab import Grabber, open_source
        from capture.platform_info import PlatformInfo

        plat = PlatformInfo.detect()
        source = open_source(plat)
        try:
            frame = Grabber(source, plat, clock=self._ctx.clock).grab("all")
        finally:
            source.close()
        return Exporter(ExportOptions()).export(
            frame, name_stem=f"step-{number:03d}", step_number=number
        )


class StepGrabber:
    """The grab function a ``capture.recorder.StepRecorder`` calls; one screen source for the
    whole recording."""

    def __init__(self, ctx: AppContext) -> None:
        from capture.grab import Grabber, open_source
        from capture.platform_info import PlatformInfo

        plat = PlatformInfo.detect()
        self._source = open_source(plat)
        self._grabber = Grabber(self._source, plat, clock=ctx.clock)

    def __call__(self, click: tuple[int, int] | None) -> Any:
        return self._grabber.grab("all")

    def close(self) -> None:
        self._source.close()


def render_annotations(image: bytes, media_type: str, annotations: Sequence[Annotation]) -> bytes:
    """The image with the shapes burnt in, in its own format (capture/ does the drawing)."""
    if not annotations:
        return image
    import io

    from PIL import Image

    from capture.annotate import render
    from capture.encode import encode

    with Image.open(io.BytesIO(image)) as img:
        drawn = render(img, annotations)
    fmt: Literal["webp", "png", "jpeg"] = (
        "png" if media_type == "image/png" else "jpeg" if media_type == "image/jpeg" else "webp"
    )
    return encode(drawn, fmt).data


def default_form_state(ctx: AppContext, language: str) -> FormStateLike:
    """The form engine's state for the configured form (``form.file``) or the built-in one."""
    # Looked up by name: the form engine is built alongside and its exports may still move.
    engine = importlib.import_module("app.form")
    if not all(hasattr(engine, n) for n in ("FormState", "default_form", "load_form")):
        raise FlareError(
            "the problem form engine is missing from this installation; reinstall Flare",
            exit_code=4,
        )
    path = ctx.settings.get("form.file")
    try:
        form = engine.load_form(Path(path).expanduser()) if path else engine.default_form()
    except (OSError, ValueError) as exc:  # FormError is a ValueError listing every problem
        raise FlareError(
            Translator(language).tr(
                "The problem form {path} cannot be used: {error}. Ask your IT department to "
                "fix it (they can check it with 'flare form check FILE').",
                path=str(path), error=str(exc),
            ),
            exit_code=3,
        ) from exc
    state: FormStateLike = engine.FormState(form, language, clock=ctx.clock)
    return state


# --------------------------------------------------------------------------- evidence


@dataclass
class Evidence:
    """One screenshot in the report: what is sent (``image``) and its metadata.

    ``original`` keeps the unannotated image on this machine so annotations can be changed;
    it is never sent.
    """

    key: str
    step: Step
    image: bytes
    original: bytes | None = None
    included: bool = True


@dataclass(frozen=True)
class QuestionView:
    """A form question as the window shows it, in the user's language."""

    id: str
    type: str
    text: str
    help: str
    example: str
    required: bool
    allow_dont_know: bool
    options: tuple[tuple[str, str], ...]
    value: Any
    dont_know: bool
    issues: tuple[tuple[str, str, str], ...]  # (severity, message, example)


@dataclass(frozen=True)
class CategoryView:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    what: str


# --------------------------------------------------------------------------- drafts


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if os.name != "nt":  # make the rename itself durable
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _to_json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    return value


def _from_json_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    return value


class DraftStore:
    """The draft of the report in progress: ``draft.json`` plus one file per image.

    Every file is written atomically (temp + fsync + rename) and images before the JSON that
    names them, so a crash or kill at any moment leaves the previous or the new draft.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def json_path(self) -> Path:
        return self.folder / DRAFT_FILE

    def exists(self) -> bool:
        return self.json_path.is_file()

    def save(self, data: dict[str, Any], images: Mapping[str, bytes]) -> None:
        img_dir = self.folder / "images"
        for name, blob in images.items():
            target = img_dir / name
            if not target.exists() or target.stat().st_size != len(blob):
                _atomic_write(target, blob)
        _atomic_write(
            self.json_path,
            json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
        )
        wanted = set(images)
        if img_dir.is_dir():
            for old in img_dir.iterdir():
                if old.name not in wanted and not old.name.startswith("."):
                    old.unlink(missing_ok=True)

    def load(self) -> tuple[dict[str, Any], dict[str, bytes]] | None:
        """The saved draft, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.json_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != DRAFT_VERSION:
            return None
        images: dict[str, bytes] = {}
        for name in data.get("image_files", []):
            try:
                images[str(name)] = (self.folder / "images" / str(name)).read_bytes()
            except OSError:
                continue
        return data, images

    def clear(self) -> None:
        self.json_path.unlink(missing_ok=True)
        img_dir = self.folder / "images"
        if img_dir.is_dir():
            for f in img_dir.iterdir():
                f.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the flow


@dataclass
class FlowDeps:
    """What the flow uses from other areas; ``FlowDeps.defaults(ctx)`` for the real thing."""

    form_state: Callable[[str], FormStateLike]
    form_categories: Callable[[str], list[CategoryView]]
    submitter: Submitter
    start_diagnostics: Callable[[], DiagnosticsRun] | None
    incidents: IncidentSource = field(default_factory=NoIncidents)
    capturer: Capturer | None = None
    incidents_wait_s: float = INCIDENTS_WAIT_S

    @classmethod
    def defaults(cls, ctx: AppContext) -> FlowDeps:
        cache: dict[str, FormStateLike] = {}

        def make_state(language: str) -> FormStateLike:
            state = default_form_state(ctx, language)
            cache["last"] = state
            return state

        def categories(language: str) -> list[CategoryView]:
            state = cache.get("last") or make_state(language)
            return categories_of(state, language)

        def submitter() -> TicketAwareSubmitter:
            from app.helpdesk.service import outbox_submitter

            return outbox_submitter(ctx, wait_s=SEND_WAIT_S)

        enabled = bool(ctx.settings.get("diagnostics.enabled"))
        return cls(
            form_state=make_state,
            form_categories=categories,
            submitter=LazySubmitter(submitter),
            start_diagnostics=(lambda: start_default_diagnostics(ctx)) if enabled else None,
            incidents=default_incidents(ctx),
            capturer=ScreenCapturer(ctx) if ctx.settings.get("capture.enabled") else None,
        )


def default_incidents(ctx: AppContext) -> IncidentSource:
    """The destination's incidents and open tickets (none for the folder destination)."""
    if not ctx.settings.get("tray.show_incidents"):
        return NoIncidents()
    if (ctx.settings.get("destination.type") or "folder") == "folder":
        return NoIncidents()  # a folder has neither; skip loading the delivery layer
    from app.helpdesk.service import incident_source

    return incident_source(ctx) or NoIncidents()


def _pick(text: Any, language: str) -> str:
    from app.form.texts import pick

    return pick(text, language)


def categories_of(state: FormStateLike, language: str) -> list[CategoryView]:
    """The categories of the form behind a ``FormState`` (its ``form`` attribute)."""
    form = state.form
    return [
        CategoryView(c.id, _pick(c.label, language), _pick(c.description, language))
        for c in form.categories
    ]


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


class ReportFlow:
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
        self.result: SubmitResult | None = None
        self.error = ""
        self.dirty = False
        self._shown_errors = False
        self._diag_run: DiagnosticsRun | None = None
        self._diagnostics: Diagnostics | None = None
        self._incidents: list[IncidentInfo] = []
        self._tickets: list[OpenTicket] = []
        self._joined: set[str] = set()
        self.add_to_ticket = ""
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
        resumed = self.restore_draft()
        if self.deps.start_diagnostics is not None and self._diag_run is None:
            self._diag_run = self.deps.start_diagnostics()
        if self.ctx.settings.get("tray.show_incidents"):
            if post is None:
                self._incidents, self._tickets = fetch_incidents(self.deps.incidents,
                                                                 self.deps.incidents_wait_s)
            else:
                source = self.deps.incidents

                def work() -> None:
                    found = fetch_incidents(source, 30.0)
                    post(lambda: self._incidents_arrived(*found))

                threading.Thread(target=work, name="flare-incidents", daemon=True).start()
        if not resumed:
            self.page = self.pages()[0]
        return resumed

    def _incidents_arrived(self, incidents: list[IncidentInfo],
                           tickets: list[OpenTicket]) -> None:
        self._incidents, self._tickets = incidents, tickets
        if incidents or tickets:
            # Offered, never forced: the page the person is on stays (a page that changes
            # under the keys being typed is how the first round lost reports).
            self._changed("incidents")

    def pages(self) -> list[Page]:
        """The pages this report goes through, in order (empty ones left out)."""
        out: list[Page] = []
        if self._incidents or self._tickets:
            out.append("incidents")
        out += ["category", "questions"]
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
        pages = self.pages()
        i = pages.index(self.page) if self.page in pages else 0
        self.go(pages[min(i + 1, len(pages) - 1)])
        self.save_draft()
        return ""

    def back(self) -> None:
        pages = self.pages()
        i = pages.index(self.page) if self.page in pages else 0
        if i > 0 and self.page != "sent":
            self.go(pages[i - 1])

    # --- incidents -----------------------------------------------------------------------------

    def incidents(self) -> list[IncidentInfo]:
        return list(self._incidents)

    def open_tickets(self) -> list[OpenTicket]:
        return list(self._tickets)

    def affected_too(self, incident_id: str, affected: bool = True) -> None:
        if affected:
            self._joined.add(incident_id)
        else:
            self._joined.discard(incident_id)
        self._changed("incidents")

    def joined_incidents(self) -> set[str]:
        return set(self._joined)

    def choose_ticket(self, ticket_id: str) -> None:
        """Add this report to an open ticket ("" for a new ticket)."""
        self.add_to_ticket = ticket_id
        self._changed("incidents")

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
            value = self._prefills.get(getattr(q, "role", None) or "")
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
        issues = self.issues()
        out = []
        for q in self.form.visible_questions():
            value, dont_know = self.answers.get(q.id, (None, False))
            out.append(
                QuestionView(
                    id=q.id,
                    type=q.type,
                    text=_pick(q.text, self.language),
                    help=_pick(getattr(q, "help", None), self.language),
                    example=_pick(getattr(q, "example", None), self.language),
                    required=bool(getattr(q, "required", True)),
                    allow_dont_know=bool(getattr(q, "allow_dont_know", False)),
                    options=tuple(
                        (o.id, _pick(o.label, self.language)) for o in getattr(q, "options", [])
                    ),
                    value=value,
                    dont_know=dont_know,
                    issues=tuple(issues.get(q.id, [])),
                )
            )
        return out

    def quality(self) -> int:
        return int(self.form.quality()) if self.category else 0

    def subject(self) -> str:
        return self.form.subject() if self.category else ""

    def set_subject(self, text: str) -> None:
        self.form.set_subject(text or None)
        self.subject_edited = bool(text.strip())
        self._touch("subject")

    # --- screenshots ---------------------------------------------------------------------------

    def _new_key(self) -> str:
        self._key_counter += 1
        return f"e{self._key_counter}"

    def add_evidence(self, step: Step, image: bytes, original: bytes | None = None) -> Evidence:
        ev = Evidence(self._new_key(), step, image, original)
        self.evidence.append(ev)
        if len(self.evidence) == 1:
            # "When did it happen?" is, unless the person says otherwise, when the first
            # screenshot of it was taken.
            local = step.captured_at.astimezone()
            now = self.ctx.clock().astimezone()
            when = (f"earlier_today:{local:%H:%M}" if local.date() == now.date()
                    else f"pick:{local:%Y-%m-%dT%H:%M}")
            self.prefill("when", when)
        self._touch("evidence")
        return ev

    def capture(self) -> Evidence:
        """A new screenshot through the capturer (raises capture's error with its hint)."""
        if self.deps.capturer is None:
            raise FlareError(self.t.tr("Screenshots are turned off by your organisation."))
        step, data = self.deps.capturer.capture(len(self.evidence) + 1)
        return self.add_evidence(step, data)

    def add_replay(self, snapshot: Any, indexes: Sequence[int]) -> int:
        """Export the chosen frames of a replay snapshot into the report, in time order."""
        for i in sorted(set(indexes)):
            step, data = export_replay_frame(snapshot, i)
            self.add_evidence(step, data)
        return len(set(indexes))

    def add_recorded(self, recorder: Any) -> int:
        """Add the steps of a finished ``capture.recorder.StepRecorder``; returns how many."""
        from capture.export import Exporter, ExportOptions

        steps, files = recorder.export(Exporter(ExportOptions()), first=len(self.evidence) + 1)
        for s in steps:
            self.add_evidence(s, files[s.image])
        return len(steps)

    def page_after_recording(self) -> Page:
        """Where the report goes on after the step recorder stops: the questions still to
        answer first, the screenshots once everything is said."""
        if not self.category:
            return "category"
        if self.blocking_count() or not self.form.can_submit(self.min_quality):
            return "questions"
        return "screenshots" if "screenshots" in self.pages() else "questions"

    def _find(self, key: str) -> Evidence:
        for ev in self.evidence:
            if ev.key == key:
                return ev
        raise KeyError(key)

    def set_caption(self, key: str, caption: str) -> None:
        ev = self._find(key)
        ev.step = ev.step.model_copy(update={"caption": caption})
        self._touch("evidence")

    def set_included(self, key: str, included: bool) -> None:
        self._find(key).included = included
        self._touch("evidence")

    def remove_evidence(self, key: str) -> None:
        self.evidence = [e for e in self.evidence if e.key != key]
        self._touch("evidence")

    def move_evidence(self, key: str, delta: int) -> None:
        i = self.evidence.index(self._find(key))
        j = max(0, min(len(self.evidence) - 1, i + delta))
        self.evidence.insert(j, self.evidence.pop(i))
        self._touch("evidence")

    def set_annotations(self, key: str, annotations: Sequence[Annotation]) -> None:
        """Draw ``annotations`` (redactions solid) onto the original; that is what is sent.

        The original stays on this machine (in the draft) so the shapes can be changed later.
        """
        ev = self._find(key)
        original = ev.original if ev.original is not None else ev.image
        ev.original = original
        ev.image = render_annotations(original, ev.step.media_type, annotations)
        ev.step = ev.step.model_copy(update={"annotations": list(annotations)})
        self._touch("evidence")

    # --- diagnostics ---------------------------------------------------------------------------

    def diagnostics_done(self) -> bool:
        return self._diagnostics is not None or self._diag_run is None or self._diag_run.done()

    def diagnostics(self, wait_s: float | None = 0.0) -> Diagnostics:
        """The collected diagnostics (what has finished by now when ``wait_s`` is 0)."""
        if self._diagnostics is not None:
            return self._diagnostics
        if self._diag_run is None:
            return Diagnostics()
        if self._diag_run.done() or wait_s is None or wait_s > 0:
            self._diagnostics = self._diag_run.result(timeout=wait_s)
            return self._diagnostics
        return Diagnostics()

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
        from app.render.html import render_html

        fields = dict(self.form.to_report_fields()) if self.category else {}
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
        fields.setdefault("priority", self.form.priority() if self.category else Priority())
        # "Reported" is when the person sends it (the bundle shown on the review page is the
        # one sent), not when the draft began; what happened cannot have happened later.
        reported = self.ctx.clock()
        happened = fields.get("happened_at")
        if isinstance(happened, datetime) and happened > reported:
            fields["happened_at"] = reported
        report = Report(
            id=self.report_id,
            created_at=reported,
            locale=self.language,
            support_locale=support_language(self.ctx.settings.get("support.language"),
                                            self.language),
            reporter=identity.reporter(self.ctx, name=self.reporter_name,
                                       email=self.reporter_email),
            machine=identity.machine(),
            steps=steps,
            consent=consent,
            **fields,
        )
        sent_diag = diagnostics.model_copy(update={"sections": kept})
        bundle = Bundle(report=report, diagnostics=sent_diag, files=files)
        bundle.html = render_html(bundle)
        return bundle

    def review_files(self, bundle: Bundle) -> list[FileEntry]:
        """Every file the bundle will hold, with its size and what it is."""
        diag_json = json.dumps(bundle.diagnostics.model_dump(mode="json"), indent=2)
        report_json = json.dumps(bundle.report.model_dump(mode="json"), indent=2)
        out = [
            FileEntry("report.html", len(bundle.html.encode("utf-8")),
                      self.t.tr("The report as support reads it (shown here)")),
            FileEntry("report.json", len(report_json.encode("utf-8")),
                      self.t.tr("The same report as data, for the helpdesk")),
            FileEntry("diagnostics.json", len(diag_json.encode("utf-8")),
                      self.t.tr("The diagnostics you kept ticked")),
        ]
        for step in bundle.report.steps:
            out.append(FileEntry(step.image, len(bundle.files[step.image]),
                                 step.caption or self.t.tr("Screenshot")))
        for att in bundle.report.attachments:
            out.append(FileEntry(att.file, len(bundle.files[att.file]), att.name))
        return out

    def submit(self) -> str:
        """Send the reviewed report and wait for it; return why it failed ("" when it went).
        The window uses :meth:`begin_submit` instead, which does the work off its thread."""
        job = self.begin_submit()
        if isinstance(job, str):
            return job
        return self.end_submit(job())

    def begin_submit(
        self, reviewed: Bundle | None = None
    ) -> str | Callable[[], SubmitResult | str]:
        """Why the report cannot be sent now, or the job that sends it: a callable that may
        run on any thread and returns the result or the error text for :meth:`end_submit`.
        ``reviewed`` is the bundle the review page showed: exactly that is sent."""
        reason = self.can_leave() if self.page == "review" else ""
        if reason:
            return reason
        options = SubmitOptions(self.add_to_ticket, tuple(sorted(self._joined)))
        submitter = self.deps.submitter
        if reviewed is not None:
            # Pressing Send is the consent: recorded on exactly the bundle that was shown.
            consent = reviewed.report.consent.model_copy(
                update={"reviewed": True, "reviewed_at": self.ctx.clock()})
            reviewed = dataclasses.replace(
                reviewed, report=reviewed.report.model_copy(update={"consent": consent}))

        def job() -> SubmitResult | str:
            try:
                bundle = reviewed if reviewed is not None else self.build_bundle()
                submit_with = getattr(submitter, "submit_with", None)
                return (submit_with(bundle, options) if callable(submit_with)
                        else submitter.submit(bundle))
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
        return not self.reporter_email

    def set_reporter_email(self, email: str) -> str:
        """Take and remember the person's address; the reason it is refused, or ""."""
        email = email.strip()
        local, at, domain = email.partition("@")
        if not (local and at and "." in domain.strip(".") and " " not in email):
            return self.t.tr("That does not look like an e-mail address (name@example.org).")
        from app.settings import SettingsError

        try:
            self.ctx.settings = self.ctx.settings.set_user(
                "reporter.email", email, self.ctx.dirs.user_settings_file)
        except (SettingsError, OSError) as exc:  # still used for this report
            log.warning("could not remember the e-mail address: %s", exc)
        self.reporter_email = email
        self._changed("reporter")
        return ""

    def destination_text(self) -> str:
        """Where Send puts the report, in the words the Send button's neighbour shows."""
        kind = str(self.ctx.settings.get("destination.type") or "folder")
        if kind == "folder":
            return self.t.tr("Send saves the report in the folder {path}.",
                             path=str(self.ctx.reports_dir()))
        name = DESTINATION_NAMES.get(kind, kind)
        if kind in ("webhook", "spec"):
            name = self.t.tr("your helpdesk")
        if kind == "email":
            return self.t.tr("Send e-mails the report to your helpdesk.")
        if self.add_to_ticket:
            return self.t.tr("Send adds the report to your ticket {ticket} in {helpdesk}.",
                             ticket=self.add_to_ticket, helpdesk=name)
        return self.t.tr("Send opens a new ticket in {helpdesk}.", helpdesk=name)

    def end_submit(self, outcome: SubmitResult | str) -> str:
        """Take the job's outcome (on the window's thread): go to "sent", or say why not."""
        if isinstance(outcome, str):
            self.error = outcome
            self._changed("error")
            return outcome
        self.result = outcome
        self.error = ""
        self.draft.clear()
        self.go("sent")
        return ""

    def check_result(self) -> bool:
        """While the report is still being sent: take the final result if it is there now.
        True when the result changed (the view then shows it)."""
        r = self.result
        if r is None or r.state != "sending" or r.follow is None:
            return False
        final = r.follow()
        if final is None:
            return False
        self.result = final
        self._changed("result")
        return True

    def sent_message(self) -> str:
        """The one line that says where the report is."""
        r = self.result
        if r is None:
            return ""
        if r.state == "sent" and r.added_to_ticket:
            return self.t.tr("Your report was added to your open ticket {number}.",
                             number=r.ticket_number)
        if r.state == "sent":
            return self.t.tr("Your report was sent. Ticket number: {number}",
                             number=r.ticket_number)
        if r.state == "queued":
            return self.t.tr(
                "Your report is queued and will be sent when the helpdesk is reachable."
            )
        if r.state == "failed":
            return self.t.tr(
                "Your report is kept on this computer, but the helpdesk did not accept it. "
                "Please tell your IT department; once they fix it, Flare can send it."
            )
        if r.state == "sending":
            return self.t.tr("Sending your report…")
        return self.t.tr("Your report was saved as {path}", path=str(r.path))

    def sent_details(self) -> list[str]:
        """Why it is queued or refused, in plain words, then what the helpdesk said."""
        r = self.result
        if r is None:
            return []
        out: list[str] = []
        if r.new_instead_of_add:
            out.append(self.t.tr(
                "This helpdesk cannot add to an existing ticket, so your report is a new "
                "ticket that names your open ticket."))
        if r.state in ("queued", "failed"):
            out.append(self._plain_reason(r.reason_kind))
            if r.reason:
                out.append(self.t.tr("Details: {detail}", detail=r.reason))
            # What the helpdesk itself answered; for a network failure that is only the
            # socket error, already said in plain words above.
            said = r.helpdesk_message
            if said and r.reason_kind != "network" and said not in r.reason:
                out.append(self.t.tr("The helpdesk said: {message}", message=said))
        out += r.notes
        return out

    def _plain_reason(self, kind: str) -> str:
        t = self.t
        if kind == "network":
            return t.tr("Why: the helpdesk cannot be reached right now (no network "
                        "connection, or the helpdesk is down).")
        if kind == "server":
            return t.tr("Why: the helpdesk has a problem of its own right now.")
        if kind == "rate_limit":
            return t.tr("Why: the helpdesk is busy and asked Flare to wait a little.")
        if kind == "auth":
            return t.tr("Why: the helpdesk did not accept Flare's sign-in.")
        if kind == "validation":
            return t.tr("Why: the helpdesk refused the report as it is.")
        if kind == "config":
            return t.tr("Why: the connection to the helpdesk is not set up correctly.")
        return t.tr("Why: the first attempt to send did not succeed; Flare tries again by "
                    "itself.")

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
        images: dict[str, bytes] = {}
        evidence = []
        for ev in self.evidence:
            # Named by content: an unchanged image is not written again on the next save.
            img_name = _content_name(ev.image)
            images[img_name] = ev.image
            orig_name = ""
            if ev.original is not None:
                orig_name = _content_name(ev.original)
                images[orig_name] = ev.original
            evidence.append({
                "step": ev.step.model_dump(mode="json"),
                "image": img_name,
                "original": orig_name,
                "included": ev.included,
            })
        data = {
            "version": DRAFT_VERSION,
            "report_id": str(self.report_id),
            "created_at": self.created_at.isoformat(),
            "language": self.language,
            "page": self.page,
            "category": self.category,
            "answers": {
                qid: {"value": _to_json_value(v), "dont_know": dk}
                for qid, (v, dk) in self.answers.items()
            },
            "subject": self.form.subject() if (self.subject_edited and self.category) else None,
            "evidence": evidence,
            "excluded_sections": sorted(self.excluded_sections),
            "add_to_ticket": self.add_to_ticket,
            "affected_incidents": sorted(self._joined),
            "image_files": sorted(images),
        }
        return data, images

    def save_draft(self) -> None:
        if self.page == "sent":
            return
        data, images = self.draft_data()
        self.draft.save(data, images)
        self.dirty = False

    def restore_draft(self) -> bool:
        loaded = self.draft.load()
        if loaded is None:
            return False
        data, images = loaded
        try:
            self.report_id = uuid.UUID(data["report_id"])
            self.created_at = datetime.fromisoformat(data["created_at"])
            if data.get("category"):
                self.set_category(str(data["category"]))
            for qid, a in dict(data.get("answers", {})).items():
                self.set_answer(qid, _from_json_value(a.get("value")), bool(a.get("dont_know")))
            if data.get("subject"):
                self.set_subject(str(data["subject"]))
            self.evidence = []
            for item in data.get("evidence", []):
                blob = images.get(item["image"])
                if blob is None:
                    continue
                ev = self.add_evidence(
                    Step.model_validate(item["step"]), blob, images.get(item.get("original", ""))
                )
                ev.included = bool(item.get("included", True))
            self.excluded_sections = set(data.get("excluded_sections", []))
            self.add_to_ticket = str(data.get("add_to_ticket", ""))
            self._joined = {str(i) for i in data.get("affected_incidents", [])}
            page = data.get("page", "category")
            self.page = page if page in ALL_PAGES and page != "sent" else "category"
        except (KeyError, ValueError, TypeError):
            return False  # a damaged draft: start anew rather than fail
        self.dirty = False
        return True

    def has_content(self) -> bool:
        """Whether the user has put anything in this report worth keeping as a draft."""
        return bool(self.category or self.answers or self.evidence)

    def discard_draft(self) -> None:
        self.draft.clear()
        self.dirty = False


def _content_name(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:24] + ".bin"


# --------------------------------------------------------------------------- instant replay


class InstantReplay:
    """The opt-in replay of the last minute: grabbed in the background, kept in memory only.

    The tray app starts it when policy allows (``capture.replay_enabled``); the report window
    offers its frames and only the ones the user picks are exported into the report.
    """

    def __init__(self, ctx: AppContext) -> None:
        from capture.grab import open_source
        from capture.platform_info import PlatformInfo
        from capture.replay import ReplayBuffer, ReplayRecorder
        from capture.session_lock import lock_probe

        plat = PlatformInfo.detect()
        self.buffer = ReplayBuffer(float(ctx.settings.get("capture.replay_seconds")),
                                   float(ctx.settings.get("capture.replay_interval_s")))
        self.recorder = ReplayRecorder(self.buffer, lambda: open_source(plat), clock=ctx.clock,
                                       is_locked=lock_probe(plat))

    def start(self) -> None:
        self.recorder.start()

    def stop(self) -> None:
        self.recorder.stop()
        self.buffer.clear()

    def pause(self, paused: bool) -> None:
        """While Flare's own windows show, nothing is recorded (they are no evidence)."""
        if paused:
            self.recorder.paused.set()
        else:
            self.recorder.paused.clear()

    def snapshot(self) -> Any:
        """A ``capture.replay.ReplaySnapshot``: the frames as they are when the picker opens."""
        return self.buffer.snapshot()


def export_replay_frame(snapshot: Any, index: int) -> tuple[Step, bytes]:
    from capture.export import Exporter, ExportOptions

    frame = snapshot.frame(index)
    return Exporter(ExportOptions()).export(
        frame, name_stem=f"replay-{frame.captured_at:%H%M%S}-{index:03d}", step_number=None,
        source="replay",
    )

