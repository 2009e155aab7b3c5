"""The report: Flare's one data model, and its on-disk form, the report bundle.

Everything flows through :class:`Report`. Capture adds steps, diagnostics adds sections, the form
adds answers, and connectors read the bundle that :func:`write_bundle` produces. The model is
versioned (``schema_version``); its JSON Schema is generated into ``resources/schema/`` by
:func:`json_schema` and a test keeps the committed copy in sync.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

# report.json: version 2 added what the person chose before the form (add_to_ticket,
# affected_incidents, affected), the language support reads (support_locale) and each step's
# description. A bundle is written with the lowest version that holds it (a report using none
# of those stays 1, so an older Flare still reads it); both are read.
SCHEMA_VERSION = 2
SUPPORTED_SCHEMA_VERSIONS = frozenset({1, 2})
# diagnostics.json: version 2 added each section's texts in support's language
# (``translations``), written only when support reads another language; both are read.
DIAGNOSTICS_SCHEMA_VERSION = 2
SUPPORTED_DIAGNOSTICS_VERSIONS = frozenset({1, 2})


def supported_versions(what: str) -> frozenset[int]:
    """The schema versions this Flare reads of ``what`` (report.json or diagnostics.json)."""
    return SUPPORTED_DIAGNOSTICS_VERSIONS if what == "diagnostics.json" else (
        SUPPORTED_SCHEMA_VERSIONS)


def schema_version_problem(version: object, what: str = "report.json") -> str | None:
    """None if this Flare reads ``schema_version`` ``version``, else the sentence that says
    so: the one check every reader of report.json and diagnostics.json uses."""
    supported = supported_versions(what)
    # bool is an int in Python: `true` must not pass for version 1.
    if type(version) is int and version in supported:
        return None
    newer = type(version) is int and version > max(supported)
    return (
        f"{what} has schema_version {version!r}, which this Flare cannot read "
        f"(it reads {', '.join(map(str, sorted(supported)))}); "
        + ("it comes from a newer Flare: update Flare" if newer else
           "the file is damaged or not Flare's; update Flare if it is")
    )

# A bundle member name: one or two plain components ("step-001.webp", "attachments/log.txt").
# Anything else (.., absolute paths, backslashes, hidden files) is refused on write and on read.
_MEMBER_RE = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,99}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def check_member_name(name: str) -> str:
    """Return ``name`` if it is a safe bundle member name, else raise ``ValueError``."""
    if not _MEMBER_RE.match(name) or ".." in name.split("/"):
        raise ValueError(
            f"unsafe file name {name!r}: use letters, digits, '.', '_' or '-', "
            "at most one folder level, no '..' and no absolute path"
        )
    return name


MemberName = Annotated[str, AfterValidator(check_member_name)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=False, validate_assignment=True, defer_build=True
    )


class Reporter(_Model):
    """Who reports: as known to the machine, or as typed/confirmed by the user."""

    name: str = ""
    email: str = ""
    username: str = ""


class Machine(_Model):
    hostname: str = ""
    os: str = ""
    os_version: str = ""
    architecture: str = ""
    flare_version: str = ""


class Answer(_Model):
    """One answered form question, kept with the question text the user saw."""

    question_id: str
    question: str
    value: str | list[str] | bool | float | int | None = None
    display: str = Field("", description="The answer as a person reads it.")
    dont_know: bool = False


class AnswerTexts(_Model):
    """One answer's form texts in another language: the question and the chosen option."""

    question: str = ""
    display: str = Field("", description="Empty where the answer is the person's own words.")


class ReportTexts(_Model):
    """The form's texts of a report in support's language: the category, the generated
    title and each answer's question and chosen option (keyed by question id). The person's
    own words stay as written."""

    title: str = ""
    category_label: str = ""
    answers: dict[str, AnswerTexts] = Field(default_factory=dict)


PriorityLevel = Literal["low", "medium", "high", "critical"]
Impact = Literal["me", "team", "many"]
Urgency = Literal["can_work", "slowed", "blocked"]


