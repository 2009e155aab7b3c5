"""The composition root: builds the real form engine, capture, diagnostics, outbox submitter and
incident source for the report window, so that no lower layer has to import upward.

The tray (app/ui/app.py) calls :func:`flow_deps`; tests build ``FlowDeps`` with their own parts.
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.context import AppContext
from app.errors import FlareError
from app.flow.deps import FlowDeps
from app.flow.ports import (
    DiagnosticsRun,
    FinishedRun,
    FormStateLike,
    Incident,
    IncidentSource,
    NoIncidents,
    Submitter,
)
from app.flow.views import CategoryView, categories_of
from app.helpdesk.submission import Outcome
from app.i18n import Translator
from app.report import Diagnostics, Step
from app.version import flare_version

log = logging.getLogger("flare.ui")

if TYPE_CHECKING:
    from app.bundle import Bundle

# How long Send waits for the first attempt before the window says "sending…".
SEND_WAIT_S = 2.0


def find_personal_data(kinds: Sequence[str], data: Any) -> Counter[str]:
    """How much personal data of ``kinds`` is left in ``data``: the check the helpdesk layer
    makes at send time, with diagnostics' redactor (its sibling, so it is handed in here)."""
    from diagnostics.redact import Redactor

    return Redactor(kinds).data(data)[1]


class LazySubmitter:
    """A submitter made when the first report is sent: opening the window needs neither the
    delivery layer's imports nor its outbox."""

    def __init__(self, make: Callable[[], Submitter]) -> None:
        self._make = make
        self._made: Submitter | None = None

    def submit(self, bundle: Bundle) -> Outcome:
        if self._made is None:
            self._made = self._make()
        return self._made.submit(bundle)


def start_default_diagnostics(ctx: AppContext) -> DiagnosticsRun:
    """Start the built-in collectors in the background (diagnostics/ runner)."""
    try:
        from diagnostics import registry
        from diagnostics.collector import CollectContext, current_platform
        from diagnostics.runner import start_collection
    except ImportError:  # a build without the diagnostics package
        return FinishedRun(Diagnostics())
    loaded = registry.load()
    collectors = registry.select(registry.sort(loaded.collectors), current_platform())
    cctx = CollectContext.from_settings(ctx.settings, flare_version=flare_version())
    return start_collection(collectors, cctx, clock=ctx.clock)


class ScreenCapturer:
    """Grabs the whole desktop with capture/ (stamp + encode), as the toolbar's "Capture"."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def capture(self, number: int) -> tuple[Step, bytes]:
        from app.flow.evidence import export_options
        from capture.export import Exporter
        from capture.grab import Grabber, open_source
        from capture.platform_info import PlatformInfo

        plat = PlatformInfo.detect()
        source = open_source(plat)
        try:
            frame = Grabber(source, plat, clock=self._ctx.clock).grab("all")
        finally:
            source.close()
        return Exporter(export_options(self._ctx.settings)).export(
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


def flow_deps(ctx: AppContext) -> FlowDeps:
    """The real parts of the report window's flow, as the settings configure them."""
    cache: dict[str, FormStateLike] = {}

    spare: dict[str, FormStateLike] = {}

    def make_state(language: str) -> FormStateLike:
        state = spare.pop(language, None) or default_form_state(ctx, language)
        spare.clear()
        cache["last"] = state
        return state

    def prepare_state(language: str) -> None:
        spare[language] = state = default_form_state(ctx, language)
        cache["last"] = state

    def categories(language: str) -> list[CategoryView]:
        state = cache.get("last") or make_state(language)
        return categories_of(state, language)

    def submitter() -> Submitter:
        from app.helpdesk.configured import outbox_submitter

        return outbox_submitter(ctx, wait_s=SEND_WAIT_S, finder=find_personal_data)

    enabled = bool(ctx.settings.get("diagnostics.enabled"))
    return FlowDeps(
        form_state=make_state,
        form_categories=categories,
        submitter=LazySubmitter(submitter),
        start_diagnostics=(lambda: start_default_diagnostics(ctx)) if enabled else None,
        incidents=default_incidents(ctx),
        capturer=ScreenCapturer(ctx) if ctx.settings.get("capture.enabled") else None,
        follow_incident=lambda inc: follow_incident(ctx, inc),
        destination_files=lambda bundle: destination_files(ctx, bundle),
        prepare_form_state=prepare_state,
    )


def follow_incident(ctx: AppContext, incident: Incident) -> None:
    """Follow a joined incident from the tray or agent (``incidents.follow_minutes``)."""
    from app.helpdesk.incident_follow import join

    minutes = float(ctx.settings.get("incidents.follow_minutes") or 45)
    join(ctx.dirs.state, incident, now=ctx.clock().timestamp(), interval_s=minutes * 60)


def destination_files(ctx: AppContext, bundle: Any) -> list[Any] | None:
    """What the configured destination receives for ``bundle`` (None: the whole bundle)."""
    if (ctx.settings.get("destination.type") or "folder") == "folder":
        return None  # the bundle as it is; skip loading the delivery layer
    from app.helpdesk.configured import destination_config
    from app.helpdesk.preview import destination_files as prepared

    try:
        return prepared(destination_config(ctx), bundle)
    except FlareError as exc:  # a spec that does not load: Send says why; list the bundle
        log.info("files for the destination not known: %s", exc)
        return None


def default_incidents(ctx: AppContext) -> IncidentSource:
    """The destination's incidents and open tickets (none for the folder destination)."""
    if not ctx.settings.get("tray.show_incidents"):
        return NoIncidents()
    feeds = ctx.settings.get("incidents.feeds") or []
    if ((ctx.settings.get("destination.type") or "folder") == "folder"
            and not [f for f in feeds if isinstance(f, dict) and f.get("type") != "helpdesk"]):
        # A folder has neither incidents nor tickets, and no status page or feed is set:
        # skip loading the delivery layer.
        return NoIncidents()
    from app.helpdesk.configured import incident_source

    return incident_source(ctx) or NoIncidents()
