"""Third-party connectors from installed packages: an entry point in ``flare.connectors``
names a factory or a spec YAML inside the package. The packages here are real distributions
on sys.path (a dist-info folder with entry_points.txt), found by importlib.metadata as pip's
would be."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import FlareError
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.spec_connector import SpecConnector

RT_SPEC = Path(__file__).resolve().parents[2] / "resources" / "connectors" / "rt.yaml"

FACTORY = '''
CALLS = []

def make(config, resolver):
    CALLS.append((config, resolver))
    return "connector made by the plugin"
'''


def _install(root: Path, package: str, entry_points: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = root / f"{package}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[flare.connectors]\n{entry_points}\n",
                                           encoding="utf-8")


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("acme_")]:
        del sys.modules[name]


def test_a_spec_yaml_named_by_an_entry_point_runs_as_a_spec_connector(site: Path) -> None:
    _install(site, "acme_desk", "acme = acme_desk:specs/acme.yaml",
             {"__init__.py": "", "specs/acme.yaml": RT_SPEC.read_text(encoding="utf-8")})
    config = DestinationConfig(type="acme", url="http://127.0.0.1:9", username="u",
                               token="env:ACME_PW", queue="General")
    conn = make_connector(config, SecretResolver(environ={"ACME_PW": "pw"}))
    assert isinstance(conn, SpecConnector)
    assert conn.spec.title == "Request Tracker"


def test_a_missing_spec_file_says_which_entry_point_and_what_to_do(site: Path) -> None:
    _install(site, "acme_broken", "broken = acme_broken:specs/gone.yaml", {"__init__.py": ""})
    with pytest.raises(FlareError, match=r"'broken'.*reinstall the plugin package"):
        make_connector(DestinationConfig(type="broken"), SecretResolver())


def test_a_factory_gets_the_settings_and_the_secret_resolver(site: Path) -> None:
    _install(site, "acme_factory", "made = acme_factory:make", {"__init__.py": FACTORY})
    config = DestinationConfig(type="made")
    resolver = SecretResolver()
    assert make_connector(config, resolver) == "connector made by the plugin"
    calls = importlib.import_module("acme_factory").CALLS
    assert calls == [(config, resolver)]


def test_an_unknown_type_lists_the_plugins_too(site: Path) -> None:
    _install(site, "acme_listed", "listed = acme_listed:specs/x.yaml", {"__init__.py": ""})
    with pytest.raises(FlareError, match=r"unknown destination.type 'nope'.*listed"):
        make_connector(DestinationConfig(type="nope"), SecretResolver())
