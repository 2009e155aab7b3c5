"""Turning a grabbed :class:`~capture.grab.Frame` into what leaves the machine.

Order matters: annotations and redactions at original resolution, then the click marker,
then any downscale, then the stamp (sized for the final image), then encoding. The original
frame is never encoded, so unredacted pixels cannot end up in an exported file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from capture.annotate import draw_click_marker, redact, render
from capture.encode import ImageFormat, downscale, encode
from capture.fonts import FontCache
from capture.geometry import Placement
from capture.grab import Frame
from capture.stamp import Stamper, StampPolicy, stamp_text

if TYPE_CHECKING:
    from app.report import Annotation, MonitorInfo, Step, StepSource


@dataclass(frozen=True)
class ExportOptions:
    fmt: ImageFormat = "webp"
    stamp: StampPolicy = field(default_factory=StampPolicy)
    max_size: tuple[int, int] | None = None
    include_window_title: bool = True
    tz: tzinfo | None = None
    webp_method: int = 0  # 0 at the moment of a grab; steps encoded later can afford more


def _scaled(annotations: Sequence[Annotation], factor: float) -> list[Annotation]:
    if factor == 1.0:
        return list(annotations)
    return [
        a.model_copy(
            update={
                "x": round(a.x * factor),
                "y": round(a.y * factor),
                "w": max(1, round(a.w * factor)) if a.w > 0 else round(a.w * factor),
                "h": max(1, round(a.h * factor)) if a.h > 0 else round(a.h * factor),
            }
        )
        for a in annotations
    ]


def _outward(a: Annotation, factor: float) -> Annotation:
    x0, y0 = math.floor(a.x * factor), math.floor(a.y * factor)
    x1, y1 = math.ceil((a.x + a.w) * factor), math.ceil((a.y + a.h) * factor)
    return a.model_copy(update={"x": x0, "y": y0, "w": max(1, x1 - x0), "h": max(1, y1 - y0)})


class Exporter:
    def __init__(self, options: ExportOptions, fonts: FontCache | None = None) -> None:
        self.options = options
        self._fonts = fonts or FontCache()
        self._stamper = Stamper(options.stamp, self._fonts)

    def export(
        self,
        frame: Frame,
        *,
        name_stem: str,
        step_number: int | None,
        caption: str = "",
        source: StepSource = "screenshot",
        annotations: Sequence[Annotation] = (),
        click: tuple[int, int] | None = None,
        description: str = "",
        prepared: PreparedImage | None = None,
    ) -> tuple[Step, bytes]:
        """Return the step's metadata and the encoded, stamped, redacted image; ``prepared``
        is that image made earlier by :meth:`prepare` with the same arguments."""
        # Imported here, not at the top: `flare capture` writes its metadata through
        # export_plain() and so never loads the report model (pydantic: ~80 ms of start-up).
        from app.report import Step

        image = prepared or self._image(frame, name_stem, step_number, annotations, click)
        step = Step(
            image=image.name,
            media_type=image.media_type,
            captured_at=frame.captured_at,
            monotonic_s=frame.monotonic_s,
            caption=caption,
            description=description,
            source=source,
            width=image.width,
            height=image.height,
            monitor=_monitor_fields(frame.monitor),
            window_title=frame.window_title if self.options.include_window_title else None,
            annotations=image.annotations,
            note=image.note,
        )
        return step, image.data

    def prepare(
        self,
        frame: Frame,
        *,
        name_stem: str,
        step_number: int | None,
        annotations: Sequence[Annotation] = (),
        click: tuple[int, int] | None = None,
    ) -> PreparedImage:
        """The image part of :meth:`export`, to be made ahead (e.g. between two clicks)."""
        return self._image(frame, name_stem, step_number, annotations, click)

    def export_plain(
        self, frame: Frame, *, name_stem: str, step_number: int | None
    ) -> tuple[dict[str, Any], bytes]:
        """:meth:`export` without annotations, the Step as the plain JSON object its model
        writes (a unit test holds the two to the same output)."""
        image = self._image(frame, name_stem, step_number, (), None)
        step = {
            "image": image.name,
            "media_type": image.media_type,
            "captured_at": _json_time(frame.captured_at),
            "monotonic_s": frame.monotonic_s,
            "caption": "",
            "description": "",
            "source": "screenshot",
            "width": image.width,
            "height": image.height,
            "monitor": _monitor_fields(frame.monitor),
            "window_title": frame.window_title if self.options.include_window_title else None,
            "annotations": [],
            "note": image.note,
        }
        return step, image.data

    def _image(
        self,
        frame: Frame,
        name_stem: str,
        step_number: int | None,
        annotations: Sequence[Annotation],
        click: tuple[int, int] | None,
    ) -> PreparedImage:
        opts = self.options
        image = render(frame.image, annotations, self._fonts)
        notes = [frame.note] if frame.note else []
        if click is not None:
            draw_click_marker(image, *click)
            notes.append(f"clicked at ({click[0]}, {click[1]})")
        factor = 1.0
        if opts.max_size is not None:
            original_width = image.width
            image, note = downscale(image, *opts.max_size)
            if note:
                notes.append(note)
                factor = image.width / original_width
                # Resampling blends the fill's edges with neighbours; fill again at the new
                # size (rounded outwards) so the whole redacted area stays uniform.
                for a in annotations:
                    if a.kind == "redact":
                        redact(image, _outward(a, factor))
        self._stamper.apply(image, stamp_text(frame.captured_at, step_number, opts.tz))
        encoded = encode(image, opts.fmt, method=opts.webp_method)
        return PreparedImage(
            data=encoded.data,
            name=f"{name_stem}.{encoded.extension}",
            media_type=encoded.media_type,
            width=image.width,
            height=image.height,
            annotations=_scaled(annotations, factor),
            note="; ".join(notes),
        )


@dataclass(frozen=True)
class PreparedImage:
    """An exported image and what its Step records about it."""

    data: bytes
    name: str
    media_type: str
    width: int
    height: int
    annotations: list[Annotation]
    note: str


def _monitor_fields(monitor: Placement | MonitorInfo) -> dict[str, Any]:
    if isinstance(monitor, Placement):
        return asdict(monitor)
    return monitor.model_dump()  # already the report model's MonitorInfo


def _json_time(t: datetime) -> str:
    # As pydantic writes an aware datetime: ISO 8601, "Z" for UTC.
    text = t.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def dumps_step(step: dict[str, Any]) -> str:
    """The JSON text ``Step.model_dump_json(indent=2)`` writes for the same step."""
    return json.dumps(step, indent=2, ensure_ascii=False)
