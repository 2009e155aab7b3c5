"""Error dialogs drawn with Pillow, as the OCR bench and tests read them: a light window with
a red error icon, one to three lines of message and an OK button, the way a toolkit lays out a
message box, at the small UI font sizes where OCR struggles most."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")

MESSAGES: dict[str, list[str]] = {
    "en": [
        "The attachment size exceeds the allowable limit.",
        "Cannot connect to the server. Error 0x800CCC0E",
        "The file report.xlsx is locked by another user.",
        "Your password has expired. Contact your administrator.",
        "Printer HP-4 is offline. Check the cable and try again.",
        "The certificate for this site is not trusted.",
        "Not enough disk space on drive C: to save the document.",
        "The connection to the database was lost (timeout 30 s).",
        "Access denied: you do not have permission to open this folder.",
        "The VPN client could not reach the gateway vpn.example.com.",
        "Outlook cannot synchronise the mailbox. Error 0x8004010F",
        "The update failed to install. Restart and try again.",
    ],
    "ru": [
        "Размер вложения превышает допустимый предел.",
        "Не удается подключиться к серверу. Ошибка 0x800CCC0E",
        "Файл заблокирован другим пользователем.",
        "Срок действия пароля истёк. Обратитесь к администратору.",
        "Принтер не в сети. Проверьте кабель и повторите попытку.",
        "Сертификат этого сайта не является доверенным.",
        "Недостаточно места на диске для сохранения документа.",
        "Соединение с базой данных потеряно.",
        "Отказано в доступе: у вас нет прав на эту папку.",
        "Не удалось установить обновление. Перезагрузите компьютер.",
        "Сервер не отвечает. Повторите попытку позже.",
    ],
    "uk": [
        "Розмір вкладення перевищує допустиму межу.",
        "Не вдається під'єднатися до сервера. Помилка 0x800CCC0E",
        "Файл заблоковано іншим користувачем.",
        "Термін дії пароля минув. Зверніться до адміністратора.",
        "Принтер не в мережі. Перевірте кабель і спробуйте ще раз.",
        "Сертифікат цього сайту не є довіреним.",
        "Недостатньо місця на диску для збереження документа.",
        "З'єднання з базою даних втрачено.",
        "Доступ заборонено: у вас немає прав на цю папку.",
        "Не вдалося встановити оновлення. Перезавантажте комп'ютер.",
        "Сервер не відповідає. Спробуйте пізніше.",
    ],
}


@dataclass(frozen=True)
class Sample:
    language: str
    text: str
    image: Image.Image


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def dialog(text: str, *, size: int = 13, width: int = 360, seed: int = 0) -> Image.Image:
    """One message box as it appears inside its window frame (the title is the frame's)."""
    rng = random.Random(seed)
    font = _font(size)
    lines = _wrap(text, font, width - 90)
    line_h = round(size * 1.45)
    height = 70 + line_h * len(lines) + 40
    bg = rng.choice([(239, 239, 239), (246, 245, 244), (255, 255, 255)])
    img = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(img)
    d.ellipse((16, 20, 48, 52), fill=(220, 40, 40))  # the error icon
    d.line((24, 28, 40, 44), fill="white", width=4)
    d.line((40, 28, 24, 44), fill="white", width=4)
    for i, line in enumerate(lines):
        d.text((64, 24 + i * line_h), line, font=font, fill=(30, 30, 30))
    bx, by = width - 96, height - 40
    d.rectangle((bx, by, bx + 80, by + 28), outline=(150, 150, 150), fill=(250, 250, 250))
    d.text((bx + 30, by + 6), "OK", font=font, fill=(30, 30, 30))
    return img


def samples(sizes: tuple[int, ...] = (12, 13, 15)) -> list[Sample]:
    out = []
    for language, texts in MESSAGES.items():
        for i, text in enumerate(texts):
            size = sizes[i % len(sizes)]
            out.append(Sample(language, text, dialog(text, size=size, seed=i)))
    return out
