"""Flare's folders on Linux: read from the XDG variables without platformdirs (whose import is
a fifth of `flare outbox list`), and the same folders platformdirs gives."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from app.dirs import APP_AUTHOR, APP_NAME, Dirs

XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG folders")


@pytest.mark.parametrize("xdg", [
    {},  # the defaults below the home folder
    {name: f"/xdg/{name.lower()}" for name in XDG},
    {"XDG_STATE_HOME": "relative/state", "XDG_CONFIG_HOME": "/abs/config/"},  # relative: ignored
    {"XDG_DATA_HOME": "", "XDG_CACHE_HOME": "/c"},
])
@pytest.mark.parametrize("home", ["/home/alice", "relative-home"])
def test_the_folders_are_those_platformdirs_gives(
        monkeypatch: pytest.MonkeyPatch, home: str, xdg: dict[str, str]) -> None:
    monkeypatch.setenv("HOME", home)
    for name in XDG:
        monkeypatch.delenv(name, raising=False)
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    try:
        pd = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        expected = [Path(pd.user_config_dir), Path(pd.user_data_dir), Path(pd.user_log_dir),
                    Path(pd.user_state_dir), Path(pd.user_cache_dir)]
    except RuntimeError:  # platformdirs finds no home folder: neither does Flare
        with pytest.raises(RuntimeError):
            Dirs.for_user()
        return
    d = Dirs.for_user()
    assert [d.config, d.data, d.logs, d.state, d.cache] == expected


def test_the_reports_folder_is_below_the_documents_platformdirs_names(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Docs"))
    assert Dirs.for_user().reports == Path(platformdirs.user_documents_dir()) / "Flare reports"
    assert Dirs.under(tmp_path).reports == tmp_path / "reports"
