"""The QApplication Flare runs in: name, icon, language (Flare's own and Qt's dialogs), theme."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSize, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

import resources
from app.context import AppContext
from app.i18n import resolve_language

ICON_NAMES = ("flare", "flare-recording")
# The sizes app.ui.icon_files draws the icons at: tray icons are 16 to 24 px on X11 panels (32
# and 48 at 2x scaling), notifications and the window's icon up to 256.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def icon_path(name: str) -> Path:
    return resources.file("icons", f"{name}.svg")


def png_path(name: str, size: int, folder: Path | None = None) -> Path:
    """The PNG that app.ui.icon_files draws from ``name``'s SVG at ``size`` px."""
    return (folder if folder is not None else icon_path(name).parent) / "png" / \
        f"{name}-{size}.png"


def app_icon(name: str = "flare") -> QIcon:
    """The icon from its PNGs (see app.ui.icon_files: no SVG icon engine in the idle tray),
    else from the SVG."""
    folder = icon_path(name).parent
    pngs = {size: png_path(name, size, folder) for size in PNG_SIZES}
    if not all(png.is_file() for png in pngs.values()):
        return QIcon(str(icon_path(name)))
    icon = QIcon()
    for size, png in pngs.items():
        icon.addFile(str(png), QSize(size, size))  # the size given: no header read to find it
    return icon


def language_of(ctx: AppContext) -> str:
    return resolve_language(ctx.settings.get("general.language"))


def install_qt_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load Qt's own catalogs (buttons of standard dialogs, context menus) for ``language``.

    PySide6-Essentials ships qtbase_{ru,uk}.qm in QLibraryInfo's translations path. The
    translators are returned so the caller keeps them alive as long as the application.
    """
    loaded: list[QTranslator] = []
    if language == "en":
        return loaded
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalog in ("qtbase", "qt"):
        tr = QTranslator(app)  # parented: lives as long as the application
        if tr.load(f"{catalog}_{language}", folder):
            app.installTranslator(tr)
            loaded.append(tr)
            break  # qt_xx.qm is a meta catalog that includes qtbase; one is enough
    QLocale.setDefault(QLocale(language))
    return loaded


def check_display() -> None:
    """Before the first QApplication: a one-line error where there is no graphical session."""
    if QApplication.instance() is None:
        from app.desktop_tray import require_graphical_session

        require_graphical_session()


def make_app(ctx: AppContext, argv: list[str] | None = None) -> QApplication:
    """Create (or reuse) the QApplication with Flare's name, icon and language."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else "flare", *(argv or [])])
    name = str(ctx.settings.get("general.app_name") or "Flare")
    app.setApplicationName("Flare")
    app.setApplicationDisplayName(name)
    app.setOrganizationName("Flare")
    app.setDesktopFileName("flare")
    app.setWindowIcon(app_icon())
    # The tray app must keep running with no window open.
    app.setQuitOnLastWindowClosed(False)
    language = language_of(ctx)
    translators = install_qt_translations(app, language)
    app.setProperty("flare_translators", len(translators))
    app.setProperty("flare_language", language)
    return app


def bring_to_front(widget: QWidget) -> None:
    """Show, raise and focus a window (the offscreen test platform can do none of the last two
    and warns if asked)."""
    widget.show()
    if QGuiApplication.platformName() != "offscreen":
        widget.raise_()
        widget.activateWindow()


def dark_theme(app: QGuiApplication) -> bool:
    from PySide6.QtCore import Qt

    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark
