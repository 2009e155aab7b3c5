"""What the report flow (:class:`app.flow.workflow.ReportFlow`) uses from other areas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.flow.ports import (
    Capturer,
    DiagnosticsRun,
    FormStateLike,
    Incident,
    IncidentSource,
    NoIncidents,
    Submitter,
)
from app.flow.views import CategoryView

# The bundle (its writer, reader and renderer) is first needed at the review: opening the
# window does without its imports.
if TYPE_CHECKING:
    from app.bundle import Bundle

# How long the window waits for the helpdesk's incidents and open tickets before showing the
# form without them (when it does not take them as they arrive).
INCIDENTS_WAIT_S = 1.0


@dataclass
class FlowDeps:
    """What the flow uses from other areas; ``app.wiring.flow_deps(ctx)`` for the real thing."""

    form_state: Callable[[str], FormStateLike]
    form_categories: Callable[[str], list[CategoryView]]
    submitter: Submitter
    start_diagnostics: Callable[[], DiagnosticsRun] | None
    incidents: IncidentSource = field(default_factory=NoIncidents)
    capturer: Capturer | None = None
    incidents_wait_s: float = INCIDENTS_WAIT_S
    # Remembers a known incident the person joined, so the tray or agent follows it.
    follow_incident: Callable[[Incident], None] | None = None
    # The files the destination will receive for a bundle (app.helpdesk.preview); None:
    # the bundle's own files (the folder destination).
    destination_files: Callable[[Bundle], list[Any] | None] | None = None
    # Builds, ahead of time, the state the next form_state(language) returns (the tray does
    # it while its menu is open, so the window does not spend the time at the click).
    prepare_form_state: Callable[[str], None] | None = None
