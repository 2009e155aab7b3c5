"""The report flow's screenshots: taking, adding, captioning, ordering and annotating them (a
part of :class:`app.flow.workflow.ReportFlow`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.context import AppContext
from app.errors import FlareError
from app.flow.deps import FlowDeps
from app.flow.evidence import Evidence, export_options, export_replay_frame, render_annotations
from app.i18n import Translator
from app.report import Annotation, Step


class ScreenshotsMixin:
    """The screenshots part of :class:`app.flow.workflow.ReportFlow`, which sets these fields."""

    ctx: AppContext
    deps: FlowDeps
    t: Translator
    evidence: list[Evidence]
    _key_counter: int

    if TYPE_CHECKING:
        def prefill(self, role: str, value: Any) -> None: ...
        def _touch(self, what: str) -> None: ...

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

    def add_frame(self, frame: Any, caption: str = "") -> Evidence:
        """A grabbed ``capture.grab.Frame`` (a region or a window the person chose), stamped
        and encoded as the report's screenshots are."""
        from capture.export import Exporter

        if self.deps.capturer is None:
            raise FlareError(self.t.tr("Screenshots are turned off by your organisation."))
        number = len(self.evidence) + 1
        step, data = Exporter(export_options(self.ctx.settings)).export(
            frame, name_stem=f"step-{number:03d}", step_number=number, caption=caption)
        return self.add_evidence(step, data)

    def add_replay(self, snapshot: Any, indexes: Sequence[int]) -> int:
        """Export the chosen frames of a replay snapshot into the report, in time order."""
        for i in sorted(set(indexes)):
            step, data = export_replay_frame(snapshot, i, self.ctx.settings)
            self.add_evidence(step, data)
        return len(set(indexes))

    def add_recorded(self, recorder: Any) -> int:
        """Add the steps of a finished ``capture.recorder.StepRecorder``; returns how many."""
        from capture.export import Exporter
        from capture.recorder import STEP_WEBP_METHOD

        # The originals (no shapes) let the person remove the click markers before sending.
        originals: dict[str, bytes] = {}
        options = dataclasses.replace(export_options(self.ctx.settings),
                                      webp_method=STEP_WEBP_METHOD)
        steps, files = recorder.export(Exporter(options), first=len(self.evidence) + 1,
                                       originals=originals)
        for s in steps:
            self.add_evidence(s, files[s.image], originals.get(s.image))
        return len(steps)

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
