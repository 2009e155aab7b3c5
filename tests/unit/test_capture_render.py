"""Stamping, annotation rendering, redaction and encoding, on synthetic images."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image

from app.report import Annotation, MonitorInfo
from capture.annotate import render
from capture.encode import downscale, encode
from capture.export import Exporter, ExportOptions
from capture.grab import Frame
from capture.stamp import CORNERS, Stamper, StampPolicy, stamp_text

WHEN = datetime(2026, 3, 7, 21, 4, 9, tzinfo=UTC)


def noise(w: int = 400, h: int = 300) -> Image.Image:
    return Image.frombytes("RGB", (w, h), random.Random(w * h).randbytes(w * h * 3))


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def chan(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (chan(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# --------------------------------------------------------------------------- stamp text


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        (UTC, "2026-03-07 21:04:09 UTC+00:00"),
        (timezone(timedelta(hours=5, minutes=30)), "2026-03-08 02:34:09 UTC+05:30"),
        (timezone(timedelta(hours=-3)), "2026-03-07 18:04:09 UTC-03:00"),
    ],
)
def test_stamp_text_has_local_time_to_the_second_and_offset(tz: timezone, expected: str) -> None:
    assert stamp_text(WHEN, None, tz) == expected
    assert stamp_text(WHEN, 12, tz) == f"{expected} | step 12"


@pytest.mark.parametrize(("language", "word"), [("ru", "шаг"), ("uk", "крок"), ("en", "step")])
def test_stamp_speaks_the_persons_language(language: str, word: str) -> None:
    from app.i18n import set_language

    set_language(language)
    try:
        assert stamp_text(WHEN, 3, UTC) == f"2026-03-07 21:04:09 UTC+00:00 | {word} 3"
    finally:
        set_language("en")


def test_stamp_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        stamp_text(datetime(2026, 1, 1), 1)


def test_bad_policy_values_are_refused() -> None:
    with pytest.raises(ValueError, match="corner"):
        StampPolicy(corner="middle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        StampPolicy(scale=0)


# --------------------------------------------------------------------------- stamp placement


@pytest.mark.parametrize("corner", CORNERS)
def test_stamp_sits_in_the_requested_corner(corner: str) -> None:
    img = Image.new("RGB", (1920, 1080), (255, 255, 255))
    box = Stamper(StampPolicy(corner=corner)).apply(img, "2026-03-07 21:04:09 UTC+00:00")  # type: ignore[arg-type]
    assert (box.left < 960) == corner.endswith("left")
    assert (box.top < 540) == corner.startswith("top")
    assert 0 <= box.left < box.right <= 1920 and 0 <= box.top < box.bottom <= 1080


@pytest.mark.parametrize("background", [(255, 255, 255), (0, 0, 0), (128, 128, 128)])
def test_stamp_is_legible_on_light_dark_and_mid_content(background: tuple[int, int, int]) -> None:
    img = Image.new("RGB", (1920, 1080), background)
    box = Stamper(StampPolicy()).apply(img, "2026-03-07 21:04:09 UTC+00:00 | step 3")
    plate = img.crop((box.left, box.top, box.right, box.bottom))
    colours = {c for _n, c in plate.getcolors(1 << 16) or []}
    darkest = min(colours, key=relative_luminance)
    lightest = max(colours, key=relative_luminance)
    assert contrast(lightest, darkest) >= 7.0  # WCAG AAA for text
    # The plate itself differs from the content around it, so it reads as a stamp.
    assert plate.getpixel((plate.width // 2, 1)) != background or background != (17, 17, 17)


def test_stamp_grows_with_resolution_and_scale() -> None:
    hd, uhd = Image.new("RGB", (1920, 1080)), Image.new("RGB", (3840, 2160))
    b1 = Stamper(StampPolicy()).apply(hd, "2026-03-07 21:04:09 UTC+00:00")
    b2 = Stamper(StampPolicy()).apply(uhd, "2026-03-07 21:04:09 UTC+00:00")
    b3 = Stamper(StampPolicy(scale=2.0)).apply(Image.new("RGB", (1920, 1080)), "2026-03-07")
    b4 = Stamper(StampPolicy(scale=1.0)).apply(Image.new("RGB", (1920, 1080)), "2026-03-07")
    assert (b2.bottom - b2.top) > 1.8 * (b1.bottom - b1.top)
    assert (b3.bottom - b3.top) > 1.8 * (b4.bottom - b4.top)


# --------------------------------------------------------------------------- annotations


def test_redaction_is_a_uniform_fill_even_under_other_annotations() -> None:
    img = noise()
    anns = [
        Annotation(kind="redact", x=50, y=40, w=100, h=60, color="#000000"),
        Annotation(kind="text", x=60, y=50, text="secret?", color="#ffffff"),
        Annotation(kind="highlight", x=0, y=0, w=400, h=300, color="#ffff00"),
    ]
    out = render(img, anns)
    region = out.crop((50, 40, 150, 100))
    assert region.getcolors() == [(100 * 60, (0, 0, 0))]
    assert img.crop((50, 40, 150, 100)).getcolors(1 << 16) is not None  # original untouched
    assert len(img.crop((50, 40, 150, 100)).getcolors(1 << 16) or []) > 100


def test_redaction_partly_outside_is_clipped_not_an_error() -> None:
    out = render(noise(), [Annotation(kind="redact", x=350, y=250, w=200, h=200)])
    assert out.crop((350, 250, 400, 300)).getcolors() == [(2500, (0xE5, 0x39, 0x35))]


def test_box_highlight_and_arrow_draw_where_asked() -> None:
    img = Image.new("RGB", (400, 300), (255, 255, 255))
    out = render(
        img,
        [
            Annotation(kind="box", x=10, y=10, w=100, h=50, color="#0000ff"),
            Annotation(kind="highlight", x=200, y=200, w=50, h=50, color="#ffff00"),
            Annotation(kind="arrow", x=150, y=150, w=100, h=0, color="#ff0000"),
        ],
    )
    assert out.getpixel((10, 30)) == (0, 0, 255)  # left edge of the box
    assert out.getpixel((60, 35)) == (255, 255, 255)  # inside the box: untouched
    r, g, b = out.getpixel((225, 225))  # type: ignore[misc]
    assert r == 255 and g == 255 and b < 200  # white tinted yellow, still see-through
    assert out.getpixel((200, 150)) == (255, 0, 0)  # on the arrow shaft
    assert out.getpixel((249, 150)) == (255, 0, 0)  # at the arrow head
    assert img.getpixel((10, 30)) == (255, 255, 255)  # rendering works on a copy


def test_text_annotation_puts_ink_near_its_anchor() -> None:
    out = render(
        Image.new("RGB", (400, 300), "white"), [Annotation(kind="text", x=20, y=20, text="Here")]
    )
    area = out.crop((20, 20, 120, 60))
    assert any(c[0] > 200 and c[1] < 100 for _n, c in area.getcolors(1 << 16) or [])
    assert out.crop((200, 200, 400, 300)).getcolors() == [(200 * 100, (255, 255, 255))]


# --------------------------------------------------------------------------- encoding and export


@pytest.mark.parametrize("fmt", ["webp", "png"])
def test_lossless_formats_round_trip_exactly(fmt: str) -> None:
    img = noise(120, 80)
    enc = encode(img, fmt)  # type: ignore[arg-type]
    assert enc.media_type == f"image/{fmt}"
    assert Image.open(io.BytesIO(enc.data)).convert("RGB").tobytes() == img.tobytes()


def test_jpeg_is_available_but_lossy() -> None:
    enc = encode(noise(120, 80), "jpeg")
    assert enc.extension == "jpg" and enc.data[:2] == b"\xff\xd8"


def test_downscale_keeps_aspect_and_says_so() -> None:
    img, note = downscale(Image.new("RGB", (3840, 2160)), 1920, 1920)
    assert img.size == (1920, 1080)
    assert note == "downscaled from 3840x2160 to 1920x1080"
    same, none = downscale(Image.new("RGB", (800, 600)), 1920, 1080)
    assert same.size == (800, 600) and none == ""


def _frame(img: Image.Image) -> Frame:
    mon = MonitorInfo(index=1, left=-1920, top=0, width=img.width, height=img.height)
    return Frame(img, mon, WHEN, 12.5, "Invoices - ERP", "")


@pytest.mark.parametrize("fmt", ["webp", "png"])
def test_exported_file_has_no_original_pixel_under_a_redaction(fmt: str) -> None:
    img = noise(640, 480)
    redact = Annotation(kind="redact", x=100, y=100, w=200, h=120, color="#000000")
    exporter = Exporter(ExportOptions(fmt=fmt, tz=UTC))  # type: ignore[arg-type]
    step, data = exporter.export(
        _frame(img), name_stem="step-001", step_number=1, annotations=[redact]
    )
    decoded = Image.open(io.BytesIO(data)).convert("RGB")
    assert decoded.crop((100, 100, 300, 220)).getcolors() == [(200 * 120, (0, 0, 0))]
    assert step.image == f"step-001.{fmt}" and step.media_type == f"image/{fmt}"
    assert step.annotations == [redact]
    assert step.window_title == "Invoices - ERP" and step.monitor and step.monitor.left == -1920
    # Outside the redaction and the stamp, the exported pixels are the original ones.
    assert decoded.crop((0, 0, 90, 90)).tobytes() == img.crop((0, 0, 90, 90)).tobytes()


def test_export_downscales_with_a_note_and_scales_annotations() -> None:
    img = noise(1000, 500)
    exporter = Exporter(ExportOptions(max_size=(500, 500), tz=UTC, include_window_title=False))
    ann = Annotation(kind="redact", x=100, y=100, w=200, h=100, color="#000000")
    step, data = exporter.export(_frame(img), name_stem="s", step_number=2, annotations=[ann])
    assert (step.width, step.height) == (500, 250)
    assert "downscaled from 1000x500 to 500x250" in step.note
    assert (step.annotations[0].x, step.annotations[0].w) == (50, 100)
    assert step.window_title is None
    decoded = Image.open(io.BytesIO(data)).convert("RGB")
    assert decoded.crop((50, 50, 150, 100)).getcolors() == [(100 * 50, (0, 0, 0))]


def test_export_marks_the_click_and_notes_it() -> None:
    img = Image.new("RGB", (400, 300), "white")
    img.putpixel((0, 0), (1, 2, 3))
    exporter = Exporter(ExportOptions(fmt="png", tz=UTC))
    step, data = exporter.export(_frame(img), name_stem="s", step_number=1, click=(200, 150))
    decoded = Image.open(io.BytesIO(data)).convert("RGB")
    ring = decoded.crop((170, 120, 231, 181))
    assert any(c[0] > 200 and c[1] < 100 for _n, c in ring.getcolors(1 << 16) or [])
    assert "clicked at (200, 150)" in step.note
