"""An idle tray with an empty outbox does no delivery work (and loads no delivery layer)."""

from __future__ import annotations

from pathlib import Path

from app.context import AppContext
from app.ui.app import FlareApp
from tests.factories import sample_bundle


def test_empty_outbox_round_is_skipped_and_a_queued_report_is_not(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    flare = FlareApp(ctx)
    assert flare._delivery_round(True, True) is None
    assert flare._courier is None

    from app.helpdesk.configured import open_outbox, queue_report

    bundle = sample_bundle(tmp_path / "drafts")
    with open_outbox(ctx) as box:
        queue_report(ctx, bundle, box)
    result = flare._delivery_round(True, False)
    assert result is not None and flare._courier is not None
    assert len(result.sent) == 1  # the folder destination takes it at once