class Priority(_Model):
    impact: Impact = "me"
    urgency: Urgency = "can_work"
    level: PriorityLevel = "low"


AnnotationKind = Literal["box", "arrow", "text", "highlight", "redact"]


class Annotation(_Model):
    """A shape drawn over a step image, applied at export.

    Coordinates are in image pixels. ``box``, ``highlight`` and ``redact`` cover the rectangle
    (x, y, w, h); ``arrow`` points from (x, y) to (x + w, y + h); ``text`` writes ``text`` at
    (x, y). Redaction is a solid fill: the pixels underneath are gone from every exported file.
    """

    kind: AnnotationKind
    x: int
    y: int
    w: int = 0
    h: int = 0
    text: str = ""
    color: str = Field("#e53935", pattern=r"^#[0-9a-fA-F]{6}$")

    @model_validator(mode="after")
    def _check_shape(self) -> Annotation:
        if self.kind in ("box", "highlight", "redact") and (self.w <= 0 or self.h <= 0):
            raise ValueError(f"a {self.kind} needs a positive width and height")
        if self.kind == "text" and not self.text.strip():
            raise ValueError("a text annotation needs text")
        return self


class MonitorInfo(_Model):
    """Where an image came from: the monitor's place in the virtual desktop."""

    index: int = Field(0, description="mss monitor index; 0 is the whole virtual desktop")
    left: int = 0
    top: int = 0
    width: int = 0
    height: int = 0
    scale: float = 1.0


StepSource = Literal["screenshot", "step", "replay"]


class Step(_Model):
    """One screenshot in the timeline."""

    image: MemberName
    media_type: Literal["image/webp", "image/png", "image/jpeg"] = "image/webp"
    captured_at: AwareDatetime
    monotonic_s: float | None = None
    caption: str = ""
    description: str = Field("", description="What the step did, as Flare saw it and the "
                             "person confirmed, e.g. \"Left click on 'Send' (button) in "
                             "'Inbox - Outlook' (Outlook)\"; never what was typed.")
    source: StepSource = "screenshot"
    width: int = Field(0, ge=0)
    height: int = Field(0, ge=0)
    monitor: MonitorInfo | None = None
    window_title: str | None = None
    annotations: list[Annotation] = Field(default_factory=list)
    note: str = Field("", description="E.g. 'downscaled from 3840x2160 to fit the helpdesk'.")


class Attachment(_Model):
    file: MemberName
    name: str = Field(description="The original file name, as the user knows it.")
    media_type: str = "application/octet-stream"
    size: int = Field(0, ge=0)
    sha256: str = Field("", pattern=r"^([0-9a-f]{64})?$")
    description: str = ""


Severity = Literal["info", "warning", "error"]


class Finding(_Model):
    """Something abnormal a collector noticed, e.g. 'restart recommended: up 23 days'."""

    severity: Severity = "warning"
    message: str


DiagnosticStatus = Literal["ok", "error", "timeout", "skipped"]


class SectionTexts(_Model):
    """A section's words for people in another language (support's): the same lines as
    ``title``, ``summary`` and each finding's ``message``, in that language."""

    title: str = ""
    summary: str = ""
    findings: list[str] = Field(default_factory=list, description="One per finding, in order.")


class DiagnosticSection(_Model):
    """The result of one collector, with its provenance."""

    name: str
    title: str = ""
    status: DiagnosticStatus = "ok"
    summary: str = ""
    findings: list[Finding] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    duration_ms: float = Field(0.0, ge=0)
    error: str = ""
    redactions: dict[str, int] = Field(
        default_factory=dict, description="How many values of each kind were redacted."
    )
    privacy: Literal["public", "internal", "personal"] = "internal"
    translations: dict[str, SectionTexts] = Field(
        default_factory=dict, description="The texts in support's language (policy "
        "support.language), by language code, when support reads another than the reporter.")

    def in_language(self, language: str) -> DiagnosticSection:
        """This section as read in ``language``: its texts there where they were written,
        else as collected."""
        texts = self.translations.get(language) if language else None
        if texts is None:
            return self
        findings = [f.model_copy(update={"message": texts.findings[i]})
                    if i < len(texts.findings) and texts.findings[i] else f
                    for i, f in enumerate(self.findings)]
        return self.model_copy(update={"title": texts.title or self.title,
                                       "summary": texts.summary or self.summary,
                                       "findings": findings})


