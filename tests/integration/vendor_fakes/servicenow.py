"""ServiceNow, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    need,
)


class ServiceNowFake(VendorFake):
    """Table API + Attachment API.

    - https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
      ("POST /now/table/{tableName}", "GET /now/table/{tableName}/{sys_id}",
      ``sysparm_query``/``sysparm_fields``/``sysparm_limit``; answers ``{"result": ...}``;
      errors ``{"error": {"message", "detail"}, "status": "failure"}``)
    - https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_AttachmentAPI.html
      ("POST /now/attachment/file": ``table_name``, ``table_sys_id``, ``file_name`` in the
      query, the file as the body with its Content-Type)
    """

    routes = (
        ("GET", r"/api/now/table/sys_user", "users"),
        ("POST", r"/api/now/table/incident", "create"),
        ("GET", r"/api/now/table/incident", "query"),
        ("GET", r"/api/now/table/incident/([0-9a-f]{32})", "show"),
        ("POST", r"/api/now/attachment/file", "attach"),
        ("GET", r"/api/now/attachment", "attachments_of"),
    )

    def __init__(self, user: str, password: str, people: dict[str, str]) -> None:
        super().__init__()
        self.user, self.password = user, password
        self.people = people  # e-mail -> sys_id
        self.incidents: dict[str, dict[str, Any]] = {}
        self.attachments: dict[str, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        need("application/json" in req.header("accept"), "Accept: application/json expected")
        if req.basic_auth() != (self.user, self.password):
            raise Refuse(Reply(401, {"error": {"message": "User Not Authenticated",
                                               "detail": "Required to provide Auth information"},
                                     "status": "failure"}))

    def users(self, req: Received, m: re.Match[str]) -> Reply:
        q = req.q("sysparm_query")
        need(q.startswith("email="), f"unexpected sys_user query {q!r}")
        sys_id = self.people.get(q[len("email="):])
        return Reply(200, {"result": [{"sys_id": sys_id}] if sys_id else []})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        data = req.json()
        need(isinstance(data, dict) and data.get("short_description"),
             "short_description is required")
        for k in ("impact", "urgency"):
            need(str(data.get(k, "3")) in ("1", "2", "3"), f"{k} must be 1, 2 or 3")
        if data.get("caller_id"):
            need(data["caller_id"] in self.people.values(), "caller_id is not a sys_user sys_id")
        sys_id = f"{next(self.ids):032x}"
        record = {**{k: str(v) for k, v in data.items()}, "sys_id": sys_id,
                  "number": f"INC00{len(self.incidents) + 10001}", "state": "1",
                  "opened_at": "2026-11-25 07:40:00", "sys_updated_on": "2026-11-25 07:40:00"}
        self.incidents[sys_id] = record
        self.attachments[sys_id] = []
        return Reply(201, {"result": record})

    # Fields an encoded query may test here; ``active`` is derived from ``state`` as on the
    # platform (New, In Progress, On Hold are active).
    QUERYABLE = frozenset({"correlation_id", "active", "priority", "major_incident_state"})

    def query(self, req: Received, m: re.Match[str]) -> Reply:
        """Encoded query: ``field=value`` terms joined by ``^`` (AND), ``ORDERBYfield`` /
        ``ORDERBYDESCfield`` ("Encoded query strings" in the Table API docs)."""
        q = req.q("sysparm_query")
        terms: dict[str, str] = {}
        order: tuple[str, bool] | None = None
        for term in q.split("^"):
            if term.startswith("ORDERBYDESC"):
                order = (term[len("ORDERBYDESC"):], True)
            elif term.startswith("ORDERBY"):
                order = (term[len("ORDERBY"):], False)
            else:
                field_name, eq, value = term.partition("=")
                need(eq and field_name in self.QUERYABLE and value,
                     f"unexpected incident query term {term!r} in {q!r}")
                terms[field_name] = value

        def value_of(r: dict[str, Any], f: str) -> str:
            if f == "active":
                return "true" if r.get("state") in ("1", "2", "3") else "false"
            return str(r.get(f, ""))

        found = [r for r in self.incidents.values()
                 if all(value_of(r, f) == v for f, v in terms.items())]
        if order:
            found.sort(key=lambda r: str(r.get(order[0], "")), reverse=order[1])
        limit = int(req.q("sysparm_limit") or 10000)
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": [{k: r.get(k, "") for k in fields} if fields else r
                                      for r in found[:limit]]})

    def add_incident(self, **fields: str) -> str:
        """An incident support filed in ServiceNow itself (not through Flare)."""
        sys_id = f"{next(self.ids):032x}"
        self.incidents[sys_id] = {"sys_id": sys_id, "number": f"INC00{next(self.ids)}",
                                  "state": "2", "priority": "4", "opened_at":
                                  "2026-11-25 07:00:00", "sys_updated_on":
                                  "2026-11-25 07:00:00", **fields}
        self.attachments[sys_id] = []
        return sys_id

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        record = self.incidents.get(m.group(1))
        if record is None:
            raise Refuse(Reply(404, {"error": {"message": "No Record found", "detail":
                                               "Record doesn't exist or ACL restricts the "
                                               "record retrieval"}, "status": "failure"}))
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": {k: record[k] for k in fields} if fields else record})

    def attach(self, req: Received, m: re.Match[str]) -> Reply:
        need(req.q("table_name") == "incident", "table_name=incident expected")
        sys_id, name = req.q("table_sys_id"), req.q("file_name")
        need(name, "file_name is required")
        need(req.header("content-type"), "the file's Content-Type is required")
        need(sys_id in self.incidents, "table_sys_id names no incident (create first, then "
                                       "attach)")
        self.attachments[sys_id].append((name, req.header("content-type"), req.body))
        return Reply(201, {"result": {"sys_id": f"{next(self.ids):032x}", "file_name": name,
                                      "table_name": "incident", "table_sys_id": sys_id,
                                      "size_bytes": str(len(req.body))}})

    def attachments_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"GET /now/attachment": metadata of attachments matching ``sysparm_query``."""
        terms = dict(t.partition("=")[::2] for t in req.q("sysparm_query").split("^") if t)
        need(set(terms) <= {"table_name", "table_sys_id"} and terms.get("table_sys_id"),
             f"unexpected attachment query {req.q('sysparm_query')!r}")
        sys_id = terms["table_sys_id"]
        rows = [{"file_name": n, "content_type": t, "size_bytes": str(len(d)),
                 "table_name": "incident", "table_sys_id": sys_id}
                for n, t, d in self.attachments.get(sys_id, [])]
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": [{k: r[k] for k in fields} if fields else r
                                      for r in rows]})

    def files_of(self, sys_id: str) -> dict[str, bytes]:
        return {n: d for n, _, d in self.attachments[sys_id]}

    def attach_counts(self, sys_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for n, _, _ in self.attachments[sys_id]:
            counts[n] = counts.get(n, 0) + 1
        return counts
