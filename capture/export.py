"""Turning a grabbed :class:`~capture.grab.Frame` into what leaves the machine.

Order matters: annotations and redactions at original resolution, then the click marker,
then any downscale, then the stamp (sized for the final image), then encoding. The original
frame is never encoded, so unredacted pixels cannot end up in an exported file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from app.report import Annotation, Step, StepSource
from capture.annotate import draw_click_marker, redact, render
from capture.encode import ImageFormat, downscale, encode
from capture.fonts import FontCache
from capture.grab import Frame
from capture.stamp import Stamper, StampPolicy, stamp_text


@dataclass(frozen=True)
class ExportOptions:
    fmt: ImageFormat = "webp"
    stamp: StampPolicy = field(default_factory=StampPolicy)
    max_size: tuple[int, int] | None = None
    include_window_title: bool = True
    tz: tzinfo | None = None


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
    ) -> tuple[Step, bytes]:
        """Return the step's metadata and the encoded, stamped, redacted image."""
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
        encoded = encode(image, opts.fmt)
        step = Step(
            image=f"{name_stem}.{encoded.extension}",
            media_type=encoded.media_type,
            captured_at=frame.captured_at,
            monotonic_s=frame.monotonic_s,
            caption=caption,
            source=source,
            width=image.width,
            height=image.height,
            monitor=frame.monitor,
            window_title=frame.window_title if opts.include_window_title else None,
            annotations=_scaled(annotations, factor),
            note="; ".join(notes),
        )
        return step, encoded.data
