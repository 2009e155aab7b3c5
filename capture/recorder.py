"""The step recorder: numbered screenshots with captions, bounded by the policy's step limit.

Front ends (the terminal in ``flare record``, the Qt toolbar later) drive one
:class:`StepRecorder`; a global shortcut or a click listener may call :meth:`capture` from
another thread, hence the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace

from app.report import Annotation, Step, StepSource
from capture.errors import CaptureError, StepLimitReachedError
from capture.export import Exporter, PreparedImage
from capture.grab import Frame
from capture.markers import click_marker

STEP_WEBP_METHOD = 2
"""Steps are encoded at Stop, off the click path: WebP lossless method 2 makes a 1080p business
screen about 25 KB instead of method 0's 120 KB for some 80 ms instead of 45 (bench/steps.py);
methods 4 and 6 are no smaller there and twice as slow."""

GrabAt = Callable[[tuple[int, int] | None], Frame]
"""Grab for a step; the argument is a click point (desktop coordinates) when there is one."""


@dataclass
class RecordedStep:
    frame: Frame
    caption: str = ""
    source: StepSource = "step"
    click: tuple[int, int] | None = None  # image coordinates
    annotations: list[Annotation] = field(default_factory=list)
    description: str = ""  # what the step did, e.g. "Left click on 'Send' (button) in ..."
    marker: bool = False  # the click is a numbered marker shape, not burnt into the image
    prepared: dict[Hashable, tuple[PreparedImage, bytes | None]] = field(
        default_factory=dict, repr=False, compare=False)
    """Images made ahead by :meth:`StepRecorder.prepare`, by what they depend on."""


class StepRecorder:
    def __init__(
        self,
        grab: GrabAt,
        *,
        step_limit: int = 50,
        on_change: Callable[[StepRecorder], None] | None = None,
    ) -> None:
        if step_limit < 1:
            raise ValueError("the step limit must be at least 1")
        self._grab = grab
        self.step_limit = step_limit
        self._on_change = on_change
        self._steps: list[RecordedStep] = []
        self._lock = threading.RLock()
        self.recording = False

    @property
    def steps(self) -> list[RecordedStep]:
        with self._lock:
            return list(self._steps)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._steps)

    @property
    def remaining(self) -> int:
        return max(0, self.step_limit - self.count)

    def counter_text(self) -> str:
        """What the toolbar shows, e.g. ``Step 3 of 50``."""
        return f"Step {self.count} of {self.step_limit}"

    def start(self) -> None:
        self.recording = True
        self._changed()

    def stop(self) -> None:
        self.recording = False
        self._changed()

    def capture(self, caption: str = "", *, click: tuple[int, int] | None = None) -> RecordedStep:
        """Grab one step now. ``click`` is in desktop coordinates."""
        with self._lock:
            self._check_room()
            frame = self._grab(click)
            step = RecordedStep(frame, caption.strip(), "step", _image_point(frame, click))
            self._steps.append(step)
        self._changed()
        return step

    def add(self, frame: Frame, *, click: tuple[int, int] | None = None,
            description: str = "") -> RecordedStep:
        """A step grabbed elsewhere (at a click, on the listener's thread); ``click`` is in
        desktop coordinates."""
        with self._lock:
            self._check_room()
            step = RecordedStep(frame, "", "step", _image_point(frame, click),
                                description=description.strip(), marker=click is not None)
            self._steps.append(step)
        self._changed()
        return step

    def _check_room(self) -> None:
        if not self.recording:
            raise CaptureError("The step recorder is stopped; start it first.", 2)
        if len(self._steps) >= self.step_limit:
            raise StepLimitReachedError(
                f"This report already has {self.step_limit} steps, the most allowed; "
                "stop recording or remove a step first.",
                1,
            )

    def set_description(self, index: int, description: str) -> None:
        with self._lock:
            self._steps[index].description = description.strip()
        self._changed()

    def set_caption(self, index: int, caption: str) -> None:
        with self._lock:
            self._steps[index].caption = caption.strip()
        self._changed()

    def set_annotations(self, index: int, annotations: Sequence[Annotation]) -> None:
        with self._lock:
            self._steps[index].annotations = list(annotations)
        self._changed()

    def remove(self, index: int) -> None:
        with self._lock:
            del self._steps[index]
        self._changed()

    def export(
        self, exporter: Exporter, first: int = 1, originals: dict[str, bytes] | None = None
    ) -> tuple[list[Step], dict[str, bytes]]:
        """Steps numbered from ``first`` (the report may hold steps already) in order, with
        their encoded images by file name.

        A step taken at a click gets a numbered marker as annotation data
        (:mod:`capture.markers`); pass ``originals`` to receive those steps' images without
        any shape, which is what lets the person remove the marker before sending.
        """
        steps: list[Step] = []
        files: dict[str, bytes] = {}
        for number, rec in enumerate(self.steps, start=first):
            shapes, burn = self._shapes(rec, number)
            image, plain = rec.prepared.get(_key(exporter, number, shapes, burn)) or (
                self._make(rec, exporter, number, shapes, burn, originals is not None))
            step, data = exporter.export(
                rec.frame,
                name_stem=f"step-{number:03d}",
                step_number=number,
                caption=rec.caption,
                source=rec.source,
                annotations=shapes,
                click=burn,
                description=rec.description,
                prepared=image,
            )
            steps.append(step)
            files[step.image] = data
            if originals is not None and plain is not None:
                originals[step.image] = plain
        return steps, files

    def prepare(self, rec: RecordedStep, exporter: Exporter, first: int = 1) -> None:
        """Make ``rec``'s image now, numbered as :meth:`export` from ``first`` would number
        it, so that the export with an equal exporter need not: encoding is the slow part,
        and between two clicks there is time for it. Safe from another thread."""
        with self._lock:
            if rec not in self._steps:
                return  # removed meanwhile
            number = first + self._steps.index(rec)
        shapes, burn = self._shapes(rec, number)
        made = self._make(rec, exporter, number, shapes, burn, True)
        rec.prepared[_key(exporter, number, shapes, burn)] = made

    @staticmethod
    def _shapes(rec: RecordedStep, number: int) -> tuple[list[Annotation], tuple[int, int] | None]:
        shapes = list(rec.annotations)
        if rec.marker and rec.click is not None:
            return shapes + click_marker(*rec.click, number, rec.frame.image.size), None
        return shapes, rec.click

    @staticmethod
    def _make(rec: RecordedStep, exporter: Exporter, number: int, shapes: list[Annotation],
              burn: tuple[int, int] | None,
              original: bool) -> tuple[PreparedImage, bytes | None]:
        stem = f"step-{number:03d}"
        image = exporter.prepare(rec.frame, name_stem=stem, step_number=number,
                                 annotations=shapes, click=burn)
        plain = None
        if original and shapes:
            # The original stays on this machine (never sent): the fastest encoding will do.
            local = Exporter(replace(exporter.options, webp_method=0))
            plain = local.prepare(rec.frame, name_stem=stem, step_number=number).data
        return image, plain

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self)


def _key(exporter: Exporter, number: int, shapes: list[Annotation],
         burn: tuple[int, int] | None) -> Hashable:
    return (exporter.options, number, tuple(a.model_dump_json() for a in shapes), burn)


def _image_point(frame: Frame, click: tuple[int, int] | None) -> tuple[int, int] | None:
    if click is None:
        return None
    m = frame.monitor
    return round((click[0] - m.left) * m.scale), round((click[1] - m.top) * m.scale)