class Diagnostics(_Model):
    """The content of ``diagnostics.json``."""

    schema_version: int = Field(
        DIAGNOSTICS_SCHEMA_VERSION, description="1 or 2. Written with 2 only when a section "
        "has texts in support's language (sections[].translations).")
    started_at: AwareDatetime | None = None
    duration_ms: float = Field(0.0, ge=0)
    sections: list[DiagnosticSection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_version(self) -> Diagnostics:
        problem = schema_version_problem(self.schema_version, "diagnostics.json")
        if problem:
            raise ValueError(problem)
        if self.schema_version < 2 and self.lowest_schema_version() >= 2:
            raise ValueError(
                f"diagnostics.json says schema_version {self.schema_version} but has "
                "sections[].translations, which came with schema_version 2; set "
                "schema_version to 2, or remove them")
        return self

    def lowest_schema_version(self) -> int:
        """The schema_version diagnostics.json is written with: 1 unless a section has texts
        in support's language, so Flare versions that read only 1 still read it."""
        return 2 if any(s.translations for s in self.sections) else 1

    def as_written(self) -> Diagnostics:
        """These diagnostics as diagnostics.json holds them: with the lowest schema_version
        that holds them (every writer of diagnostics.json dumps this)."""
        return self.model_copy(update={"schema_version": self.lowest_schema_version()})

    def in_language(self, language: str) -> Diagnostics:
        """The sections as read in ``language`` (support's), where they were written in it."""
        if not language or not any(language in s.translations for s in self.sections):
            return self
        return self.model_copy(update={"sections": [s.in_language(language)
                                                    for s in self.sections]})

    def abnormal_first(self) -> list[DiagnosticSection]:
        """Sections with findings or failures first, the rest after, each group in order."""
        def rank(s: DiagnosticSection) -> int:
            return 0 if (s.findings or s.status != "ok") else 1

        return sorted(self.sections, key=rank)


class Consent(_Model):
    """What the user saw and chose to send."""

    reviewed: bool = False
    reviewed_at: AwareDatetime | None = None
    included_diagnostics: list[str] = Field(default_factory=list)
    excluded_diagnostics: list[str] = Field(default_factory=list)
    excluded_steps: int = Field(0, ge=0, description="Screenshots the user chose not to send.")


AffectedDelivery = Literal["comment", "linked_ticket", "status_page", "note"]


class AffectedIncident(_Model):
    """The person said "I'm affected too" about a known incident instead of filling in the
    whole form: what they joined and how it reaches support."""

    incident_id: str
    title: str = ""
    url: str = ""
    source: str = Field("helpdesk", description="Where the incident came from: helpdesk, "
                        "statuspage, rss, json.")
    delivery: AffectedDelivery = Field(
        "comment", description="comment: on the incident ticket; linked_ticket: a short "
        "ticket linked to it; status_page: no ticket, the page is the place to follow it; "
        "note: a full report that names the incident.")
    note: str = Field("", description="The answer to 'Anything different for you?'.")


class Report(_Model):
    """A problem report. Serialised as ``report.json`` inside a bundle."""

    schema_version: int = Field(
        SCHEMA_VERSION, description="1 or 2. Bundles are written with 2 only when they use "
        "what 2 added: support_locale, translations, add_to_ticket, affected_incidents, "
        "affected and the steps' description.")
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    created_at: AwareDatetime
    happened_at: AwareDatetime | None = Field(None, description="When the problem happened.")
    locale: str = "en"
    support_locale: str = Field("", description="The language support reads (policy "
                                "support.language) when it is not the reporter's.")
    translations: dict[str, ReportTexts] = Field(
        default_factory=dict, description="The form's texts in support's language "
        "(support_locale), written where support reads another language than the reporter.")
    reporter: Reporter = Field(default_factory=Reporter)
    machine: Machine = Field(default_factory=Machine)
    form_id: str = ""
    category: str = ""
    category_label: str = ""
    answers: list[Answer] = Field(default_factory=list)
    title: str = ""
    priority: Priority = Field(default_factory=Priority)
    steps: list[Step] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    consent: Consent = Field(default_factory=Consent)
    add_to_ticket: str = Field(
        "", description="The helpdesk id of the reporter's open ticket this report belongs to "
        "(chosen before the form); empty for a new ticket.")
    affected_incidents: list[str] = Field(
        default_factory=list,
        description="Known incidents the reporter said affect them too (chosen before the form).")
    test: bool = Field(False, description="A test report sent by 'flare connector test'.")
    affected: AffectedIncident | None = Field(
        None, description="Set when the person joined a known incident instead of the form.")

    @model_validator(mode="after")
    def _check_version_and_names(self) -> Report:
        problem = schema_version_problem(self.schema_version)
        if problem:
            raise ValueError(problem)
        newer = self.fields_of_version_2()
        if self.schema_version < 2 and newer:
            raise ValueError(
                f"report.json says schema_version {self.schema_version} but has "
                f"{', '.join(newer)}, which came with schema_version 2; set schema_version "
                "to 2, or remove them")
        names = [s.image for s in self.steps] + [a.file for a in self.attachments]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"file names used twice: {', '.join(dupes)}")
        reserved = {"report.json", "diagnostics.json", "report.html"} & set(names)
        if reserved:
            raise ValueError(f"file names reserved for the bundle itself: {sorted(reserved)}")
        return self

    def fields_of_version_2(self) -> list[str]:
        """The fields set here that schema_version 1 does not have."""
        used = [name for name, value in (("support_locale", self.support_locale),
                                         ("translations", self.translations),
                                         ("add_to_ticket", self.add_to_ticket),
                                         ("affected_incidents", self.affected_incidents),
                                         ("affected", self.affected)) if value]
        if any(s.description for s in self.steps):
            used.append("steps[].description")
        return used

    def in_language(self, language: str) -> Report:
        """This report as read in ``language`` (support's): the form's texts there where they
        were written in it, else as the reporter saw them."""
        texts = self.translations.get(language) if language else None
        if texts is None:
            return self
        answers = []
        for a in self.answers:
            at = texts.answers.get(a.question_id)
            answers.append(a if at is None else a.model_copy(update={
                "question": at.question or a.question, "display": at.display or a.display}))
        return self.model_copy(update={"title": texts.title or self.title,
                                       "category_label": texts.category_label
                                       or self.category_label,
                                       "answers": answers})

    def lowest_schema_version(self) -> int:
        """The schema_version a bundle of this report is written with: 1 unless it uses what
        version 2 added, so Flare versions that read only 1 still read it."""
        return 2 if self.fields_of_version_2() else 1

    def member_files(self) -> list[str]:
        """The evidence files this report refers to, in timeline order."""
        return [s.image for s in self.steps] + [a.file for a in self.attachments]

    def short_id(self) -> str:
        return self.id.hex[:8]


SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "report.schema.json": Report,
    "diagnostics.schema.json": Diagnostics,
}
SCHEMA_VERSIONS_OF = {"report.schema.json": SCHEMA_VERSION,
                      "diagnostics.schema.json": DIAGNOSTICS_SCHEMA_VERSION}


def json_schemas() -> dict[str, str]:
    """The JSON Schemas of report.json and diagnostics.json, as committed in resources/schema.

    Regenerate after changing the model: ``python -m app.report``.
    """
    out = {}
    for file_name, model in SCHEMA_FILES.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://flare-reporter.org/schema/v{SCHEMA_VERSIONS_OF[file_name]}/"
                   f"{file_name}",
            **model.model_json_schema(),
        }
        out[file_name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def now_utc() -> datetime:
    return datetime.now(UTC)


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "resources" / "schema"
    for name, text in json_schemas().items():
        (target / name).write_text(text, encoding="utf-8")
        print(target / name)
