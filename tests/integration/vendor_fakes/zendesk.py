"""Zendesk, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    fixed_now,
    need,
)


class ZendeskFake(VendorFake):
    """Requests API + Uploads API.

    - auth: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
      ("API token": ``{enduser_email_address}/token:{api_token}``, basic auth)
    - format: https://developer.zendesk.com/api-reference/introduction/requests
      (Content-Type application/json on POST; Accept application/json)
    - uploads: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/
      (``POST /api/v2/uploads?filename=``, binary body, answers ``upload.token``)
    - idempotency: https://developer.zendesk.com/api-reference/ticketing/introduction/
      (``Idempotency-Key``; a replay answers the first result with x-idempotency-lookup: hit)
    - anonymous: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
      ("Anonymous requests": no authentication; the create call must carry
      ``request.requester`` with ``name`` and ``email``; only ticket creation is anonymous).
      ``anonymous=True`` plays an account that allows anyone to submit tickets; uploads are
      then accepted without auth as the Help Center's anonymous form does (an assumption:
      the Uploads API page does not say).
    """

    routes = (
        ("POST", r"/api/v2/uploads(\.json)?", "upload"),
        ("GET", r"/api/v2/requests/search(\.json)?", "search"),
        ("POST", r"/api/v2/requests(\.json)?", "create"),
        ("GET", r"/api/v2/requests/(\d+)(\.json)?", "show"),
    )

    def __init__(self, email: str, token: str, *, anonymous: bool = False) -> None:
        super().__init__()
        self.email, self.token, self.anonymous = email, token, anonymous
        self.anonymous_calls: list[str] = []
        self.uploads: dict[str, tuple[str, str, bytes]] = {}
        self.requests: dict[int, dict[str, Any]] = {}
        self.idempotency: dict[str, tuple[bytes, Reply]] = {}

    def authenticate(self, req: Received) -> None:
        need("application/json" in req.header("accept"), "Accept: application/json is required")
        creds = req.basic_auth()
        if creds is None and not req.header("authorization"):
            anonymous_route = req.method == "POST" and re.fullmatch(
                r"/api/v2/(requests|uploads)(\.json)?", req.raw_path)
            if self.anonymous and anonymous_route:
                self.anonymous_calls.append(req.raw_path)
                return
            raise Refuse(Reply(401, {"error": "Couldn't authenticate you"}))
        need(creds is not None, "the Requests API needs basic auth {email}/token:{api_token}")
        assert creds is not None
        need(creds[0].endswith("/token"), f"user {creds[0]!r} must be '{{email}}/token'")
        if creds != (f"{self.email}/token", self.token):
            raise Refuse(Reply(401, {"error": "Couldn't authenticate you"}))

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        name = req.q("filename")
        need(name, "uploads need ?filename=")
        need(req.body, "the upload body (the file's bytes) is empty")
        need(req.header("content-type"), "uploads need the file's Content-Type")
        token = f"tok{next(self.ids)}"
        self.uploads[token] = (name, req.header("content-type"), req.body)
        return Reply(201, {"upload": {"token": token, "attachment": {
            "file_name": name, "content_type": req.header("content-type"),
            "size": len(req.body)}}})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        key = req.header("idempotency-key")
        if key and key in self.idempotency:
            body, first = self.idempotency[key]
            if body != req.body:
                return Reply(400, {"error": "IdempotentRequestError",
                                   "description": "Request parameters do not match the "
                                                  "original request for this key"})
            return Reply(first.status, first.body, {"x-idempotency-lookup": "hit"})
        data = req.json()
        r = data.get("request") if isinstance(data, dict) else None
        need(isinstance(r, dict), "the body must be {\"request\": {...}}")
        assert isinstance(r, dict)
        need(isinstance(r.get("subject"), str) and r["subject"], "request.subject is required")
        comment = r.get("comment")
        need(isinstance(comment, dict) and comment.get("body"), "request.comment.body is required")
        assert isinstance(comment, dict)
        anonymous = not req.header("authorization")
        requester = r.get("requester")
        if anonymous:
            need(isinstance(requester, dict) and requester.get("name")
                 and "@" in str(requester.get("email", "")),
                 "an anonymous request needs request.requester with name and email")
        else:
            need(requester is None, "an authenticated end user files as themselves; "
                                    "request.requester is for anonymous requests")
        if "priority" in r:
            need(r["priority"] in ("low", "normal", "high", "urgent"),
                 f"priority {r['priority']!r} is not low/normal/high/urgent")
        for token in comment.get("uploads") or []:
            need(token in self.uploads, f"upload token {token!r} was never issued (upload "
                                        "first, then reference)")
        rid = next(self.ids)
        record = {"id": rid, "url": f"/api/v2/requests/{rid}.json", "subject": r["subject"],
                  "description": comment["body"], "status": "new",
                  "priority": r.get("priority"), "custom_fields": r.get("custom_fields", []),
                  "uploads": list(comment.get("uploads") or []),
                  "requester": requester, "created_at": fixed_now(), "updated_at": fixed_now()}
        self.requests[rid] = record
        reply = Reply(201, {"request": {k: v for k, v in record.items() if k != "uploads"}},
                      {"x-idempotency-lookup": "miss"} if key else {})
        if key:
            self.idempotency[key] = (req.body, reply)
        return reply

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        record = self.requests.get(int(m.group(1)))
        if record is None:
            raise Refuse(Reply(404, {"error": "RecordNotFound", "description": "Not found"}))
        return Reply(200, {"request": {k: v for k, v in record.items() if k != "uploads"}})

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        query = req.q("query").strip('"')
        need(query, "search needs ?query=")
        found = [r for r in self.requests.values() if query in r["subject"]]
        return Reply(200, {"requests": found, "count": len(found)})

    def files_of(self, rid: int) -> dict[str, bytes]:
        return {self.uploads[t][0]: self.uploads[t][2] for t in self.requests[rid]["uploads"]}
