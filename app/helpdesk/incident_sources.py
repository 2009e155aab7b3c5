"""The incident sources IT configured (``incidents.feeds``), read with this machine's network
settings (proxy, PAC, CA) and cached under the user's cache folder."""

from __future__ import annotations

from app.context import AppContext
from app.helpdesk.incident_feeds import (
    FeedCache,
    FeedResult,
    feeds_from_setting,
    read_feeds,
)
from app.helpdesk.protocol import Incident


def feed_cache(ctx: AppContext) -> FeedCache:
    return FeedCache(ctx.dirs.cache / "incidents")


def helpdesk_incidents(ctx: AppContext) -> list[Incident] | None:
    """The destination's own incident records; None where the destination has no such
    records (the folder, or a connector without the ``incidents`` operation). Raises the
    connector's error, which the caller shows as the source's reason."""
    from app.helpdesk.registry import make_connector
    from app.helpdesk.service import destination_config, secret_resolver

    config = destination_config(ctx)
    if config.type == "folder":
        return None
    conn = make_connector(config, secret_resolver(ctx))
    if "incidents" not in conn.capabilities:
        return None
    return conn.incidents()


def read_configured_feeds(ctx: AppContext) -> list[FeedResult]:
    from app.helpdesk.network import make_session
    from app.helpdesk.service import destination_config

    config = destination_config(ctx)
    feeds = feeds_from_setting(ctx.settings.get("incidents.feeds"))
    if config.type == "folder":  # a folder keeps no incident records: nothing to ask
        feeds = [f for f in feeds if f.type != "helpdesk"]
    session = make_session(config.network)

    def from_helpdesk() -> list[Incident]:
        found = helpdesk_incidents(ctx)
        if found is None:
            raise LookupError("this destination keeps no incident records (set "
                              "destination.incidents_queue, or a spec with an incidents step)")
        return found

    return read_feeds(feeds, session=session, cache=feed_cache(ctx), helpdesk=from_helpdesk)
