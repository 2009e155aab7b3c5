"""PIL <-> QImage conversion for showing capture frames in Qt and grabbing Qt output as PIL."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def pil_to_qimage(image: Image.Image) -> QImage:
    """A deep copy of ``image`` as an RGB888 QImage (alpha is dropped, as in the export)."""
    rgb = image.convert("RGB") if image.mode != "RGB" else image
    data = rgb.tobytes("raw", "RGB")
    view = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    # The QImage above borrows ``data``; copy() detaches it before ``data`` is freed.
    return view.copy()


def qimage_to_pil(image: QImage) -> Image.Image:
    """An RGB PIL image with the pixels of ``image``."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = rgb.bytesPerLine()
    raw = bytes(rgb.constBits())[: stride * rgb.height()]
    return Image.frombytes("RGB", (rgb.width(), rgb.height()), raw, "raw", "RGB", stride)
