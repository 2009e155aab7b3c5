"""The draft of the report in progress, on disk: ``draft.json`` plus one file per image."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.flow.evidence import Evidence
from app.flow.ports import ALL_PAGES, FormStateLike, Page
from app.fsutil import atomic_write_bytes
from app.report import Report, Step

log = logging.getLogger(__name__)

DRAFT_VERSION = 2  # 2: a partial Report at its heart
DRAFT_FILE = "draft.json"


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    return value


def from_json_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    return value


class DraftStore:
    """The draft of the report in progress: ``draft.json`` plus one file per image.

    Every file is written atomically (temp + fsync + rename) and images before the JSON that
    names them, so a crash or kill at any moment leaves the previous or the new draft.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def json_path(self) -> Path:
        return self.folder / DRAFT_FILE

    def exists(self) -> bool:
        return self.json_path.is_file()

    def save(self, data: dict[str, Any], images: Mapping[str, bytes]) -> None:
        img_dir = self.folder / "images"
        for name, blob in images.items():
            target = img_dir / name
            if not target.exists() or target.stat().st_size != len(blob):
                _atomic_write(target, blob)
        _atomic_write(
            self.json_path,
            json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
        )
        wanted = set(images)
        if img_dir.is_dir():
            for old in img_dir.iterdir():
                if old.name not in wanted and not old.name.startswith("."):
                    old.unlink(missing_ok=True)

    def load(self) -> tuple[dict[str, Any], dict[str, bytes]] | None:
        """The saved draft, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.json_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        if data.get("version") != DRAFT_VERSION:
            # Drafts before the report was their heart (version 1) are not converted.
            log.warning("the saved draft is from an older Flare (draft version %s) and is not "
                        "resumed; starting a new report", data.get("version"))
            return None
        images: dict[str, bytes] = {}
        for name in data.get("image_files", []):
            try:
                images[str(name)] = (self.folder / "images" / str(name)).read_bytes()
            except OSError:
                continue
        return data, images

    def clear(self) -> None:
        self.json_path.unlink(missing_ok=True)
        img_dir = self.folder / "images"
        if img_dir.is_dir():
            for f in img_dir.iterdir():
                f.unlink(missing_ok=True)


def content_name(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:24] + ".bin"


class Drafted(Protocol):
    """What a draft holds of the report in progress (``ReportFlow``)."""

    evidence: list[Evidence]
    report_id: uuid.UUID
    created_at: datetime
    language: str
    page: Page
    category: str
    answers: dict[str, tuple[Any, bool]]
    form: FormStateLike
    subject_edited: bool
    excluded_sections: set[str]
    add_to_ticket: str
    joined: set[str]

    def set_category(self, category_id: str) -> None: ...
    def set_answer(self, question_id: str, value: Any, dont_know: bool = False) -> None: ...
    def set_subject(self, text: str) -> None: ...
    def add_evidence(self, step: Step, image: bytes,
                     original: bytes | None = None) -> Evidence: ...


def draft_data(flow: Drafted) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The flow's report in progress as draft.json data and the images it names.

    The heart of it is a partial :class:`~app.report.Report` (the same model and validation
    as the report sent): id, times, language, category, subject, every screenshot as a step
    and page 1's choices. Beside it, what only this machine keeps: the raw form answers, the
    unannotated originals, which screenshots and diagnostics are left out, the page.
    """
    images: dict[str, bytes] = {}
    steps: list[Step] = []
    evidence = []
    for n, ev in enumerate(flow.evidence, 1):
        # Named by content: an unchanged image is not written again on the next save.
        img_name = content_name(ev.image)
        images[img_name] = ev.image
        orig_name = ""
        if ev.original is not None:
            orig_name = content_name(ev.original)
            images[orig_name] = ev.original
        ext = ev.step.image.rsplit(".", 1)[-1] if "." in ev.step.image else "png"
        steps.append(ev.step.model_copy(update={"image": f"step-{n:03d}.{ext}"}))
        evidence.append({"image": img_name, "original": orig_name, "included": ev.included})
    subject = flow.form.subject() if (flow.subject_edited and flow.category) else ""
    report = Report(id=flow.report_id, created_at=flow.created_at, locale=flow.language,
                    category=flow.category, title=subject, steps=steps,
                    add_to_ticket=flow.add_to_ticket,
                    affected_incidents=sorted(flow.joined))
    data = {
        "version": DRAFT_VERSION,
        "report": report.model_dump(mode="json"),
        "page": flow.page,
        "form_answers": {
            qid: {"value": to_json_value(v), "dont_know": dk}
            for qid, (v, dk) in flow.answers.items()
        },
        "subject_edited": bool(subject),
        "evidence": evidence,
        "excluded_sections": sorted(flow.excluded_sections),
        "image_files": sorted(images),
    }
    return data, images


def restore_draft(flow: Drafted, data: dict[str, Any], images: dict[str, bytes]) -> bool:
    """Load a saved draft into ``flow``; False when it is damaged (the report in it fails
    the model's validation, or the rest is not what a draft holds)."""
    try:
        report = Report.model_validate(data["report"])
        flow.report_id = report.id
        flow.created_at = report.created_at
        if report.category:
            flow.set_category(report.category)
        for qid, a in dict(data.get("form_answers", {})).items():
            flow.set_answer(qid, from_json_value(a.get("value")), bool(a.get("dont_know")))
        if data.get("subject_edited") and report.title:
            flow.set_subject(report.title)
        flow.evidence = []
        for step, item in zip(report.steps, data.get("evidence", []), strict=True):
            blob = images.get(item["image"])
            if blob is None:
                continue
            ev = flow.add_evidence(step, blob, images.get(item.get("original", "")))
            ev.included = bool(item.get("included", True))
        flow.excluded_sections = set(data.get("excluded_sections", []))
        flow.add_to_ticket = report.add_to_ticket
        flow.joined = set(report.affected_incidents)
        page = data.get("page", "category")
        flow.page = page if page in ALL_PAGES and page != "sent" else "category"
    except (KeyError, ValueError, TypeError, AttributeError):
        log.warning("the saved draft is damaged and was not resumed; starting a new report")
        return False  # a damaged draft: start anew rather than fail
    return True
