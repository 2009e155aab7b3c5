"""The reporter's answer to support, sent from "My reports": a report of its own kind.

An answer travels as a small report bundle queued in the outbox with ``add_to_ticket`` (the
same durable path as "add to my open ticket"): it survives a closed laptop or a helpdesk that
is down, and is sent exactly once. Its ticket text is the answer itself, and it carries no
files (no report.html or diagnostics.json for a one-line answer).
"""

from __future__ import annotations

from datetime import datetime

from app.report import Answer, Report, Reporter

# The one answer of a reply report holds the reporter's text.
REPLY_QUESTION_ID = "flare.reply"


def reply_report(*, text: str, ticket: str, title: str, reporter: Reporter,
                 now: datetime, locale: str = "en") -> Report:
    return Report(
        created_at=now, locale=locale, reporter=reporter,
        # The ticket's subject line for this answer (RT's correspondence subject).
        title=f"Re: {title}" if title else f"Answer on ticket {ticket}",
        answers=[Answer(question_id=REPLY_QUESTION_ID, question="Answer from the reporter",
                        value=text, display=text)],
    )


def reply_text(report: Report) -> str | None:
    """The answer's text when ``report`` is a reply report, else None."""
    if len(report.answers) == 1 and report.answers[0].question_id == REPLY_QUESTION_ID \
            and not report.steps and not report.attachments:
        return str(report.answers[0].display or report.answers[0].value or "")
    return None
