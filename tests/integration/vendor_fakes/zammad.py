"""Zammad, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import base64
import re
from typing import Any, ClassVar

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    Violation,
    fixed_now,
    need,
)


class ZammadFake(VendorFake):
    """Zammad REST API v1.

    - https://docs.zammad.org/en/latest/api/intro.html (``Authorization: Token
      token=…``; JSON bodies; errors ``{"error", "error_human"}``)
    - https://docs.zammad.org/en/latest/api/ticket/index.html ("Create": ``title``,
      ``group``, ``customer_id`` (``guess:{email}`` creates or finds the customer),
      ``article`` with ``attachments: [{filename, data (base64), mime-type}]``; "Show" with
      ``expand=true`` gives ``state`` by name; "Search": ``query``, ``limit``, ``expand``)
    - https://docs.zammad.org/en/latest/api/ticket/articles.html (article ``type``,
      ``internal``, ``content_type`` text/plain or text/html)
    """

    routes = (
        ("POST", r"/api/v1/tickets", "create"),
        ("GET", r"/api/v1/tickets/search", "search"),
        ("GET", r"/api/v1/tickets/(\d+)", "show"),
    )
    STATES: ClassVar[dict[int, str]] = {1: "new", 2: "open", 3: "pending reminder",
                                        4: "closed", 6: "pending close"}

    def __init__(self, token: str, groups: tuple[str, ...] = ("Users",)) -> None:
        super().__init__()
        self.token, self.groups = token, groups
        self.customers: dict[str, int] = {}
        self.tickets: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        auth = req.header("authorization")
        need(auth.startswith("Token token=") or auth.startswith("Bearer ")
             or auth.startswith("Basic "), "Authorization: Token token=… expected")
        if auth != f"Token token={self.token}":
            raise Refuse(Reply(401, {"error": "Authentication required"}))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict) and d.get("title"), "title is required")
        assert isinstance(d, dict)
        if d.get("group") not in self.groups:
            raise Refuse(Reply(422, {"error": "No lookup value found for 'group'",
                                     "error_human": f"No lookup value found for 'group': "
                                                    f"{d.get('group')!r}"}))
        customer = d.get("customer_id")
        if customer is not None:
            need(isinstance(customer, int) or (isinstance(customer, str)
                                               and customer.startswith("guess:")
                                               and "@" in customer),
                 "customer_id is an id or guess:{email}")
        if "priority_id" in d:
            need(d["priority_id"] in (1, 2, 3), "priority_id is 1, 2 or 3")
        article = d.get("article")
        need(isinstance(article, dict) and article.get("body"), "article.body is required")
        assert isinstance(article, dict)
        need(article.get("content_type", "text/plain") in ("text/plain", "text/html"),
             "article.content_type is text/plain or text/html")
        need(isinstance(article.get("internal", False), bool), "article.internal is a boolean")
        files = []
        for a in article.get("attachments") or []:
            need(isinstance(a, dict) and {"filename", "data", "mime-type"} <= set(a),
                 "an attachment needs filename, data and mime-type")
            try:
                data = base64.b64decode(a["data"], validate=True)
            except ValueError:
                raise Violation(f"attachment {a['filename']!r}: data is not base64") from None
            files.append((a["filename"], a["mime-type"], data))
        if isinstance(customer, str):
            email = customer[len("guess:"):]
            customer = self.customers.setdefault(email, 100 + len(self.customers))
        tid = next(self.ids)
        ticket = {"id": tid, "number": f"{31000 + tid}", "title": d["title"],
                  "group": d["group"], "state_id": 1, "priority_id": d.get("priority_id", 2),
                  "customer_id": customer, "article_count": 1,
                  "updated_at": "2026-11-25T09:40:00.000Z", "created_at": fixed_now(),
                  "_article": article}
        self.tickets[tid] = ticket
        self.attachments[tid] = files
        return Reply(201, self._public(ticket, expand=False))

    def _public(self, ticket: dict[str, Any], *, expand: bool) -> dict[str, Any]:
        out = {k: v for k, v in ticket.items() if not k.startswith("_")}
        if expand:
            out["state"] = self.STATES[ticket["state_id"]]
        return out

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise Refuse(Reply(404, {"error": "Couldn't find Ticket with 'id'="
                                              f"{m.group(1)}"}))
        return Reply(200, self._public(ticket, expand=req.q("expand") == "true"))

    def _matches(self, ticket: dict[str, Any], term: str) -> bool:
        """One ``field:value`` term of the Elasticsearch query syntax Zammad's search takes:
        a "quoted phrase", a bare word, or ``(a OR b)``; fields title, group.name,
        state.name and tags (https://admin-docs.zammad.org/en/latest/manage/search.html)."""
        t = re.fullmatch(r'([\w.]+):(?:"([^"]*)"|\(([\w ]+)\)|([\w-]+))', term.strip())
        need(t is not None, f"not a search term this model knows: {term!r}")
        assert t is not None
        name = t.group(1)
        values = ([v for v in t.group(3).split(" OR ") if v] if t.group(3)
                  else [t.group(2) if t.group(2) is not None else t.group(4)])
        need(name in ("title", "group.name", "state.name", "tags"), f"{name} is not modelled")
        if name == "title":
            return any(v in ticket["title"] for v in values)
        have = {"group.name": [ticket["group"]], "state.name": [self.STATES[ticket["state_id"]]],
                "tags": ticket.get("_tags", [])}[name]
        return any(v.casefold() == h.casefold() for v in values for h in have)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        query = req.q("query")
        need(query, "search needs ?query=")
        need(req.q("expand") == "true", "expand=true gives the tickets themselves")
        if ":" not in query:
            query = f'title:"{query}"'
        terms = query.split(" AND ")
        hits = [t for t in self.tickets.values() if all(self._matches(t, x) for x in terms)]
        if req.q("sort_by"):
            need(req.q("sort_by") in ("updated_at", "created_at", "id"), "unknown sort_by")
            need(req.q("order_by") in ("asc", "desc"), "order_by is asc or desc")
            hits.sort(key=lambda t: str(t[req.q("sort_by")]), reverse=req.q("order_by") == "desc")
        found = [self._public(t, expand=True) for t in hits]
        return Reply(200, found[:int(req.q("limit") or 50)])

    def add_ticket(self, title: str, group: str, state_id: int = 2,
                   tags: tuple[str, ...] = (), **fields: Any) -> int:
        """A ticket support opened in Zammad itself."""
        tid = next(self.ids)
        self.tickets[tid] = {"id": tid, "number": f"{31000 + tid}", "title": title,
                             "group": group, "state_id": state_id, "priority_id": 2,
                             "customer_id": 1, "article_count": 1, "_tags": list(tags),
                             "created_at": fixed_now(), "updated_at": fixed_now(), **fields}
        self.attachments[tid] = []
        return tid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {n: d for n, _, d in self.attachments[tid]}
