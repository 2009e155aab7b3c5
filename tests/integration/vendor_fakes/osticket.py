"""osTicket, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import base64
import re
from typing import Any

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    Violation,
    need,
)


class OsTicketFake(VendorFake):
    """osTicket HTTP API (ticket creation only).

    - https://github.com/osTicket/docs/blob/master/Developer%20Documentation/API%20Docs.rst
      (``X-API-Key`` header, tied to the client's IP; ``POST /api/tickets.json``)
    - https://docs.osticket.com/en/latest/Developer%20Documentation/API/Tickets.html
      (fields ``email``, ``name``, ``subject``, ``message`` required; ``alert``,
      ``autorespond``, ``source``, ``topicId``, ``priorityId``; ``attachments`` as a list of
      ``{"file name": "data:<type>;base64,…"}`` (RFC 2397); the answer is 201 with the new
      ticket's number as the body; no call reads a ticket back)
    """

    routes = (("POST", r"/api/tickets\.json", "create"),)

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.tickets: dict[str, dict[str, Any]] = {}
        self.files: dict[str, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        if req.header("x-api-key") != self.api_key:
            raise Refuse(Reply(401, "API key not authorized", content_type="text/plain"))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict), "a JSON object is expected")
        assert isinstance(d, dict)
        for key in ("name", "subject", "message"):
            need(isinstance(d.get(key), str) and d[key], f"{key} is required")
        if "@" not in str(d.get("email", "")):
            return Reply(400, "Unable to create ticket: email: Valid email address required",
                         content_type="text/plain")
        for key in ("alert", "autorespond"):
            if key in d:
                need(isinstance(d[key], bool), f"{key} is a boolean")
        for key in ("topicId", "priorityId"):
            if key in d:
                need(str(d[key]).isdigit(), f"{key} is a number")
        files = []
        for entry in d.get("attachments") or []:
            need(isinstance(entry, dict) and len(entry) == 1,
                 "each attachment is {\"file name\": \"data:…\"}")
            (name, url), = entry.items()
            found = re.fullmatch(r"data:([\w.+-]+/[\w.+-]+)(;[^,;]*)*;base64,(.*)", url, re.S)
            need(found, f"attachment {name!r} is not a base64 data: URL")
            assert found is not None
            try:
                data = base64.b64decode(found.group(3), validate=True)
            except ValueError:
                raise Violation(f"attachment {name!r}: not base64") from None
            files.append((name, found.group(1), data))
        number = f"{100000 + next(self.ids)}"
        self.tickets[number] = d
        self.files[number] = files
        return Reply(201, number, content_type="text/plain")

    def files_of(self, number: str) -> dict[str, bytes]:
        return {n: d for n, _, d in self.files[number]}
