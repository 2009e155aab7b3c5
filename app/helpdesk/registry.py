"""Finding a connector by name: built-in specs, built-in Python connectors, entry points.

Entry-point group ``flare.connectors``: each entry point names either a callable
``factory(config: DestinationConfig, resolver: SecretResolver) -> Connector`` or a connector
spec shipped inside a package, as ``package:path/to/spec.yaml`` (a resource of ``package``);
the spec is checked and run exactly as a built-in one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from app.errors import EXIT_CONFIG, FlareError
from app.helpdesk.folder import FolderConnector
from app.helpdesk.network import NetworkOptions, make_session
from app.helpdesk.protocol import Connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.spec.model import Spec, load_spec, parse_spec
from app.helpdesk.spec_connector import SpecConnector
from app.i18n import current

ENTRY_POINT_GROUP = "flare.connectors"


@dataclass(frozen=True)
class DestinationConfig:
    """The destination.* settings, read once by the caller (cli/glue)."""

    type: str = "folder"
    url: str = ""
    spec: Path | None = None
    queue: str = ""
    incidents_queue: str = ""
    incidents_tracker: str = ""
    project: str = ""
    token: str = ""  # a secret reference, never the secret
    username: str = ""
    max_attachment_mb: int = 10
    reports_folder: Path | None = None
    network: NetworkOptions = field(default_factory=NetworkOptions)

    @classmethod
    def from_settings(cls, get: Callable[[str], Any], reports_folder: Path,
                      locked: Callable[[str], bool] = lambda _key: False) -> DestinationConfig:
        def s(key: str) -> str:
            v = get(key)
            return "" if v is None else str(v)

        ca = get("destination.ca_bundle")
        spec = get("destination.spec")
        return cls(
            type=s("destination.type") or "folder", url=s("destination.url"),
            spec=Path(spec) if spec else None, queue=s("destination.queue"),
            incidents_queue=s("destination.incidents_queue"),
            incidents_tracker=s("destination.incidents_tracker"),
            project=s("destination.project"), token=s("destination.token"),
            username=s("destination.username"),
            max_attachment_mb=int(get("destination.max_attachment_mb") or 10),
            reports_folder=reports_folder,
            network=NetworkOptions(ca_bundle=Path(ca) if ca else None,
                                   proxy=s("destination.proxy"),
                                   proxy_pac_url=s("destination.proxy_pac_url"),
                                   ca_locked=bool(ca) and locked("destination.ca_bundle")),
        )

    def setting(self, key: str) -> Any:
        """The value of a destination.* setting a spec param may name."""
        return {
            "destination.url": self.url, "destination.queue": self.queue,
            "destination.incidents_queue": self.incidents_queue,
            "destination.incidents_tracker": self.incidents_tracker,
            "destination.project": self.project, "destination.username": self.username,
            "destination.token": self.token,
        }.get(key)


def builtin_spec_names() -> list[str]:
    root = resources.files("resources").joinpath("connectors")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_spec(name: str) -> Spec:
    res = resources.files("resources").joinpath(f"connectors/{name}.yaml")
    if not res.is_file():
        raise FlareError(
            f"no built-in connector {name!r}; built in: folder, {', '.join(builtin_spec_names())}",
            EXIT_CONFIG)
    return parse_spec(res.read_text("utf-8"), f"{name}.yaml")


def spec_for(config: DestinationConfig) -> Spec | None:
    if config.type == "folder":
        return None
    if config.type in ("spec", "webhook"):
        if config.spec is None:
            raise FlareError(current().tr(
                "{type} is {value} but {spec} (the path of the connector YAML) is not set",
                type="destination.type", value=repr(config.type), spec="destination.spec"),
                EXIT_CONFIG)
        return load_spec(config.spec)
    if config.type in builtin_spec_names():
        return builtin_spec(config.type)
    return None


def spec_connector(spec: Spec, config: DestinationConfig, resolver: SecretResolver,
                   **kwargs: Any) -> SpecConnector:
    params: dict[str, Any] = {}
    for p in spec.params.values():
        if p.setting:
            params[p.name] = config.setting(p.setting)
    secrets = {}
    for slot in spec.secrets.values():
        ref = str(config.setting(slot.setting or "destination.token") or "")
        # An optional secret left empty is "" (its auth alternative's `when` fails); one
        # that is set must resolve, so a typo in the reference is still reported.
        secrets[slot.name] = (resolver.resolve(ref) if ref.strip() or slot.required
                              else "")
    opts = config.network
    return SpecConnector(spec, params=params, secrets=secrets, session=make_session(opts),
                         max_attachment_mb=config.max_attachment_mb,
                         timeout=(opts.connect_timeout_s, opts.read_timeout_s), **kwargs)


def make_connector(config: DestinationConfig, resolver: SecretResolver) -> Connector:
    if config.type == "folder":
        if config.reports_folder is None:
            raise FlareError(current().tr("the folder destination needs {setting}",
                                          setting="reports.folder"), EXIT_CONFIG)
        return FolderConnector(config.reports_folder)
    spec = spec_for(config)
    if spec is not None:
        return spec_connector(spec, config, resolver)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == config.type:
            if ep.value.rstrip().endswith((".yaml", ".yml")):
                return spec_connector(entry_point_spec(ep), config, resolver)
            target = ep.load()
            if callable(target):
                return target(config, resolver)  # type: ignore[no-any-return]
            raise FlareError(current().tr(
                "the connector entry point {name} ({value}) is neither a factory nor a spec "
                "YAML; fix the plugin package", name=repr(ep.name), value=ep.value),
                EXIT_CONFIG)
    known = ["folder", "spec", *builtin_spec_names(),
             *(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))]
    raise FlareError(current().tr("unknown {setting} {value}; known: {names}",
                                  setting="destination.type", value=repr(config.type),
                                  names=", ".join(sorted(set(known)))), EXIT_CONFIG)


def entry_point_spec(ep: metadata.EntryPoint) -> Spec:
    """The spec YAML an entry point names as ``package:path/to/spec.yaml``."""
    package, sep, path = ep.value.strip().partition(":")
    if not sep or not package or not path:
        raise FlareError(current().tr(
            "the connector entry point {name} names {value}; a spec is named as {form}",
            name=repr(ep.name), value=repr(ep.value), form="package:path/to/spec.yaml"),
            EXIT_CONFIG)
    try:
        text = resources.files(package).joinpath(path).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as exc:
        raise FlareError(current().tr(
            "the connector entry point {name} names {value}, which cannot be read ({reason}); "
            "reinstall the plugin package", name=repr(ep.name), value=repr(ep.value),
            reason=exc), EXIT_CONFIG) from exc
    return parse_spec(text, f"{ep.name} ({ep.value})")
