"""The words of the policy templates, per language: section titles, the labels around each
setting's explanation and the label of each enum value (used by :mod:`app.settings.templates`)."""

from __future__ import annotations

from collections.abc import Mapping

SECTION_TITLES: Mapping[str, Mapping[str, str]] = {
    "general": {"en": "General", "ru": "Общие", "uk": "Загальні"},
    "reporter": {"en": "Reporter", "ru": "Автор отчёта", "uk": "Автор звіту"},
    "reports": {"en": "Saved reports", "ru": "Сохранённые отчёты", "uk": "Збережені звіти"},
    "destination": {"en": "Helpdesk", "ru": "Система поддержки", "uk": "Система підтримки"},
    "outbox": {"en": "Outbox", "ru": "Исходящие", "uk": "Вихідні"},
    "capture": {"en": "Screenshots", "ru": "Снимки экрана", "uk": "Знімки екрана"},
    "diagnostics": {"en": "Diagnostics", "ru": "Диагностика", "uk": "Діагностика"},
    "crashes": {"en": "Application crashes", "ru": "Сбои программ", "uk": "Збої програм"},
    "form": {"en": "Problem form", "ru": "Форма заявки", "uk": "Форма заявки"},
    "incidents": {"en": "Known incidents", "ru": "Известные инциденты",
                  "uk": "Відомі інциденти"},
    "tray": {"en": "Tray icon", "ru": "Значок в трее", "uk": "Значок у треї"},
    "support": {"en": "Support", "ru": "Поддержка", "uk": "Підтримка"},
}

# Words of the ADML explanations, per language.
LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "root": "Flare",
        "recommended": "Flare: recommended settings (users may change them)",
        "supported": "Flare {version} and later",
        "title": "Flare policy settings",
        "description": "Group Policy settings of Flare, the problem reporting client.",
        "value": "Registry value",
        "default": "Default",
        "range": "Range",
        "allowed": "Allowed values",
        "empty": "(empty)",
        "locked": "When this policy is set, users cannot change the setting.",
        "suggested": "When this policy is set, it is a default that users may change.",
        "admin_only": "Only administrators can set this; users never can.",
        "lines": "one value per line",
        "objects": 'one JSON object per line, e.g. {"type": "dns", "name": "dns", "host": "x"}',
        "float_text": "a number as text, e.g. 1.5",
        "bool_states": "Enabled turns the setting on (1), Disabled turns it off (0)",
    },
    "ru": {
        "root": "Flare",
        "recommended": "Flare: рекомендуемые параметры (пользователь может изменить)",
        "supported": "Flare {version} и новее",
        "title": "Параметры политики Flare",
        "description": "Параметры групповой политики Flare, клиента для сообщений о проблемах.",
        "value": "Значение реестра",
        "default": "По умолчанию",
        "range": "Диапазон",
        "allowed": "Допустимые значения",
        "empty": "(пусто)",
        "locked": "Если политика задана, пользователь не может изменить параметр.",
        "suggested": "Если политика задана, это значение по умолчанию, которое пользователь "
        "может изменить.",
        "admin_only": "Задаётся только администратором, пользователь изменить не может.",
        "lines": "одно значение на строку",
        "objects": 'один JSON-объект на строку, например {"type": "dns", "name": "dns", '
        '"host": "x"}',
        "float_text": "число текстом, например 1.5",
        "bool_states": "«Включено» включает параметр (1), «Отключено» выключает его (0)",
    },
    "uk": {
        "root": "Flare",
        "recommended": "Flare: рекомендовані параметри (користувач може змінити)",
        "supported": "Flare {version} і новіші",
        "title": "Параметри політики Flare",
        "description": "Параметри групової політики Flare, клієнта для повідомлень про проблеми.",
        "value": "Значення реєстру",
        "default": "За замовчуванням",
        "range": "Діапазон",
        "allowed": "Допустимі значення",
        "empty": "(порожньо)",
        "locked": "Якщо політику задано, користувач не може змінити параметр.",
        "suggested": "Якщо політику задано, це значення за замовчуванням, яке користувач "
        "може змінити.",
        "admin_only": "Задається лише адміністратором, користувач змінити не може.",
        "lines": "одне значення на рядок",
        "objects": 'один JSON-об\'єкт на рядок, наприклад {"type": "dns", "name": "dns", '
        '"host": "x"}',
        "float_text": "число текстом, наприклад 1.5",
        "bool_states": "«Увімкнено» вмикає параметр (1), «Вимкнено» вимикає його (0)",
    },
}

# What Group Policy Editor shows for each enum value, per language (the value itself is what
# the registry gets). A test checks that every declared enum value has a label in every language.
ENUM_LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "general.language": {
        "auto": {"en": "As the system", "ru": "Как в системе", "uk": "Як у системі"},
        "en": {"en": "English", "ru": "Английский", "uk": "Англійська"},
        "ru": {"en": "Russian", "ru": "Русский", "uk": "Російська"},
        "uk": {"en": "Ukrainian", "ru": "Украинский", "uk": "Українська"},
    },
    "incidents.affected_delivery": {
        "comment": {"en": "A comment on the incident ticket",
                    "ru": "Комментарий к заявке инцидента",
                    "uk": "Коментар до заявки інциденту"},
        "linked_ticket": {"en": "A short ticket linked to the incident",
                          "ru": "Короткая заявка, связанная с инцидентом",
                          "uk": "Коротка заявка, повʼязана з інцидентом"},
    },
    "support.language": {
        "reporter": {"en": "The reporter's language", "ru": "Язык сотрудника",
                     "uk": "Мова працівника"},
        "en": {"en": "English", "ru": "Английский", "uk": "Англійська"},
        "ru": {"en": "Russian", "ru": "Русский", "uk": "Російська"},
        "uk": {"en": "Ukrainian", "ru": "Украинский", "uk": "Українська"},
    },
    "general.log_level": {
        "debug": {"en": "Debug (everything)", "ru": "Отладка (всё)", "uk": "Налагодження (усе)"},
        "info": {"en": "Information", "ru": "Сведения", "uk": "Відомості"},
        "warning": {"en": "Warnings", "ru": "Предупреждения", "uk": "Попередження"},
        "error": {"en": "Errors only", "ru": "Только ошибки", "uk": "Лише помилки"},
    },
    "reports.bundle_format": {
        "folder": {"en": "Folder", "ru": "Папка", "uk": "Тека"},
        "zip": {"en": "ZIP archive", "ru": "ZIP-архив", "uk": "ZIP-архів"},
    },
    "destination.image_format": {
        "webp": {"en": "WebP (smaller)", "ru": "WebP (меньше)", "uk": "WebP (менший)"},
        "png": {"en": "PNG", "ru": "PNG", "uk": "PNG"},
    },
    "capture.stamp_corner": {
        "top-left": {"en": "Top left", "ru": "Вверху слева", "uk": "Угорі ліворуч"},
        "top-right": {"en": "Top right", "ru": "Вверху справа", "uk": "Угорі праворуч"},
        "bottom-left": {"en": "Bottom left", "ru": "Внизу слева", "uk": "Унизу ліворуч"},
        "bottom-right": {"en": "Bottom right", "ru": "Внизу справа", "uk": "Унизу праворуч"},
    },
}
