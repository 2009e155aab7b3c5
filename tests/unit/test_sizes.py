"""app.sizes.human_size: one way to write a byte count."""

from __future__ import annotations

import pytest

from app.sizes import human_size


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1.0 KB"),
        (1536, "1.5 KB"),
        (99.94 * 1024, "99.9 KB"),
        (150 * 1024, "150 KB"),
        (1024**2 - 1, "1.0 MB"),
        (int(12.34 * 1024**2), "12.3 MB"),
        (5 * 1024**3, "5.0 GB"),
        (3 * 1024**4, "3.0 TB"),
        (2048 * 1024**4, "2048 TB"),
    ],
)
def test_human_size(n: float, text: str) -> None:
    assert human_size(n) == text
