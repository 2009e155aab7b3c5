"""GLPI (legacy REST API, apirest.php), as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    Violation,
    need,
)


class GlpiFake(VendorFake):
    """GLPI REST API v1 (``apirest.php``), as its apirest.md documents it.

    - https://help.glpi-project.org/documentation/modules/configuration/general/api/api
      ("Init session": ``GET initSession`` with ``Authorization: user_token …`` and
      ``App-Token``, answers ``session_token``; "Kill session"; every other call carries
      ``Session-Token``; "Add item(s)": ``POST /:itemtype/`` with ``{"input": {…}}``, 201 with
      ``id`` and a ``Location`` header; "Upload a document file": multipart with an
      ``uploadManifest`` JSON part whose ``input._filename`` names the ``filename[n]`` file
      parts; "Get an item"; "Get all items" with ``searchText[field]``; "Errors": a JSON
      array ``["ERROR_CODE", "message"]``, 401 ``ERROR_SESSION_TOKEN_INVALID``)
    - upload example: https://www.github.com/orthagh/glpi_api_upload
    """

    routes = (
        ("GET", r"/apirest\.php/initSession/?", "init_session"),
        ("GET", r"/apirest\.php/killSession/?", "kill_session"),
        ("POST", r"/apirest\.php/Ticket/?", "create"),
        ("GET", r"/apirest\.php/Ticket/?", "search"),
        ("GET", r"/apirest\.php/Ticket/(\d+)/?", "show"),
        ("GET", r"/apirest\.php/Ticket/(\d+)/Document_Item/?", "links_of"),
        ("POST", r"/apirest\.php/Document/?", "upload"),
        ("POST", r"/apirest\.php/Document_Item/?", "link"),
        ("GET", r"/apirest\.php/search/(\w+)/?", "search_items"),
    )
    # Search options of ITIL objects (Ticket, Problem, Change): id -> field.
    OPTIONS: ClassVar[dict[str, str]] = {"1": "name", "2": "id", "12": "status",
                                         "15": "date", "19": "date_mod"}
    # The special status values of option 12 (CommonITILObject): "notold" is neither solved
    # (5) nor closed (6).
    STATUS_SETS: ClassVar[dict[str, set[int]]] = {
        "notold": {1, 2, 3, 4}, "notclosed": {1, 2, 3, 4, 5}, "old": {5, 6},
        "process": {2, 3}, "all": {1, 2, 3, 4, 5, 6}}

    def __init__(self, user_token: str, app_token: str) -> None:
        super().__init__()
        self.user_token, self.app_token = user_token, app_token
        self.sessions: set[str] = set()
        self.logins = 0
        self.tickets: dict[int, dict[str, Any]] = {}
        self.documents: dict[int, tuple[str, str, bytes]] = {}
        self.links: list[tuple[int, str, int]] = []  # (documents_id, itemtype, items_id)
        self.problems: dict[int, dict[str, Any]] = {}
        self._expiries: list[str] = []

    def expire_sessions_at(self, path_pattern: str, times: int = 1) -> None:
        """The next ``times`` requests to ``path_pattern`` find every session gone (GLPI's
        session timeout, or an administrator's restart)."""
        self._expiries += [path_pattern] * times

    @staticmethod
    def _error(status: int, code: str, message: str) -> Refuse:
        return Refuse(Reply(status, [code, message]))

    def authenticate(self, req: Received) -> None:
        if req.header("app-token") != self.app_token:
            raise self._error(400, "ERROR_WRONG_APP_TOKEN_PARAMETER",
                              "parameter app_token seems wrong")
        if req.raw_path.rstrip("/").endswith("/initSession"):
            return
        for i, pattern in enumerate(self._expiries):
            if re.fullmatch(pattern, req.raw_path):
                del self._expiries[i]
                self.sessions.clear()
                break
        need(req.header("session-token"), "every call but initSession needs Session-Token")
        need(not req.header("authorization"), "the user token goes only to initSession")
        if req.header("session-token") not in self.sessions:
            raise self._error(401, "ERROR_SESSION_TOKEN_INVALID",
                              "session_token seems invalid")

    def init_session(self, req: Received, m: re.Match[str]) -> Reply:
        need(not req.body, "GET requests must have an empty body")
        auth = req.header("authorization")
        need(auth.startswith("user_token "), "initSession needs Authorization: user_token …")
        if auth[len("user_token "):] != self.user_token:
            raise self._error(401, "ERROR_GLPI_LOGIN_USER_TOKEN",
                              "parameter user_token seems invalid")
        token = f"{next(self.ids):040x}"
        self.sessions.add(token)
        self.logins += 1
        return Reply(200, {"session_token": token})

    def kill_session(self, req: Received, m: re.Match[str]) -> Reply:
        self.sessions.discard(req.header("session-token"))
        return Reply(200, None)

    def _input(self, req: Received) -> dict[str, Any]:
        data = req.json()
        need(isinstance(data, dict) and isinstance(data.get("input"), dict),
             "the body must be {\"input\": {...}}")
        return dict(data["input"])

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        item = self._input(req)
        need(isinstance(item.get("name"), str) and item["name"], "input.name is required")
        need(isinstance(item.get("content"), str) and item["content"],
             "input.content is required")
        for k in ("urgency", "impact"):
            if k in item:
                need(item[k] in (1, 2, 3, 4, 5), f"{k} must be 1..5 (a number)")
        if "type" in item:
            need(item["type"] in (1, 2), "type is 1 (incident) or 2 (request)")
        if "itilcategories_id" in item:
            need(isinstance(item["itilcategories_id"], int), "itilcategories_id is a number")
        tid = next(self.ids)
        self.tickets[tid] = {**item, "id": tid, "status": 1,
                             "date_mod": "2026-11-25 09:40:00"}
        return Reply(201, {"id": tid, "message": ""},
                     {"Location": f"http://glpi.test/apirest.php/Ticket/{tid}"})

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise self._error(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
        return Reply(200, ticket)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        term = req.q("searchText[name]")
        need(term, "expected searchText[name]=…")
        found = [t for t in self.tickets.values() if term in t["name"]]
        return Reply(200, found, {"Content-Range": f"0-{max(len(found) - 1, 0)}/{len(found)}"})

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        parts = req.parts()
        manifest = [p for p in parts if p.name == "uploadManifest"]
        need(len(manifest) == 1, "one uploadManifest part is required")
        need(manifest[0].content_type == "application/json", "uploadManifest is JSON")
        try:
            data = json.loads(manifest[0].text())
        except ValueError as exc:
            raise Violation(f"uploadManifest is not JSON: {exc}") from None
        item = data.get("input") if isinstance(data, dict) else None
        need(isinstance(item, dict), "uploadManifest must be {\"input\": {...}}")
        assert isinstance(item, dict)
        names = item.get("_filename")
        need(isinstance(names, list) and names, "input._filename lists the file names")
        files = [p for p in parts if p.filename is not None]
        need([p.name for p in files] == [f"filename[{i}]" for i in range(len(files))],
             f"file parts are filename[0], filename[1]…, got {[p.name for p in files]}")
        need([p.filename for p in files] == names, "input._filename must name the file parts")
        doc_id = next(self.ids)
        self.documents[doc_id] = (str(files[0].filename), files[0].content_type, files[0].data)
        return Reply(201, {"id": doc_id, "message": "Document move succeeded.",
                           "upload_result": {"filename": [{"name": files[0].filename}]}},
                     {"Location": f"http://glpi.test/apirest.php/Document/{doc_id}"})

    def link(self, req: Received, m: re.Match[str]) -> Reply:
        item = self._input(req)
        need(item.get("documents_id") in self.documents, "documents_id names no document")
        need(item.get("itemtype") == "Ticket", "itemtype Ticket expected")
        need(item.get("items_id") in self.tickets, "items_id names no ticket (create first)")
        self.links.append((item["documents_id"], "Ticket", item["items_id"]))
        return Reply(201, {"id": next(self.ids), "message": ""})

    def links_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"Get sub items" (``/Ticket/:id/Document_Item``); ``expand_dropdowns=true`` shows
        the document's name instead of its id."""
        tid = int(m.group(1))
        if tid not in self.tickets:
            raise self._error(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
        expand = req.q("expand_dropdowns") == "true"
        return Reply(200, [{"id": i, "documents_id": self.documents[d][0] if expand else d,
                            "itemtype": "Ticket", "items_id": t}
                           for i, (d, _, t) in enumerate(self.links) if t == tid])

    def search_items(self, req: Received, m: re.Match[str]) -> Reply:
        """"Search items": ``criteria[n][field|searchtype|value]``, ``forcedisplay[n]``,
        ``sort``, ``order``, ``range``; answers ``totalcount``, ``count``, ``data`` (rows keyed
        by search option id, ``data`` absent when nothing matches), 200 or 206 with
        ``Content-Range``."""
        items = {"Ticket": self.tickets, "Problem": self.problems}.get(m.group(1))
        if items is None:
            raise self._error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
                              "resource not found or not an instance of CommonDBTM")
        rows = list(items.values())
        n = 0
        while f"criteria[{n}][field]" in req.query:
            field_id = req.q(f"criteria[{n}][field]")
            need(field_id in self.OPTIONS, f"search option {field_id} is not modelled")
            need(req.q(f"criteria[{n}][searchtype]") in ("equals", "contains"),
                 "searchtype is equals or contains here")
            value = req.q(f"criteria[{n}][value]")
            name = self.OPTIONS[field_id]
            if name == "status" and value in self.STATUS_SETS:
                rows = [r for r in rows if r["status"] in self.STATUS_SETS[value]]
            else:
                rows = [r for r in rows if str(r.get(name, "")) == value]
            n += 1
        need(all(k.startswith(("criteria[", "forcedisplay[")) or k in (
            "sort", "order", "range") for k in req.query), f"unexpected {sorted(req.query)}")
        if req.q("sort"):
            need(req.q("sort") in self.OPTIONS, "sort is a search option id")
            need(req.q("order") in ("", "ASC", "DESC"), "order is ASC or DESC")
            rows.sort(key=lambda r: str(r.get(self.OPTIONS[req.q("sort")], "")),
                      reverse=req.q("order") == "DESC")
        start, _, end = (req.q("range") or "0-49").partition("-")
        page = rows[int(start):int(end) + 1]
        shown = {"1", "2", *(v for k, v in ((k, req.q(k)) for k in req.query)
                              if k.startswith("forcedisplay["))}
        need(shown <= set(self.OPTIONS), "forcedisplay names options this model lacks")
        out: dict[str, Any] = {"totalcount": len(rows), "count": len(page),
                               "sort": int(req.q("sort") or 1), "order": req.q("order") or "ASC"}
        if page:
            out["data"] = [{k: r.get(self.OPTIONS[k]) for k in sorted(shown)} for r in page]
        last = int(start) + len(page) - 1
        return Reply(206 if len(page) < len(rows) else 200, out,
                     {"Content-Range": f"{start}-{last}/{len(rows)}"})

    def add_problem(self, name: str, status: int = 2, date: str = "2026-11-25 07:00:00",
                    date_mod: str = "2026-11-25 07:00:00") -> int:
        pid = next(self.ids)
        self.problems[pid] = {"id": pid, "name": name, "status": status, "date": date,
                              "date_mod": date_mod}
        return pid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {self.documents[d][0]: self.documents[d][2]
                for d, _, t in self.links if t == tid}

    def link_counts(self, tid: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d, _, t in self.links:
            if t == tid:
                counts[self.documents[d][0]] = counts.get(self.documents[d][0], 0) + 1
        return counts
