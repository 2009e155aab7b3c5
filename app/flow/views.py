"""What the report window shows, as plain data: questions, categories, the files of the
bundle under review, the screenshots in the report."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.flow.ports import FormStateLike
from app.i18n import N_, Translator

if TYPE_CHECKING:
    from app.bundle import Bundle
    from app.form.model import Question

DESTINATION_NAMES = {
    "rt": "Request Tracker", "redmine": "Redmine", "zendesk": "Zendesk",
    "freshdesk": "Freshdesk", "freshservice": "Freshservice", "gitlab": "GitLab",
    "glpi": "GLPI", "jira_sm": "Jira Service Management", "osticket": "osTicket",
    "servicenow": "ServiceNow", "zammad": "Zammad",
}

SUBJECT_ID = "subject"  # issues about the subject line carry this question id


@dataclass(frozen=True)
class QuestionView:
    """A form question as the window shows it, in the user's language."""

    id: str
    type: str
    text: str
    help: str
    example: str
    required: bool
    allow_dont_know: bool
    options: tuple[tuple[str, str], ...]
    value: Any
    dont_know: bool
    issues: tuple[tuple[str, str, str], ...]  # (severity, message, example)


@dataclass(frozen=True)
class CategoryView:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    what: str


def pick(text: Any, language: str) -> str:
    from app.form.texts import pick

    return pick(text, language)


def categories_of(state: FormStateLike, language: str) -> list[CategoryView]:
    """The categories of the form behind a ``FormState`` (its ``form`` attribute)."""
    form = state.form
    return [
        CategoryView(c.id, pick(c.label, language), pick(c.description, language))
        for c in form.categories
    ]


def review_files(t: Translator, bundle: Bundle,
                 delivered: Sequence[Any] | None = None) -> list[FileEntry]:
    """Every file the destination receives (``delivered``: its prepared files, each with
    name, size, kind and caption), or, without it, every file the bundle holds."""
    if delivered is not None:
        what = {"report_html": t.tr("The report as support reads it (shown here)"),
                "diagnostics": t.tr("The diagnostics you kept ticked")}
        return [FileEntry(f.name, f.size, what.get(f.kind) or f.caption
                          or (t.tr("Screenshot") if f.kind == "step" else f.name))
                for f in delivered]
    diag_json = json.dumps(bundle.diagnostics.as_written().model_dump(mode="json"), indent=2)
    report_json = json.dumps(bundle.report.model_dump(mode="json"), indent=2)
    out = [
        FileEntry("report.html", len(bundle.html.encode("utf-8")),
                  t.tr("The report as support reads it (shown here)")),
        FileEntry("report.json", len(report_json.encode("utf-8")),
                  t.tr("The same report as data, for the helpdesk")),
        FileEntry("diagnostics.json", len(diag_json.encode("utf-8")),
                  t.tr("The diagnostics you kept ticked")),
    ]
    for step in bundle.report.steps:
        out.append(FileEntry(step.image, len(bundle.files[step.image]),
                             step.caption or t.tr("Screenshot")))
    for att in bundle.report.attachments:
        out.append(FileEntry(att.file, len(bundle.files[att.file]), att.name))
    return out


def question_views(questions: Sequence[Question], answers: Mapping[str, tuple[Any, bool]],
                   issues: Mapping[str, list[tuple[str, str, str]]],
                   language: str) -> list[QuestionView]:
    """The form's visible questions with the person's answers and the form engine's issues."""
    out = []
    for q in questions:
        value, dont_know = answers.get(q.id, (None, False))
        out.append(
            QuestionView(
                id=q.id,
                type=q.type,
                text=pick(q.text, language),
                help=pick(q.help, language),
                example=pick(q.example, language),
                required=q.required,
                allow_dont_know=q.allow_dont_know,
                options=tuple((o.id, pick(o.label, language)) for o in q.options),
                value=value,
                dont_know=dont_know,
                issues=tuple(issues.get(q.id, [])),
            )
        )
    return out


# Said on the review page when support reads another language than the person: the report
# shown there (and sent) is in support's language, which would otherwise surprise. One whole
# sentence per language, so each reads right in Russian and Ukrainian ("по-русски", "на
# русском"), not a language name put into a frame.
_SUPPORT_READS = {
    "en": N_("Support reads English, so the report below is written in English; your answers "
             "are sent as you wrote them."),
    "ru": N_("Support reads Russian, so the report below is written in Russian; your answers "
             "are sent as you wrote them."),
    "uk": N_("Support reads Ukrainian, so the report below is written in Ukrainian; your "
             "answers are sent as you wrote them."),
}


def support_language_note(t: Translator, bundle: Bundle) -> str:
    """Why the report under review is in another language than the window; "" when it is
    not (policy support.language names none, or the person's own)."""
    language = bundle.report.support_locale
    if not language or language == bundle.report.locale or language not in _SUPPORT_READS:
        return ""
    return t.tr(_SUPPORT_READS[language])
