"""`flare doctor` checks for the desktop app: Qt, its translations, and the tray."""

from __future__ import annotations

import os
import sys

from app.context import AppContext
from app.doctor import CheckResult
from app.i18n import current, resolve_language


def check_qt() -> CheckResult:
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo
    except ImportError as exc:
        return CheckResult("qt", "fail", current().tr("PySide6 cannot be loaded: {error}",
                                                      error=exc),
                           current().tr("reinstall Flare (it needs PySide6-Essentials)"))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return CheckResult("qt", "ok", current().tr("PySide6 {version}; translations in {folder}",
                                                version=PySide6.__version__, folder=folder))


def check_qt_translations(language: str) -> CheckResult:
    t = current()
    if language == "en":
        return CheckResult("qt translations", "ok", t.tr("English needs no catalog"))
    from PySide6.QtCore import QLibraryInfo

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = [n for n in (f"qtbase_{language}.qm", f"qt_{language}.qm")
             if os.path.isfile(os.path.join(folder, n))]
    if found:
        return CheckResult("qt translations", "ok", t.tr("{files} in {folder}",
                                                         files=", ".join(found), folder=folder))
    return CheckResult("qt translations", "warning",
                       t.tr("no Qt catalog for {language} in {folder}: Qt's own buttons stay "
                            "English", language=language, folder=folder),
                       t.tr("reinstall PySide6-Essentials"))


def check_tray(environ: dict[str, str] | None = None) -> CheckResult:
    """GNOME shows no tray icons without the AppIndicator extension; say so up front."""
    t = current()
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return CheckResult("tray", "ok", t.tr("the system tray is part of this desktop"))
    desktop = env.get("XDG_CURRENT_DESKTOP", "")
    if "GNOME" in desktop.upper():
        return CheckResult(
            "tray", "warning",
            t.tr("GNOME shows tray icons only with the AppIndicator extension; without it "
                 "`flare` opens the report window directly"),
            t.tr("install gnome-shell-extension-appindicator and turn it on in Extensions"),
        )
    return CheckResult("tray", "ok", t.tr("desktop {desktop}",
                                          desktop=desktop or t.tr("unknown")))


def checks(ctx: AppContext) -> list[CheckResult]:
    qt = check_qt()
    out = [qt]
    if qt.status == "ok":
        out.append(check_qt_translations(resolve_language(ctx.settings.get("general.language"))))
    out.append(check_tray())
    return out
