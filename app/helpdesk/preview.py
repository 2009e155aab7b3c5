"""What a destination will receive for a reviewed report, before anything is sent: the review
page lists exactly these files with their final names (a screenshot converted to an accepted
format, a big log split in parts, report.html naming the screenshots beside it).

Local work only: no connector is built, no secret resolved, nothing sent. It runs the same
preparation the connector runs at send time (``SpecConnector.prepare``, the e-mail
connector's), so the list cannot drift from what goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.helpdesk.delivery_bundle import (
    OutFile,
    delivery_bundle_from_memory,
    refer_to_attached,
)
from app.helpdesk.limits import fit_to_limits
from app.helpdesk.registry import DestinationConfig, spec_for
from app.helpdesk.spec.accepts import fit_to_accepts

if TYPE_CHECKING:
    from app.bundle import Bundle

_MB = 1024 * 1024


def destination_files(config: DestinationConfig, bundle: Bundle) -> list[OutFile] | None:
    """The files ``config``'s destination receives for ``bundle``; None where Flare cannot
    say (the folder keeps the whole bundle; a plug-in connector prepares its own)."""
    if config.type == "folder":
        return None
    delivered = delivery_bundle_from_memory(bundle)
    if config.type == "email":
        limit = config.max_attachment_mb * _MB if config.max_attachment_mb else None
        return fit_to_limits(refer_to_attached(delivered), limit).files
    spec = spec_for(config)
    if spec is None:
        return None
    limits = [x for x in (spec.limits.get("max_attachment_mb"), config.max_attachment_mb) if x]
    accepted = fit_to_accepts(delivered, spec.accepts, spec.title)
    return fit_to_limits(refer_to_attached(accepted),
                         min(limits) * _MB if limits else None).files
