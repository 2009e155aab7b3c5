"""The incident sources IT configured (``incidents.feeds``), read with this machine's network
settings (proxy, PAC, CA) and cached under the user's cache folder."""

from __future__ import annotations

from collections.abc import Callable

from app.context import AppContext
from app.helpdesk.incident_feeds import (
    FeedCache,
    FeedResult,
    feeds_from_setting,
    merged_incidents,
    read_feeds,
)
from app.helpdesk.incident_follow import IncidentFollower, follower_reader
from app.helpdesk.incidents import HelpdeskIncidents
from app.helpdesk.protocol import Connector, Incident, TicketRef, TicketStatus, TicketSummary
from app.helpdesk.registry import DestinationConfig


def incident_follower(ctx: AppContext,
                      connector_for: Callable[[str], Connector]) -> IncidentFollower:
    """Follows the joined incidents with this machine's network settings: status pages and
    feeds through the feed cache (conditional requests), helpdesk incidents by their status."""
    from app.helpdesk.network import make_session
    from app.helpdesk.registry import DestinationConfig

    config = DestinationConfig.from_settings(ctx.settings.get, ctx.reports_dir())

    def status(ticket_id: str) -> TicketStatus:
        return connector_for(config.type).status(TicketRef(ticket_id))

    minutes = float(ctx.settings.get("incidents.follow_minutes") or 45)
    return IncidentFollower(
        ctx.dirs.state,
        read_feed=follower_reader(make_session(config.network), ctx.dirs.cache / "incidents"),
        helpdesk_status=status if config.type != "folder" else None,
        interval_s=minutes * 60, clock=ctx.clock)


class ConfiguredIncidents:
    """Incidents from every configured source, newest update first, and the reporter's open
    tickets from the helpdesk: the report window's first page (the flow's
    ``IncidentSource``, called from its worker thread) and ``flare incidents``."""

    def __init__(self, ctx: AppContext, config: DestinationConfig,
                 helpdesk: HelpdeskIncidents | None) -> None:
        self.ctx = ctx
        self.config = config
        self.helpdesk = helpdesk

    def results(self) -> list[FeedResult]:
        """What each source says now, or why it failed."""
        from app.helpdesk.network import make_session

        feeds = feeds_from_setting(self.ctx.settings.get("incidents.feeds"))
        if self.helpdesk is None:  # a folder keeps no incident records: nothing to ask
            feeds = [f for f in feeds if f.type != "helpdesk"]
        helpdesk = self.helpdesk.known_incidents if self.helpdesk is not None else None
        return read_feeds(feeds, session=make_session(self.config.network),
                          cache=FeedCache(self.ctx.dirs.cache / "incidents"), helpdesk=helpdesk)

    def incidents(self) -> list[Incident]:
        return merged_incidents(self.results())

    def open_tickets(self) -> list[TicketSummary]:
        return self.helpdesk.open_tickets() if self.helpdesk is not None else []

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        """The site's and the reporter's tickets of the last hours like this subject."""
        return self.helpdesk.similar_tickets(subject) if self.helpdesk is not None else []
