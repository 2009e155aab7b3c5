"""What a helpdesk accepts shapes what is sent: file types and screenshot formats.

A spec may say ``accepts: {files: [.png, .txt, image/*], images: [png, jpeg]}``. Before
anything is sent (and before size fitting, so a converted file is fitted too):

- a screenshot in a format the helpdesk does not take is encoded to the first of ``images``
  it does take (its name and the report's steps follow, so the ticket text names the file
  that is attached);
- another file of a type not accepted goes as ``name.txt`` when it is text and ``.txt`` is
  accepted; otherwise it is not sent, and the ticket's delivery notes say so by name (never
  silently: the refused upload would otherwise stop the whole report).
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from app.helpdesk.delivery_bundle import DeliveryBundle, OutFile

IMAGE_FORMATS = {"png": ("PNG", "image/png", ".png"), "jpeg": ("JPEG", "image/jpeg", ".jpg"),
                 "webp": ("WEBP", "image/webp", ".webp"), "gif": ("GIF", "image/gif", ".gif")}
_FORMAT_OF_TYPE = {v[1]: k for k, v in IMAGE_FORMATS.items()}
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-ndjson")
_TEXT_SUFFIXES = {".log", ".txt", ".json", ".xml", ".csv", ".ini", ".conf", ".cfg", ".yaml",
                  ".yml", ".html", ".htm", ".md", ".reg"}


def accepted(name: str, media_type: str, files: list[str]) -> bool:
    """``files`` lists suffixes (``.png``), media types (``image/png``) or ``type/*``."""
    if not files:
        return True
    suffix = PurePosixPath(name).suffix.lower()
    mtype = media_type.split(";", 1)[0].strip().lower()
    for entry in files:
        e = entry.lower()
        if e.startswith(".") and suffix == e:
            return True
        if e.endswith("/*") and mtype.startswith(e[:-1]):
            return True
        if e == mtype:
            return True
    return False


def fit_to_accepts(bundle: DeliveryBundle, accepts: dict[str, Any], title: str) -> DeliveryBundle:
    files_ok: list[str] = [str(x) for x in accepts.get("files") or []]
    images: list[str] = [str(x).lower() for x in accepts.get("images") or []]
    if not files_ok and not images:
        return bundle
    out: list[OutFile] = []
    notes: list[str] = []
    renamed: dict[str, tuple[str, str]] = {}
    converted: set[str] = set()
    for f in bundle.files:
        fmt = _FORMAT_OF_TYPE.get(f.media_type)
        if f.kind == "step" and fmt is not None:
            if (not images or fmt in images) and accepted(f.name, f.media_type, files_ok):
                out.append(f)
                continue
            target = next((i for i in images or list(IMAGE_FORMATS)
                           if i in IMAGE_FORMATS and accepted(
                               "x" + IMAGE_FORMATS[i][2], IMAGE_FORMATS[i][1], files_ok)), None)
            if target is not None:
                new = _encode(f, target)
                out.append(new)
                renamed[f.name] = (new.name, new.media_type)
                converted.add(f"{fmt.upper()} to {target.upper()}")
                continue
        elif accepted(f.name, f.media_type, files_ok):
            out.append(f)
            continue
        if _is_text(f) and accepted(f.name + ".txt", "text/plain", files_ok):
            out.append(replace(f, name=f.name + ".txt", media_type="text/plain"))
            notes.append(f"{f.name} is attached as {f.name}.txt ({title} does not accept "
                         f"{_kind(f)} files)")
            continue
        notes.append(f"{f.name} was not sent: {title} does not accept {_kind(f)} files (it "
                     f"accepts {', '.join(files_ok)}); it is kept with the report on the "
                     "reporter's computer")
    for what in sorted(converted):
        notes.append(f"Screenshots were converted from {what}, a format {title} accepts")
    result = bundle.with_files(out, notes)
    if renamed:
        steps = [s.model_copy(update={"image": renamed[s.image][0],
                                      "media_type": renamed[s.image][1]})
                 if s.image in renamed else s for s in bundle.report.steps]
        result = replace(result, report=bundle.report.model_copy(update={"steps": steps}))
    return result


def _kind(f: OutFile) -> str:
    return PurePosixPath(f.name).suffix.lower() or f.media_type


def _is_text(f: OutFile) -> bool:
    return (f.media_type.startswith(_TEXT_TYPES)
            or PurePosixPath(f.name).suffix.lower() in _TEXT_SUFFIXES)


def _encode(f: OutFile, target: str) -> OutFile:
    from PIL import Image

    fmt, mtype, suffix = IMAGE_FORMATS[target]
    # From memory: bundle members stream and cannot seek; only the screenshot formats.
    with Image.open(io.BytesIO(f.read_bytes()), formats=[v[0] for v in IMAGE_FORMATS.values()]
                    ) as img:
        img.load()
        out: Image.Image = img
        if fmt == "JPEG" and img.mode not in ("RGB", "L"):
            out = img.convert("RGB")
        buf = io.BytesIO()
        # Lossless where the format allows: a screenshot's text must stay readable.
        options: dict[str, Any] = {"quality": 90} if fmt == "JPEG" else (
            {"lossless": True} if fmt == "WEBP" else {})
        out.save(buf, format=fmt, **options)
    data = buf.getvalue()
    name = str(PurePosixPath(f.name).with_suffix(suffix))
    return replace(f, name=name, media_type=mtype, size=len(data),
                   opener=lambda: io.BytesIO(data))
