"""Entry script of the standalone (PyInstaller) build: the same `main` as the `flare` command."""

from app.cli import run

if __name__ == "__main__":
    run()
