"""What the report window says about where Send puts the report and where it went."""

from __future__ import annotations

from pathlib import Path

from app.flow.ports import Outcome
from app.flow.views import DESTINATION_NAMES
from app.i18n import Translator


def destination_text(t: Translator, kind: str, reports_dir: Path, add_to_ticket: str) -> str:
    """Where Send puts the report, in the words the Send button's neighbour shows."""
    if kind == "folder":
        return t.tr("Send saves the report in the folder {path}.", path=str(reports_dir))
    name = DESTINATION_NAMES.get(kind, kind)
    if kind in ("webhook", "spec"):
        name = t.tr("your helpdesk")
    if kind == "email":
        return t.tr("Send e-mails the report to your helpdesk.")
    if add_to_ticket:
        return t.tr("Send adds the report to your ticket {ticket} in {helpdesk}.",
                    ticket=add_to_ticket, helpdesk=name)
    return t.tr("Send opens a new ticket in {helpdesk}.", helpdesk=name)


def sent_message(t: Translator, r: Outcome | None) -> str:
    """The one line that says where the report is."""
    if r is None:
        return ""
    if r.state == "sent" and r.added_to_ticket:
        return t.tr("Your report was added to your open ticket {number}.",
                         number=r.ticket_number)
    if r.state == "sent":
        return t.tr("Your report was sent. Ticket number: {number}",
                         number=r.ticket_number)
    if r.state == "queued":
        return t.tr(
            "Your report is queued and will be sent when the helpdesk is reachable."
        )
    if r.state == "failed":
        return t.tr(
            "Your report is kept on this computer, but the helpdesk did not accept it. "
            "Please tell your IT department; once they fix it, Flare can send it."
        )
    if r.state == "sending":
        return t.tr("Sending your report…")
    return t.tr("Your report was saved as {path}", path=str(r.path))

def sent_details(t: Translator, r: Outcome | None) -> list[str]:
    """Why it is queued or refused, in plain words, then what the helpdesk said."""
    if r is None:
        return []
    out: list[str] = []
    if r.new_instead_of_add:
        out.append(t.tr(
            "This helpdesk cannot add to an existing ticket, so your report is a new "
            "ticket that names your open ticket."))
    if r.state in ("queued", "failed"):
        out.append(_plain_reason(t, r.error_kind))
        if r.error:
            out.append(t.tr("Details: {detail}", detail=r.error))
        # What the helpdesk itself answered; for a network failure that is only the
        # socket error, already said in plain words above.
        said = r.helpdesk_message
        if said and r.error_kind != "network" and said not in r.error:
            out.append(t.tr("The helpdesk said: {message}", message=said))
    out += r.notes
    return out

def _plain_reason(t: Translator, kind: str) -> str:
    if kind == "network":
        return t.tr("Why: the helpdesk cannot be reached right now (no network "
                    "connection, or the helpdesk is down).")
    if kind == "server":
        return t.tr("Why: the helpdesk has a problem of its own right now.")
    if kind == "rate_limit":
        return t.tr("Why: the helpdesk is busy and asked Flare to wait a little.")
    if kind == "auth":
        return t.tr("Why: the helpdesk did not accept Flare's sign-in.")
    if kind == "validation":
        return t.tr("Why: the helpdesk refused the report as it is.")
    if kind == "config":
        return t.tr("Why: the connection to the helpdesk is not set up correctly.")
    return t.tr("Why: the first attempt to send did not succeed; Flare tries again by "
                "itself.")
