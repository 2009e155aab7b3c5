"""Secrets never reach the log file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.context import AppContext
from app.logs import LOG_FILE, mask_secrets, setup_logging

SECRETS = [
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGci"),
    ("GET https://hd.example/api?api_key=9f8e7d6c5b4a&x=1", "9f8e7d6c5b4a"),
    ("X-Redmine-API-Key: 0123456789abcdef0123456789abcdef01234567", "0123456789abcdef"),
    ("connect postgres://flare:s3cr3t-pass@db.example/x", "s3cr3t-pass"),
    ("login failed: password=Hunter2!", "Hunter2!"),
]


@pytest.mark.parametrize(("line", "secret"), SECRETS)
def test_mask(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked and "[REDACTED" in masked


def test_plain_text_is_untouched() -> None:
    text = "Outlook shows 0x800CCC0E; token bucket refill took 12 ms; password field was empty"
    assert mask_secrets(text) == text


def test_log_file_has_no_secret(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(AppContext.for_tests(tmp_path))
        log = logging.getLogger("flare.test")
        log.warning("helpdesk said 401 for %s", "Authorization: Basic cm9vdDpwYXNzd29yZA==")
        try:
            raise RuntimeError("bad url https://u:topsecret@hd.example/")
        except RuntimeError:
            log.exception("submit failed")
        for h in root.handlers:
            h.flush()
        text = (tmp_path / "logs" / LOG_FILE).read_text()
        assert "helpdesk said 401" in text and "submit failed" in text
        assert "cm9vdDpwYXNzd29yZA" not in text and "topsecret" not in text
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
