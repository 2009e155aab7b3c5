"""Freshdesk and Freshservice, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.contract_server import (
    Part,
    Received,
    Refuse,
    Reply,
    VendorFake,
    fixed_now,
    need,
)


class FreshFake(VendorFake):
    """Freshdesk API v2 (``wrapped=False``) and Freshservice API v2 (``wrapped=True``: answers
    are ``{"ticket": {...}}``).

    - Freshdesk: https://developers.freshdesk.com/api/#authentication (basic, API key as user
      name, any password), #create_ticket_with_attachment (multipart/form-data,
      ``attachments[]``, array fields as ``tags[]``), #filter_tickets (``query="tag:'x'"``,
      double quotes included), #error (``{"description", "errors": [{"field", "message",
      "code"}]}``), #ratelimit (429 with Retry-After).
    - Freshservice: https://api.freshservice.com/#authentication,
      #create_ticket_with_attachment, #view_a_ticket.
    """

    routes = (
        ("POST", r"/api/v2/tickets", "create"),
        ("GET", r"/api/v2/search/tickets", "search"),
        ("GET", r"/api/v2/tickets/filter", "filter"),
        ("GET", r"/api/v2/tickets/(\d+)", "show"),
    )

    def __init__(self, api_key: str, *, wrapped: bool) -> None:
        super().__init__()
        self.api_key, self.wrapped = api_key, wrapped
        self.tickets: dict[int, dict[str, Any]] = {}
        self.files: dict[int, list[Part]] = {}

    def authenticate(self, req: Received) -> None:
        creds = req.basic_auth()
        need(creds is not None, "basic auth with the API key as user name is required")
        if creds is None or creds[0] != self.api_key:
            raise Refuse(Reply(401, {"code": "invalid_credentials",
                                     "message": "You have to be logged in to perform this "
                                                "action."}))

    def _out(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return {"ticket": ticket} if self.wrapped else ticket

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        parts = req.parts()
        fields: dict[str, list[str]] = {}
        for p in parts:
            if p.filename is None:
                fields.setdefault(p.name, []).append(p.text())
        files = [p for p in parts if p.filename is not None]
        need(all(p.name == "attachments[]" for p in files),
             f"files go in attachments[], got {sorted({p.name for p in files})}")
        for key in ("email", "subject", "description", "priority", "status"):
            need(fields.get(key, [""])[0], f"{key} is required")
        for key in fields:
            need(not key.endswith("]") or key.endswith("[]"), f"array field {key!r} must end "
                                                              "with []")
            need(key.endswith("[]") or len(fields[key]) == 1, f"{key} given twice")
        need(fields["priority"][0] in ("1", "2", "3", "4"), "priority must be 1-4")
        need(fields["status"][0] in ("2", "3", "4", "5"), "status must be 2-5")
        if "group_id" in fields:
            need(fields["group_id"][0].isdigit(), "group_id must be a number")
        for tag in fields.get("tags[]", []):
            need(tag.strip(), "a tag must not be empty")
        tid = next(self.ids)
        ticket: dict[str, Any] = {
            "id": tid, "subject": fields["subject"][0],
            "description": fields["description"][0], "email": fields["email"][0],
            "priority": int(fields["priority"][0]), "status": int(fields["status"][0]),
            "tags": fields.get("tags[]", []), "created_at": fixed_now(), "updated_at": fixed_now(),
            **{k: v[0] for k, v in fields.items() if not k.endswith("[]") and k not in (
                "priority", "status")},
            "attachments": [{"name": p.filename, "content_type": p.content_type,
                             "size": len(p.data)} for p in files]}
        self.tickets[tid] = ticket
        self.files[tid] = files
        return Reply(201, self._out(ticket))

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise Refuse(Reply(404, {"code": "access_denied", "message": "not found"}))
        return Reply(200, self._out(ticket))

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        need(not self.wrapped, "Freshservice has no /api/v2/search/tickets")
        query = req.q("query")
        found = re.fullmatch(r"\"tag:'([^']+)'\"", query)
        need(found, f"query must read \"tag:'...'\" with the double quotes, got {query!r}")
        assert found is not None
        hits = [t for t in self.tickets.values() if found.group(1) in t["tags"]]
        return Reply(200, {"results": hits, "total": len(hits)})

    def filter(self, req: Received, m: re.Match[str]) -> Reply:
        """Freshservice "Filter Tickets": ``query="field:value AND ..."`` with the double
        quotes; numbers bare, strings in single quotes; ``{"tickets": [...]}``, newest
        first, 30 a page (https://api.freshservice.com/#filter_tickets)."""
        need(self.wrapped, "Freshdesk filters at /api/v2/search/tickets")
        query = req.q("query")
        need(len(query) > 2 and query[0] == query[-1] == '"',
             f"query must be in double quotes, got {query!r}")
        hits = list(self.tickets.values())
        for term in query[1:-1].split(" AND "):
            t = re.fullmatch(r"(\w+):(?:(\d+)|'([^']*)')", term.strip())
            need(t is not None, f"not a filter term: {term!r} in {query!r}")
            assert t is not None
            name, value = t.group(1), t.group(2) or t.group(3)
            need(name in ("status", "priority", "group_id", "agent_id", "requester_id",
                          "impact", "urgency", "tag"), f"{name} is not a filter field")
            hits = [x for x in hits if (value in x.get("tags", []) if name == "tag"
                                        else str(x.get(name, "")) == value)]
        hits.sort(key=lambda x: str(x["created_at"]), reverse=True)
        return Reply(200, {"tickets": hits[:30], "total": len(hits)})

    def add_ticket(self, subject: str, **fields: Any) -> int:
        """A ticket support filed in Freshservice itself."""
        tid = next(self.ids)
        self.tickets[tid] = {"id": tid, "subject": subject, "status": 2, "priority": 1,
                             "tags": [], "created_at": fixed_now(), "updated_at": fixed_now(),
                             **fields}
        self.files[tid] = []
        return tid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {str(p.filename): p.data for p in self.files[tid]}
