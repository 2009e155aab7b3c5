"""GitLab, as its documentation describes the API: a fake for
tests.integration.contract_server, which serves it on loopback."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from tests.integration.contract_server import (
    Received,
    Refuse,
    Reply,
    VendorFake,
    fixed_now,
    need,
)


class GitLabFake(VendorFake):
    """REST API v4.

    - auth: https://docs.gitlab.com/api/rest/authentication/ (``PRIVATE-TOKEN`` header)
    - project id: https://docs.gitlab.com/api/rest/#namespaced-paths (a path is URL-encoded,
      ``group%2Fproject``)
    - uploads: https://docs.gitlab.com/api/project_markdown_uploads/ (``POST
      /projects/:id/uploads``, multipart field ``file``; answers ``markdown``)
    - issues: https://docs.gitlab.com/api/issues/ ("New issue": ``title`` required,
      ``description``, ``labels`` comma-separated, ``confidential``; "Single project issue")
    """

    routes = (
        ("POST", r"/api/v4/projects/([^/]+)/uploads", "upload"),
        ("POST", r"/api/v4/projects/([^/]+)/issues", "create"),
        ("GET", r"/api/v4/projects/([^/]+)/issues", "search"),
        ("GET", r"/api/v4/projects/([^/]+)/issues/(\d+)", "show"),
    )

    def __init__(self, project: str, token: str) -> None:
        super().__init__()
        self.project, self.token = project, token
        self.uploads: dict[str, tuple[str, bytes]] = {}  # url -> (filename, data)
        self.issues: dict[int, dict[str, Any]] = {}

    def authenticate(self, req: Received) -> None:
        need(req.header("private-token") or req.header("authorization").startswith("Bearer "),
             "GitLab needs PRIVATE-TOKEN or Authorization: Bearer")
        if req.header("private-token") != self.token:
            raise Refuse(Reply(401, {"message": "401 Unauthorized"}))

    def _project(self, m: re.Match[str]) -> None:
        raw = m.group(1)
        need("/" not in raw, "a project path must be URL-encoded")
        if urllib.parse.unquote(raw) != self.project:
            raise Refuse(Reply(404, {"message": "404 Project Not Found"}))

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        parts = req.parts()
        need([p.name for p in parts] == ["file"], f"uploads take one part 'file', got "
                                                 f"{[p.name for p in parts]}")
        part = parts[0]
        need(part.filename, "the file part needs a filename")
        secret = f"{next(self.ids):032x}"
        url = f"/uploads/{secret}/{part.filename}"
        self.uploads[url] = (str(part.filename), part.data)
        image = part.content_type.startswith("image/")
        md = f"{'!' if image else ''}[{part.filename}]({url})"
        return Reply(201, {"id": next(self.ids), "alt": part.filename, "url": url,
                           "full_path": f"/-/project/1/uploads/{secret}/{part.filename}",
                           "markdown": md})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        data = req.json()
        need(isinstance(data, dict) and data.get("title"), "title is required")
        description = str(data.get("description") or "")
        for url in re.findall(r"\((/uploads/[^)]+)\)", description):
            need(url in self.uploads, f"{url} was never uploaded (upload first, then reference)")
        labels = data.get("labels", "")
        need(isinstance(labels, str), "labels is a comma-separated string")
        if "confidential" in data:
            need(isinstance(data["confidential"], bool), "confidential is a boolean")
        iid = len(self.issues) + 1
        issue = {"id": next(self.ids), "iid": iid, "project_id": 1, "title": data["title"],
                 "description": description, "state": "opened",
                 "labels": [x for x in labels.split(",") if x],
                 "confidential": bool(data.get("confidential", False)),
                 "created_at": fixed_now(), "updated_at": fixed_now(),
                 "web_url": f"http://gitlab.test/{self.project}/-/issues/{iid}"}
        self.issues[iid] = issue
        return Reply(201, issue)

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        issue = self.issues.get(int(m.group(2)))
        if issue is None:
            raise Refuse(Reply(404, {"message": "404 Not found"}))
        return Reply(200, issue)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        need(req.q("in") in ("", "title", "description", "title,description"),
             "in= takes title and/or description")
        term = req.q("search")
        return Reply(200, [i for i in self.issues.values() if term in i["title"]])

    def files_of(self, iid: int) -> dict[str, bytes]:
        urls = re.findall(r"\((/uploads/[^)]+)\)", self.issues[iid]["description"])
        return {self.uploads[u][0]: self.uploads[u][1] for u in urls}
