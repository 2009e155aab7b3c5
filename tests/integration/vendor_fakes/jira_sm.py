"""Jira Service Management, as its documentation describes the API: a fake for
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
    need,
)


class JiraSmFake(VendorFake):
    """servicedeskapi.

    - auth: https://developer.atlassian.com/cloud/jira/service-desk/basic-auth-for-rest-apis/
      (basic, account e-mail + API token)
    - https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
      ("Create customer request": ``serviceDeskId``, ``requestTypeId``,
      ``requestFieldValues``, ``raiseOnBehalfOf``; "Get customer requests": ``searchTerm``;
      "Get customer request by id or key": ``currentStatus``; "Create attachment":
      ``temporaryAttachmentIds``, ``public``)
    - https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/
      ("Attach temporary file": multipart ``file``, headers ``X-Atlassian-Token: no-check``
      and ``X-ExperimentalApi: opt-in``)
    """

    routes = (
        ("POST", r"/rest/servicedeskapi/request", "create"),
        ("GET", r"/rest/servicedeskapi/request", "search"),
        ("POST", r"/rest/servicedeskapi/servicedesk/(\w+)/attachTemporaryFile", "temporary"),
        ("POST", r"/rest/servicedeskapi/request/([A-Z]+-\d+)/attachment", "attach"),
        ("GET", r"/rest/servicedeskapi/request/([A-Z]+-\d+)/attachment", "attachments_of"),
        ("GET", r"/rest/servicedeskapi/request/([A-Z]+-\d+)", "show"),
        ("GET", r"/rest/api/2/search/jql", "jql_search"),
        ("GET", r"/rest/api/2/search", "jql_search_old"),
    )

    def __init__(self, user: str, token: str, desk: str, request_type: str,
                 data_center: bool = False) -> None:
        super().__init__()
        self.user, self.token, self.desk, self.request_type = user, token, desk, request_type
        # Cloud answers /rest/api/2/search with 410 Gone since CHANGE-2046; Data Center has
        # no /search/jql.
        self.data_center = data_center
        self.issues: dict[str, dict[str, Any]] = {}  # key -> the issue as JQL sees it
        self.requests: dict[str, dict[str, Any]] = {}
        self.temp_files: dict[str, Part] = {}
        self.attached: dict[str, list[Part]] = {}

    def authenticate(self, req: Received) -> None:
        need(req.basic_auth() is not None, "basic auth (e-mail:API token) is required")
        if req.basic_auth() != (self.user, self.token):
            raise Refuse(Reply(401, {"errorMessage": "Client must be authenticated to access "
                                                     "this resource."}))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict), "a JSON object is expected")
        need(str(d.get("serviceDeskId")) == self.desk, "serviceDeskId is required")
        need(str(d.get("requestTypeId")) == self.request_type, "requestTypeId is required")
        fields = d.get("requestFieldValues")
        need(isinstance(fields, dict) and fields.get("summary"),
             "requestFieldValues.summary is required")
        assert isinstance(fields, dict)
        if "priority" in fields:
            need(isinstance(fields["priority"], dict) and "name" in fields["priority"],
                 "priority is {\"name\": ...}")
        key = f"HD-{len(self.requests) + 1}"
        self.requests[key] = {"issueId": str(next(self.ids)), "issueKey": key,
                              "requestTypeId": self.request_type, "serviceDeskId": self.desk,
                              "reporter": {"emailAddress": d.get("raiseOnBehalfOf")},
                              "requestFieldValues": [{"fieldId": k, "value": v}
                                                     for k, v in fields.items()],
                              "currentStatus": {"status": "Waiting for support",
                                                "statusCategory": "NEW",
                                                "statusDate": {"iso8601":
                                                               "2026-11-25T09:40:00+0200"}},
                              "_links": {"web": f"http://jira.test/servicedesk/{key}"}}
        self.attached[key] = []
        return Reply(201, self.requests[key])

    def temporary(self, req: Received, m: re.Match[str]) -> Reply:
        need(req.header("x-atlassian-token") == "no-check", "X-Atlassian-Token: no-check "
                                                            "is required")
        need(req.header("x-experimentalapi") == "opt-in", "X-ExperimentalApi: opt-in is "
                                                          "required")
        need(m.group(1) == self.desk, "unknown service desk")
        parts = req.parts()
        need(parts and all(p.name == "file" and p.filename for p in parts),
             "temporary files go in part 'file' with a filename")
        out = []
        for p in parts:
            tid = f"temp{next(self.ids)}"
            self.temp_files[tid] = p
            out.append({"temporaryAttachmentId": tid, "fileName": p.filename})
        return Reply(201, {"temporaryAttachments": out})

    def attach(self, req: Received, m: re.Match[str]) -> Reply:
        key = m.group(1)
        need(key in self.requests, "no such request (create it first)")
        d = req.json()
        ids = d.get("temporaryAttachmentIds") if isinstance(d, dict) else None
        need(isinstance(ids, list) and ids, "temporaryAttachmentIds is required")
        assert isinstance(ids, list) and isinstance(d, dict)
        need(isinstance(d.get("public"), bool), "public (boolean) is required")
        for tid in ids:
            need(tid in self.temp_files, f"{tid} is not a temporary attachment (upload first)")
            self.attached[key].append(self.temp_files.pop(tid))
        return Reply(201, {"attachments": {"values": [
            {"filename": p.filename, "size": len(p.data)} for p in self.attached[key]]}})

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        found = self.requests.get(m.group(1))
        if found is None:
            raise Refuse(Reply(404, {"errorMessage": "Request does not exist"}))
        return Reply(200, found)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        term = req.q("searchTerm")
        hits = [r for r in self.requests.values()
                if any(f["fieldId"] == "summary" and term in f["value"]
                       for f in r["requestFieldValues"])]
        return Reply(200, {"size": len(hits), "start": 0, "limit": 50, "isLastPage": True,
                           "values": hits})

    def attachments_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"Get attachments for request": ``values[].filename``."""
        key = m.group(1)
        if key not in self.requests:
            raise Refuse(Reply(404, {"errorMessage": "Request does not exist"}))
        values = [{"filename": p.filename, "size": len(p.data), "mimeType": p.content_type}
                  for p in self.attached[key]]
        return Reply(200, {"size": len(values), "start": 0, "limit": 50, "isLastPage": True,
                           "values": values})

    def add_issue(self, key: str, summary: str, *, issuetype: str = "Incident",
                  status_category: str = "In Progress", priority: str = "Medium",
                  created: str = "2026-11-25T07:00:00.000+0200",
                  updated: str = "2026-11-25T07:00:00.000+0200") -> None:
        self.issues[key] = {"project": key.split("-")[0], "issuetype": issuetype,
                            "statusCategory": status_category, "priority": priority,
                            "summary": summary, "created": created, "updated": updated}

    _JQL_TERM = re.compile(r"""(\w+)\s*(!=|=)\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)"|(\w+))""")

    def _jql(self, jql: str) -> list[tuple[str, dict[str, Any]]]:
        """The JQL Flare sends: ``field = value`` / ``field != value`` terms joined by AND
        (parentheses allowed), then ``ORDER BY field DESC``; values bare or quoted."""
        where, _, order = jql.partition(" ORDER BY ")
        hits = list(self.issues.items())
        for raw in where.replace("(", " ").replace(")", " ").split(" AND "):
            t = self._JQL_TERM.fullmatch(raw.strip())
            need(t is not None, f"not JQL this model knows: {raw.strip()!r} in {jql!r}")
            assert t is not None
            field_name, op = t.group(1), t.group(2)
            value = next(v for v in t.groups()[2:] if v is not None).replace("\\'", "'")
            need(field_name in ("project", "issuetype", "statusCategory", "priority"),
                 f"field {field_name!r} is not modelled")
            hits = [(k, i) for k, i in hits
                    if (i[field_name].casefold() == value.casefold()) == (op == "=")]
        if order:
            name, _, direction = order.strip().partition(" ")
            need(name in ("updated", "created"), f"unexpected ORDER BY {order!r}")
            hits.sort(key=lambda kv: kv[1][name], reverse=direction.upper() == "DESC")
        return hits

    def _issues(self, req: Received) -> list[dict[str, Any]]:
        hits = self._jql(req.q("jql"))[:int(req.q("maxResults") or 50)]
        fields = [f for f in req.q("fields").split(",") if f]
        return [{"id": str(10000 + list(self.issues).index(k)), "key": k,
                 "self": f"/rest/api/2/issue/{k}",
                 **({"fields": {f: i[f] for f in fields if f in i}} if fields else {})}
                for k, i in hits]

    def jql_search(self, req: Received, m: re.Match[str]) -> Reply:
        """Cloud "Search for issues using JQL enhanced search (GET)": only ids unless
        ``fields`` asks; ``{"issues": [...], "isLast": ...}``."""
        if self.data_center:
            raise Refuse(Reply(404, {"errorMessages": ["null for uri"]}))
        return Reply(200, {"issues": self._issues(req), "isLast": True})

    def jql_search_old(self, req: Received, m: re.Match[str]) -> Reply:
        """Data Center "Search for issues using JQL (GET)": ``startAt``, ``maxResults``,
        ``total``, ``issues``; removed on Cloud."""
        if not self.data_center:
            raise Refuse(Reply(410, {"errorMessages": [
                "The requested API has been removed. Please migrate to the "
                "/rest/api/3/search/jql API."]}))
        found = self._issues(req)
        return Reply(200, {"startAt": 0, "maxResults": int(req.q("maxResults") or 50),
                           "total": len(found), "issues": found})

    def files_of(self, key: str) -> dict[str, bytes]:
        return {str(p.filename): p.data for p in self.attached[key]}

    def attach_counts(self, key: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.attached[key]:
            counts[str(p.filename)] = counts.get(str(p.filename), 0) + 1
        return counts
