"""A connector defined by a spec (YAML): the declarative HTTP connector."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from app.helpdesk.delivery_bundle import DeliveryBundle, refer_to_attached
from app.helpdesk.errors import DeliveryError, SpecError
from app.helpdesk.incident_affected import affected_comment, affected_text, comment_marker
from app.helpdesk.limits import fit_to_limits
from app.helpdesk.protocol import (
    Incident,
    Reply,
    TicketRef,
    TicketState,
    TicketStatus,
    TicketSummary,
    Unsupported,
)
from app.helpdesk.spec.accepts import fit_to_accepts
from app.helpdesk.spec.engine import Engine, Progress
from app.helpdesk.spec.model import Spec
from app.helpdesk.spec.template import Secret, to_text
from app.helpdesk.ticket_text import ticket_subject
from app.i18n import current

_MB = 1024 * 1024
log = logging.getLogger("flare.helpdesk")


class SpecConnector:
    def __init__(
        self,
        spec: Spec,
        *,
        params: dict[str, Any],
        secrets: dict[str, str],
        session: requests.Session,
        max_attachment_mb: int | None = None,
        timeout: tuple[float, float] | None = None,
    ) -> None:
        self.spec = spec
        self.name = spec.name
        missing = [p.name for p in spec.params.values()
                   if p.required and params.get(p.name) in (None, "")]
        if missing:
            raise SpecError(current().tr(
                "the {helpdesk} connector needs {params}: set {settings}", helpdesk=spec.title,
                params=", ".join(missing),
                settings=", ".join(spec.params[m].setting or f"params.{m}" for m in missing)))
        full = {p.name: p.default for p in spec.params.values()}
        full.update({k: v for k, v in params.items() if v not in (None, "")})
        spec_limit = spec.limits.get("max_attachment_mb")
        limits = [x for x in (spec_limit, max_attachment_mb) if x]
        self.max_file_bytes = min(limits) * _MB if limits else None
        self.engine = Engine(
            spec, session,
            {"params": full, "secret": {k: Secret(v) for k, v in secrets.items()},
             "spec": {"name": spec.name, "title": spec.title}},
            timeout=timeout,
        )
        # An operation with a `when` that does not hold here is not offered at all.
        self.capabilities = frozenset(n for n in spec.capabilities if self.engine.offers(n))

    # ------------------------------------------------------------------ protocol

    def prepare(self, bundle: DeliveryBundle) -> DeliveryBundle:
        # Accepted types first: a converted screenshot is then fitted to the size limit too.
        # report.html then names the final screenshot files instead of inlining them again.
        accepted = fit_to_accepts(bundle, self.spec.accepts, self.spec.title)
        return fit_to_limits(refer_to_attached(accepted), self.max_file_bytes)

    def submit(
        self,
        bundle: DeliveryBundle,
        *,
        progress: Progress | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_request: Callable[[], None] | None = None,
    ) -> TicketRef:
        prepared = self.prepare(bundle)
        self.engine.heartbeat = on_request
        try:
            result = self.engine.run("submit", self._bundle_values(prepared),
                                     progress=progress, on_progress=on_progress)
        finally:
            self.engine.heartbeat = None
        ref = _ticket_ref(result, "operations.submit.result")
        if ref is None:
            raise DeliveryError(current().tr(
                "{helpdesk} answered, but the spec's submit result has no ticket id; check "
                "{setting}", helpdesk=self.spec.title, setting="operations.submit.result"),
                kind="config")
        return ref

    def find_existing(self, bundle: DeliveryBundle) -> TicketRef | None:
        """The ticket filed earlier for this report. The files are offered too (fitted as
        submit fits them, so the names match): a create-then-attach spec lists what the ticket
        has and attaches the rest, so a delivery cut short between create and attach still
        ends with every file on the ticket."""
        if "find_existing" not in self.capabilities:
            return None
        prepared = self.prepare(bundle)
        result = self.engine.run("find_existing", self._bundle_values(prepared))
        ref = _ticket_ref(result, "operations.find_existing.result")
        if ref is None or not isinstance(result, dict) or "files" not in result:
            return ref
        # The result lists the files the ticket has: the report is sent only once every
        # file is on it (a ticket created before Flare stopped may lack some).
        have = _file_names(result.get("files"))
        missing = [f for f in prepared.files if f.name not in have]
        if not missing:
            return ref
        names = ", ".join(f.name for f in missing)
        if "attach" not in self.spec.operations:
            raise DeliveryError(current().tr(
                "{helpdesk} has ticket {ticket} for this report, but without {files}, and the "
                "spec has no {operation} to add them; add one (see {doc})",
                helpdesk=self.spec.title, ticket=ref.display(), files=names,
                operation="operations.attach", doc="docs/connectors.md"), kind="config")
        log.info("ticket %s lacks %s; attaching them", ref.id, names)
        values = self._bundle_values(prepared.with_files(missing, []))
        values["ticket"] = _ref_values(ref)
        self.engine.run("attach", values)
        return ref

    def check(self) -> dict[str, Any]:
        """The spec's harmless authenticated request (``flare doctor``); its result."""
        self._need("check")
        result = self.engine.run("check", {})
        return result if isinstance(result, dict) else {}

    def status(self, ref: TicketRef) -> TicketStatus:
        self._need("status")
        result = self.engine.run("status", {"ticket": _ref_values(ref)})
        return self._status(result)

    def open_tickets(self, reporter_email: str) -> list[TicketSummary]:
        self._need("open_tickets")
        result = self.engine.run("open_tickets", {"reporter": {"email": reporter_email}})
        out = []
        for item in result or []:
            ref = _ticket_ref(item, "operations.open_tickets.result")
            if ref is not None:
                out.append(TicketSummary(ref, to_text(item.get("title"), ""),
                                         self._status(item)))
        return out

    def search(self, reporter_email: str, words: str, since: datetime) -> list[TicketSummary]:
        """Recent tickets like this one: the reporter's own, or with ``words`` in the subject,
        filed since ``since`` (``updated_at`` of each is when it was filed)."""
        self._need("search")
        utc = since.astimezone(UTC)
        result = self.engine.run("search", {
            "reporter": {"email": reporter_email},
            "query": {"words": words, "since": since.strftime("%Y-%m-%d %H:%M:%S"),
                      "since_iso": utc.strftime("%Y-%m-%dT%H:%M:%SZ")}})
        out: list[TicketSummary] = []
        for item in result or []:
            ref = _ticket_ref(item, "operations.search.result")
            # Two searches (the reporter's, the subject's) may both find one ticket.
            if ref is not None and all(t.ref.id != ref.id for t in out):
                out.append(TicketSummary(ref, to_text(item.get("title"), ""),
                                         self._status(item)))
        return out

    def incidents(self) -> list[Incident]:
        self._need("incidents")
        result = self.engine.run("incidents", {})
        return [
            Incident(id=to_text(i.get("id"), ""), title=to_text(i.get("title"), ""),
                     url=to_text(i.get("url"), ""), started_at=_date(i.get("started_at")),
                     details=to_text(i.get("details"), ""),
                     updated_at=_date(i.get("updated_at")),
                     resolved=bool(i.get("resolved")) and to_text(i.get("resolved"), "")
                     not in ("false", "0", ""))
            for i in result or [] if isinstance(i, dict)
        ]

    def comment(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef:
        """ "I'm affected too": the short comment (``text.comment``) on incident ``ref``."""
        self._need("comment")
        values = self._bundle_values(self.prepare(bundle))
        values["ticket"] = _ref_values(ref)
        self.engine.run("comment", values)
        return ref

    def find_comment(self, ref: TicketRef, bundle: DeliveryBundle) -> bool:
        """Whether incident ``ref`` already has this report's "affected too" comment (its
        history holds ``text.comment_marker``): asked before any repeated comment, because
        a comment whose answer was lost may have been posted."""
        if "find_comment" not in self.capabilities:
            raise Unsupported(f"{self.spec.title} cannot look for a comment it may have "
                              "posted; add operations.find_comment to the spec")
        values = self._bundle_values(bundle, files=False)
        values["ticket"] = _ref_values(ref)
        result = self.engine.run("find_comment", values)
        return isinstance(result, dict) and result.get("id") not in (None, "")

    def link(self, ref: TicketRef, target: TicketRef) -> None:
        """Ticket ``ref`` refers to ``target`` (RT RefersTo, a Redmine relation)."""
        self._need("link")
        self.engine.run("link", {"ticket": _ref_values(ref), "target": _ref_values(target)})

    def replies(self, ref: TicketRef) -> list[Reply]:
        """The ticket's public replies, oldest first; an item without text is left out (a
        correspondence that only attached a file)."""
        self._need("replies")
        result = self.engine.run("replies", {"ticket": _ref_values(ref)})
        out = []
        for r in result or []:
            if not isinstance(r, dict):
                raise DeliveryError(current().tr(
                    "{setting} must give a list of mappings with {fields}; check the spec",
                    setting="operations.replies.result", fields="author, at, text"),
                    kind="config")
            text = to_text(r.get("text"), "").strip()
            if text:
                out.append(Reply(author=to_text(r.get("author"), ""), text=text,
                                 at=_date(r.get("at"))))
        return sorted(out, key=lambda r: r.at.timestamp() if r.at else 0.0)

    def add_to_ticket(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef:
        self._need("add_to_ticket")
        values = self._bundle_values(self.prepare(bundle))
        values["ticket"] = _ref_values(ref)
        self.engine.run("add_to_ticket", values)
        return ref

    # ------------------------------------------------------------------ helpers

    def _need(self, operation: str) -> None:
        if operation not in self.capabilities:
            raise Unsupported(f"{self.spec.title} does not offer {operation}")

    def _status(self, result: Any) -> TicketStatus:
        if not isinstance(result, dict):
            raise DeliveryError(current().tr("the status result is not a mapping; check the "
                                             "spec"), kind="config")
        label = to_text(result.get("label"), "")
        state: TicketState = self.spec.status_map.get(  # type: ignore[assignment]
            label.casefold(), self.spec.status_default)
        return TicketStatus(state=state, label=label, updated_at=_date(result.get("updated_at")))

    def _bundle_values(self, bundle: DeliveryBundle, files: bool = True) -> dict[str, Any]:
        report = bundle.report
        # A spec's fields show the form's texts as support reads them (support.language).
        rdump = report.in_language(report.support_locale).model_dump(mode="json")
        rdump["short_id"] = report.short_id()
        values: dict[str, Any] = {
            "report": rdump,
            "text": {"subject": ticket_subject(report),
                     "body": affected_text(report, bundle.diagnostics, bundle.notes),
                     "comment": affected_comment(report, bundle.diagnostics),
                     "marker": f"Flare {report.short_id()}",
                     "comment_marker": comment_marker(report)},
        }
        if files:
            values["files"] = list(bundle.files)
            values["step_files"] = [f for f in bundle.files if f.kind == "step"]
            values["attachment_files"] = [f for f in bundle.files if f.kind != "step"]
        return values


def _file_names(value: Any) -> set[str]:
    """Names from a list of names or of objects with a name (name, filename, file_name)."""
    out: set[str] = set()
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            item = next((item[k] for k in ("name", "filename", "file_name") if item.get(k)),
                        None)
        if item not in (None, ""):
            out.add(to_text(item, ""))
    return out


def _ref_values(ref: TicketRef) -> dict[str, str]:
    return {"id": ref.id, "number": ref.number, "url": ref.url}


def _ticket_ref(result: Any, where: str) -> TicketRef | None:
    if result is None:
        return None
    if not isinstance(result, dict):
        raise DeliveryError(current().tr("{setting} must give a mapping with {field}",
                                         setting=where, field="id"), kind="config")
    ident = result.get("id")
    if ident in (None, ""):
        return None
    return TicketRef(id=to_text(ident, ""), number=to_text(result.get("number") or ident, ""),
                     url=to_text(result.get("url"), ""))


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    text = to_text(value, "").strip().replace("Z", "+00:00")
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    # A date without a zone (GLPI answers in its own server's time) is taken as this
    # computer's local time, the best guess inside one organisation; a naive datetime could
    # not be sorted with the other sources' aware ones.
    return at if at.tzinfo is not None else at.astimezone()
