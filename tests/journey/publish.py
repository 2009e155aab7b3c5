"""Copy the journeys' screenshots of each page into docs/screenshots, cropped to what shows.

    python -m pytest tests/journey -m journey   # the journeys leave build/journey/*/NN-*.png
    python -m tests.journey.publish [OUT_DIR]   # default: docs/screenshots
    python -m tests.journey.publish --only=ru,uk  # only the pages of these languages (the
                                                  # journeys that ran this time)

The pictures in the docs are the screens a person saw while a journey filed a real report in
English, Russian or Ukrainian; nothing is staged for them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageChops

from tests.journey.desktop import ROOT, SHOTS

# docs name -> (journey folder, the step's name in that folder)
PAGES = {
    "en-1-category-refused": ("a-keyboard-en", "category-refused"),
    "en-2-questions": ("a-keyboard-en", "answered"),
    "en-3-screenshots": ("a-keyboard-en", "screenshots"),
    "en-4-diagnostics": ("a-keyboard-en", "diagnostics"),
    "en-5-review": ("a-keyboard-en", "review"),
    "en-6-sent": ("a-keyboard-en", "sent"),
    "en-7-queued": ("f-queued-rt", "queued"),
    "en-annotator-redaction": ("e-redact-en", "redacted"),
    "en-instant-replay": ("d-replay-en", "picker"),
    "en-known-incident-affected": ("g-affected-rt", "affected"),
    "en-region-overlay": ("shortcuts-en", "region-dragging"),
    "en-window-overlay": ("shortcuts-en", "window-overlay"),
    "ru-0-category": ("b-mouse-ru", "category"),
    "ru-1-questions": ("b-mouse-ru", "typed"),
    "ru-2-answered": ("b-mouse-ru", "answered"),
    "ru-2-screenshots": ("b-mouse-ru", "screenshots"),
    "ru-3-diagnostics": ("b-mouse-ru", "diagnostics"),
    "ru-3-review": ("b-mouse-ru", "review"),
    "ru-4-sent": ("b-mouse-ru", "sent"),
    "ru-5-known-incident": ("g2-affected-statuspage-ru", "offered"),
    "ru-6-known-incident-affected": ("g2-affected-statuspage-ru", "question"),
    "ru-7-known-incident-review": ("g2-affected-statuspage-ru", "review"),
    "ru-8-known-incident-sent": ("g2-affected-statuspage-ru", "sent"),
    "ru-9-step-on-click": ("i-click-steps-ru", "described-ru"),
    "uk-0-category": ("c-recording-uk", "category"),
    "uk-1-recording": ("c-recording-uk", "step-3"),
    "uk-2-after-recording": ("c-recording-uk", "after-stop"),
    "uk-3-questions": ("c-recording-uk", "answered"),
    "uk-4-screenshots": ("c-recording-uk", "screenshots"),
    "uk-5-diagnostics": ("c-recording-uk", "diagnostics"),
    "uk-5-review": ("c-recording-uk", "review"),
    "uk-6-sent": ("c-recording-uk", "sent"),
    "uk-7-known-incident": ("g2-affected-statuspage-uk", "offered"),
    "uk-8-known-incident-affected": ("g2-affected-statuspage-uk", "question"),
    "uk-9-known-incident-review": ("g2-affected-statuspage-uk", "review"),
    "uk-10-known-incident-sent": ("g2-affected-statuspage-uk", "sent"),
}


def find_shot(folder: Path, step: str) -> Path:
    matches = sorted(folder.glob(f"[0-9][0-9]-{step}.png"))
    if not matches:
        raise SystemExit(f"{folder.name}: no screenshot of {step!r}; run the journeys first")
    return matches[-1]


def cropped(path: Path) -> Image.Image:
    """The part of the screen that is not the plain desktop around the windows."""
    with Image.open(path) as img:
        shot = img.convert("RGB")
    background = Image.new("RGB", shot.size, shot.getpixel((0, shot.height - 1)))
    box = ImageChops.difference(shot, background).getbbox()
    return shot.crop(box) if box else shot


def main(argv: list[str]) -> int:
    only = tuple(f"{lang}-" for a in argv if a.startswith("--only=")
                 for lang in a.removeprefix("--only=").split(",") if lang)
    paths = [a for a in argv if not a.startswith("--only=")]
    out = Path(paths[0]) if paths else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for name, (journey, step) in PAGES.items():
        if only and not name.startswith(only):
            continue
        target = out / f"{name}.png"
        cropped(find_shot(SHOTS / journey, step)).save(target, optimize=True)
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
