"""No pydantic plugin installed in the environment sees what Flare's models validate, and
pydantic's plugin loader (with importlib.metadata) is not imported for it (app/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SPY = '''
import os
class Spy:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        with open(os.environ["SPY_LOG"], "a") as log:
            log.write(f"{path.name}\\n")
        return None, None, None
plugin = Spy()
'''


def _environment_with_a_plugin(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    (site / "spy-1.0.dist-info").mkdir(parents=True)
    (site / "spy_plugin.py").write_text(SPY, encoding="utf-8")
    (site / "spy-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy\nVersion: 1.0\n", encoding="utf-8")
    (site / "spy-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nspy = spy_plugin:plugin\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    root = str(Path(__file__).resolve().parents[2])
    env.update(PYTHONPATH=os.pathsep.join([str(site), root]), SPY_LOG=str(tmp_path / "spy.log"))
    return env


def _run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout.strip()


def test_a_plugin_in_the_environment_sees_a_plain_model_but_none_of_flares(
        tmp_path: Path) -> None:
    env = _environment_with_a_plugin(tmp_path)
    log = tmp_path / "spy.log"
    # The set-up works: a model outside Flare is handed to the plugin.
    _run("from pydantic import BaseModel\nclass Plain(BaseModel):\n    x: int = 0\nPlain(x=1)",
         env)
    assert log.read_text().split() == ["Plain"]
    log.unlink()
    # Flare's: the report model and the form, validated, reach no plugin.
    seen = _run(
        "import sys\n"
        "from app.report import Reporter\n"
        "from app.form.loader import default_form\n"
        "Reporter(name='Анна', email='a@example.org')\n"
        "default_form()\n"
        "print('importlib.metadata' in sys.modules)", env)
    assert not log.exists()
    assert seen == "False"


def test_pydantic_honours_the_switch_where_its_own_loader_is_already_loaded(
        tmp_path: Path) -> None:
    # Were pydantic's loader imported before app (a model completed first), the switch that
    # app sets still turns every plugin off.
    env = _environment_with_a_plugin(tmp_path)
    _run("import pydantic.plugin._loader\n"
         "import app\n"
         "from app.report import Reporter\n"
         "Reporter(name='x')", env)
    assert not (tmp_path / "spy.log").exists()
