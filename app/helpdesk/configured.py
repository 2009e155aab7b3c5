"""The helpdesk layer as the settings configure it: destination, connectors, outbox, send
policy, the report window's submitter and incident source.

Library modules take explicit parameters; this is the one place that reads ``destination.*``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.bundle import open_bundle
from app.context import AppContext
from app.helpdesk.delivery import Deliverer, RetryPolicy
from app.helpdesk.incident_sources import ConfiguredIncidents
from app.helpdesk.incidents import HelpdeskIncidents
from app.helpdesk.outbox import Outbox, OutboxItem
from app.helpdesk.protocol import Connector
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.send_policy import PersonalDataFinder, SendPolicy
from app.helpdesk.submitter import OutboxSubmitter

log = logging.getLogger("flare.helpdesk")


def destination_config(ctx: AppContext) -> DestinationConfig:
    return DestinationConfig.from_settings(ctx.settings.get, ctx.reports_dir(),
                                           ctx.settings.is_locked)


def secret_resolver(ctx: AppContext) -> SecretResolver:
    return SecretResolver()


def open_outbox(ctx: AppContext) -> Outbox:
    return Outbox(ctx.dirs.state, ctx.clock)


def connector_factory(ctx: AppContext) -> Callable[[str], Connector]:
    config = destination_config(ctx)
    resolver = secret_resolver(ctx)
    cache: dict[str, Connector] = {}

    def connector_for(destination: str) -> Connector:
        # The destination comes from the settings (policy) now, never from the outbox row:
        # whoever can edit the database must not be able to send a report elsewhere.
        if destination != config.type:
            log.warning("an outbox item names destination %r; sending it to the configured "
                        "%r", destination, config.type)
        if config.type not in cache:
            cache[config.type] = make_connector(config, resolver)
        return cache[config.type]

    return connector_for


def queue_report(ctx: AppContext, bundle_path: Path, outbox: Outbox) -> OutboxItem:
    """Queue a reviewed bundle for the configured destination."""
    opened = open_bundle(bundle_path)
    report = opened.report
    return outbox.enqueue(bundle_path, destination_config(ctx).type, report_id=str(report.id),
                          title=report.title, opened=opened)


def send_policy(ctx: AppContext, finder: PersonalDataFinder) -> SendPolicy:
    """Policy held again at send time; ``finder`` finds the personal data that policy's
    redaction removes (the composition root hands it in: app.wiring.find_personal_data)."""
    kinds = tuple(ctx.settings.get("diagnostics.redact") or ())

    def find(data: Any) -> Counter[str]:
        return finder(kinds, data)

    return SendPolicy.from_settings(ctx.settings.get, find)


def deliverer(ctx: AppContext, outbox: Outbox,
              connector_for: Callable[[str], Connector] | None = None, *,
              finder: PersonalDataFinder) -> Deliverer:
    net = destination_config(ctx).network
    first_retry_s = float(ctx.settings.get("outbox.retry_initial_s") or RetryPolicy.base_s)
    return Deliverer(outbox, connector_for or connector_factory(ctx),
                     policy=RetryPolicy(base_s=first_retry_s),
                     in_flight_s=net.connect_timeout_s + net.read_timeout_s,
                     check=send_policy(ctx, finder))


def outbox_submitter(ctx: AppContext, wait_s: float | None, *,
                     finder: PersonalDataFinder) -> OutboxSubmitter:
    """Every report goes through the outbox, for every destination (the folder too)."""
    box = open_outbox(ctx)
    return OutboxSubmitter(box, deliverer(ctx, box, finder=finder), destination_config(ctx).type,
                           wait_s=wait_s)


def incident_source(ctx: AppContext) -> ConfiguredIncidents | None:
    """Incidents from every configured source and open tickets from the destination; None
    where there can be none (a folder destination and no other source)."""
    from app.helpdesk.incident_feeds import feeds_from_setting
    from app.identity import reporter_email

    config = destination_config(ctx)
    helpdesk = None
    if config.type != "folder":
        resolver = secret_resolver(ctx)
        helpdesk = HelpdeskIncidents(lambda: make_connector(config, resolver),
                                     reporter_email(ctx), clock=ctx.clock)
    elif not [f for f in feeds_from_setting(ctx.settings.get("incidents.feeds"))
              if f.type != "helpdesk"]:
        return None
    return ConfiguredIncidents(ctx, config, helpdesk)
