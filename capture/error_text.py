"""The exact text of an error dialog, read from the screen so nobody has to retype it.

First the accessibility tree: an alert or dialog of the program clicked gives its message as
the names of its labels, character for character. Where the tree says nothing (a program
without accessibility, a custom-drawn or remote window), the dialog's own rectangle is grabbed
and read with tesseract (the system's ``tesseract`` program and its eng/rus/ukr data), the
lines that are only the icon or the buttons dropped. Either way the text is only offered: the
person confirms or corrects it, and it is marked as read from the screen.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from PIL import Image

log = logging.getLogger(__name__)

ErrorSource = Literal["accessibility", "ocr"]

OCR_LANGUAGES = {"en": "eng", "ru": "rus", "uk": "ukr"}
OCR_TIMEOUT_S = 10.0
OCR_SCALE = 2
# Words a dialog's buttons say; a line of only these is not part of the message.
_BUTTON_TEXT = (
    "ok cancel close yes no retry ignore abort help details "
    "ок отмена закрыть да нет повторить пропустить справка подробнее "
    "скасувати закрити так ні повторити пропустити довідка докладніше"
)
_BUTTON_WORDS = frozenset(_BUTTON_TEXT.split())


@dataclass(frozen=True)
class ErrorText:
    title: str
    text: str
    source: ErrorSource
    seconds: float = 0.0


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_language(language: str) -> str:
    """tesseract's data name for the reporter's language (English where unknown)."""
    return OCR_LANGUAGES.get(language.split("_")[0].split("-")[0].lower(), "eng")


def ocr(image: Image.Image, language: str = "en") -> str:
    """The text tesseract reads in ``image``, as it prints it. :class:`OSError` when the
    program is missing or fails."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OSError("tesseract is not installed (Debian: tesseract-ocr, tesseract-ocr-rus, "
                      "tesseract-ocr-ukr)")
    buffer = io.BytesIO()
    gray = image.convert("L")
    # UI text is 12-13 px, below what tesseract's models were trained on: at twice the size
    # Ukrainian goes from 93 % to 99 % of characters right (bench/steps.py), and it is faster.
    gray = gray.resize((gray.width * OCR_SCALE, gray.height * OCR_SCALE), Image.Resampling.LANCZOS)
    gray.save(buffer, format="PNG")
    # One thread: on a busy 2-core machine OpenMP's threads fight and it is 2-3x slower.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        [exe, "stdin", "stdout", "-l", ocr_language(language), "--psm", "6"],
        input=buffer.getvalue(), capture_output=True, timeout=OCR_TIMEOUT_S, env=env,
        check=False,
    )
    if done.returncode != 0:
        raise OSError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8", "replace")


def message_lines(raw: str) -> str:
    """The message out of OCR text: no empty lines, no lines that are only the icon's
    smudge (no two letters in a row) or the buttons' words."""
    kept: list[str] = []
    for line in raw.splitlines():
        text = " ".join(line.split())
        if not re.search(r"[^\W\d_]{2}", text):
            continue
        words = [w.strip(".,:;!?()[]«»\"'").lower() for w in text.split()]
        if words and all(w in _BUTTON_WORDS or not w for w in words):
            continue
        # The icon left of the message comes out as a short smudge: "(x)", "©", "@".
        tokens = text.split()
        while len(tokens) > 1 and len(tokens[0]) <= 3 and not tokens[0].isalnum():
            tokens.pop(0)
        # ... or as one letter before a sentence ("о Розмір ..."); "I cannot" and "A file"
        # stay, since a sentence's second word is not capitalised.
        if len(tokens) > 1 and len(tokens[0]) == 1 and tokens[1][:1].isupper() and not kept:
            tokens.pop(0)
        text = " ".join(tokens)
        kept.append(text)
    return "\n".join(kept)


def read_region(image: Image.Image, language: str = "en", title: str = "") -> ErrorText:
    """OCR of a dialog's grabbed rectangle."""
    start = time.perf_counter()
    text = message_lines(ocr(image, language))
    return ErrorText(title, text, "ocr", time.perf_counter() - start)


def read_dialog(pids: Iterable[int], display: str, language: str = "en",
                *, accessibility: bool = True) -> ErrorText | None:
    """The newest error dialog of the first of ``pids`` that shows one: from the tree if it
    can, else by OCR of the dialog's window. None when none of them shows a dialog."""
    from capture.x11_input import X11Windows

    pids = list(dict.fromkeys(pids))
    if accessibility:
        found = _from_tree(pids)
        if found is not None:
            return found
    windows = X11Windows(display)
    try:
        for pid in pids:
            dialog = windows.dialog_of(pid)
            if dialog is None:
                continue
            title, rect = dialog
            return _ocr_rect(rect, display, language, title)
    finally:
        windows.close()
    return None


def _from_tree(pids: list[int]) -> ErrorText | None:
    from capture.a11y import AccessibilityUnavailable, Atspi

    start = time.perf_counter()
    try:
        atspi = Atspi()
    except AccessibilityUnavailable as exc:
        log.info("no accessibility bus for the error text: %s", exc)
        return None
    try:
        for pid in pids:
            try:
                found = atspi.dialog_text(pid)
            except (LookupError, TimeoutError, OSError) as exc:
                log.info("no dialog text from %d: %s", pid, exc)
                continue
            if found is not None and found[1].strip():
                return ErrorText(found[0], found[1], "accessibility",
                                 time.perf_counter() - start)
    finally:
        atspi.close()
    return None


def _ocr_rect(rect: tuple[int, int, int, int], display: str, language: str,
              title: str) -> ErrorText | None:
    import mss

    left, top, width, height = rect
    with mss.MSS(display=display) as sct:
        shot = sct.grab({"left": left, "top": top, "width": width, "height": height})
    image = Image.frombytes("RGB", shot.size, shot.bgra, "raw", "BGRX")
    try:
        found = read_region(image, language, title)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("OCR of the dialog failed: %s", exc)
        return None
    return found if found.text else None
