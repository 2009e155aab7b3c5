"""Screenshots in the report: the evidence kept per step, shapes burnt in, replay frames
exported (capture/ does the pixels)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.report import Annotation, Step


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


def export_options(settings: Any) -> Any:
    """How the report window encodes screenshots: in destination.image_format, as
    `flare record` does (a helpdesk that refuses WebP gets PNG or JPEG from the start)."""
    from capture.encode import FORMATS
    from capture.export import ExportOptions

    fmt = str(settings.get("destination.image_format") or "webp")
    return ExportOptions(fmt=fmt if fmt in FORMATS else "webp")


def export_replay_frame(snapshot: Any, index: int, settings: Any = None) -> tuple[Step, bytes]:
    from capture.export import Exporter, ExportOptions

    frame = snapshot.frame(index)
    options = export_options(settings) if settings is not None else ExportOptions()
    return Exporter(options).export(
        frame, name_stem=f"replay-{frame.captured_at:%H%M%S}-{index:03d}", step_number=None,
        source="replay",
    )
