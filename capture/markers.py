"""Numbered click markers, as annotation data: where the click was, with the step's number,
drawn like any other shape, so the person can move or remove them before sending (Steps
Recorder's red circles, made editable).

They use the shapes every viewer and the annotator already know (a box and a text), so a
report with markers needs nothing new to be read or edited.
"""

from __future__ import annotations

from app.report import Annotation

MARKER_COLOR = "#e53935"


def click_marker(x: int, y: int, number: int, size: tuple[int, int]) -> list[Annotation]:
    """A square round image point (x, y) and the step ``number`` at its top right."""
    width, height = size
    r = max(10, round(min(width, height) / 60))
    text_size = max(12, round(height / 45))  # the size capture.annotate gives text
    box = Annotation(kind="box", x=x - r, y=y - r, w=2 * r, h=2 * r, color=MARKER_COLOR)
    label_x = x + r + 3 if x + r + 3 + 2 * text_size < width else max(0, x - r - 3 - text_size)
    label = Annotation(kind="text", x=label_x, y=max(0, y - r - text_size // 2),
                       text=str(number), color=MARKER_COLOR)
    return [box, label]


def is_marker(a: Annotation) -> bool:
    return a.color.lower() == MARKER_COLOR and (a.kind == "box" or (
        a.kind == "text" and a.text.isdigit()))
