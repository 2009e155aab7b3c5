"""Glue between the application context (settings, folders, clock) and the helpdesk layer.

Library modules take explicit parameters; this is the one place that reads ``destination.*``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app.context import AppContext
from app.helpdesk.delivery import Deliverer
from app.helpdesk.files import open_delivery_bundle
from app.helpdesk.outbox import Outbox, OutboxItem
from app.helpdesk.protocol import Connector
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver


def destination_config(ctx: AppContext) -> DestinationConfig:
    return DestinationConfig.from_settings(ctx.settings.get, ctx.reports_dir())


def secret_resolver(ctx: AppContext) -> SecretResolver:
    return SecretResolver()


def open_outbox(ctx: AppContext) -> Outbox:
    return Outbox(ctx.dirs.state, ctx.clock)


def connector_factory(ctx: AppContext) -> Callable[[str], Connector]:
    config = destination_config(ctx)
    resolver = secret_resolver(ctx)
    cache: dict[str, Connector] = {}

    def connector_for(destination: str) -> Connector:
        if destination not in cache:
            cache[destination] = make_connector(replace(config, type=destination), resolver)
        return cache[destination]

    return connector_for


def queue_report(ctx: AppContext, bundle_path: Path, outbox: Outbox) -> OutboxItem:
    """Queue a reviewed bundle for the configured destination."""
    report = open_delivery_bundle(bundle_path).report
    return outbox.enqueue(bundle_path, destination_config(ctx).type, report_id=str(report.id),
                          title=report.title)


def deliverer(ctx: AppContext, outbox: Outbox) -> Deliverer:
    return Deliverer(outbox, connector_factory(ctx))
