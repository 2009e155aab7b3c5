"""The reporting workflow, without Qt: one report from "Report a problem" to "sent".

- :mod:`app.flow.workflow`: :class:`ReportFlow`, the workflow itself, with its parts
  :mod:`app.flow.affected` (known incidents, "I'm affected too", similar tickets) and
  :mod:`app.flow.screenshots`; :mod:`app.flow.deps`: :class:`FlowDeps`, what it uses;
- :mod:`app.flow.ports`: what it needs from other areas (Protocols) and the types that cross;
- :mod:`app.flow.views`: what the window shows, as plain data;
- :mod:`app.flow.evidence`: the screenshots in the report;
- :mod:`app.flow.draft`: the draft on disk;
- :mod:`app.flow.sent_text`: what the window says about where the report went;
- :mod:`app.flow.replay`: instant replay.

The real parts are built by the composition root, :mod:`app.wiring`. The names the window
uses are re-exported here.
"""

from app.flow.deps import FlowDeps
from app.flow.evidence import Evidence
from app.flow.ports import Page
from app.flow.views import SUBJECT_ID, QuestionView
from app.flow.workflow import ReportFlow
from app.sizes import human_size

__all__ = ["SUBJECT_ID", "Evidence", "FlowDeps", "Page", "QuestionView", "ReportFlow",
           "human_size"]
