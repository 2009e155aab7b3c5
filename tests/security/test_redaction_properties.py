"""Issue 13 §8, property tests: each kind that survived before, with generated values."""

from __future__ import annotations

import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.bidi import BIDI_CONTROLS, neutralise_bidi
from diagnostics.redact import PII_KINDS, Redactor
from diagnostics.redact_numbers import is_card, is_iban, luhn_ok

ALNUM = string.ascii_letters + string.digits
# Passwords as people type them: letters, digits and the symbols a shell word keeps.
PASSWORD = st.text(alphabet=ALNUM + "!@#%^*_+.~", min_size=8, max_size=24).filter(
    lambda v: any(c.isdigit() for c in v) and any(c.isalpha() for c in v)
)
FILLER = st.text(alphabet=string.ascii_lowercase + " ", max_size=30)
PREFIX = st.sampled_from(["", "2024-05-01 10:00:01 INFO runner: ", "May 01 12:00:01 ws042 app[3]: ",
                          "+ ", "$ ", "exec: "])


def _gone(value: str, text: str, kinds: frozenset[str] = frozenset()) -> bool:
    out, _ = Redactor(kinds).text(text)
    return value not in out


COMMAND_LINES = st.sampled_from([
    "app --password={}", "app --password {}", "mysql -u root -p{} db", "mysqldump -p{} --all",
    "sshpass -p {} ssh host", "sshpass -p{} rsync a b", "tool --api-key {}", "tool --api-key={}",
    "net use Z: \\\\srv\\share {} /user:dom\\bob", "net use \\\\srv\\ipc$ {}",
    'ConvertTo-SecureString "{}" -AsPlainText -Force', "ConvertTo-SecureString '{}' -AsPlainText",
    "curl -u bob:{} https://x", "docker login -u me -p {} reg", "redis-cli -a {} ping",
    "sqlcmd -S s -U sa -P {}", "ldapwhoami -x -D cn=a -w {}", "tool --client-secret {}",
    "psql --password={} -h db", "-Ddb.password={}", "7z x a.7z -p{}", "openssl enc -pass pass:{}",
    "echo {} | sudo -S apt update", "echo {} | net use * \\\\srv\\c$ /user:admin",
    "Invoke-Sqlcmd -S db -Username sa -Password '{}'", "wmic /user:admin /password:{} os get",
])


@settings(max_examples=300, deadline=None)
@given(template=COMMAND_LINES, value=PASSWORD, prefix=PREFIX, after=FILLER)
def test_command_line_passwords_never_survive(
    template: str, value: str, prefix: str, after: str
) -> None:
    line = prefix + template.format(value) + " " + after
    assume(value not in prefix + template + after)
    assert _gone(value, line)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["password", "db_password", "client_secret", "api_key", "psk", "token"]),
    value=PASSWORD,
    quote=st.sampled_from(['"', "'", ""]),
    indent=st.sampled_from(["", "  ", "    ", "\t"]),
    prefix=PREFIX,
)
def test_yaml_values_quoted_or_not_after_any_log_prefix(
    name: str, value: str, quote: str, indent: str, prefix: str
) -> None:
    text = f"{prefix}{indent}{name}: {quote}{value}{quote}"
    assert _gone(value, text)


# Every grammatical case of the Russian and Ukrainian words for "password".
PASSWORD_WORDS = st.sampled_from([
    "пароль", "пароля", "паролю", "паролем", "пароле", "пароли", "паролей", "паролям", "паролями",
    "паролях", "паролі", "паролів", "гасло", "гасла", "гаслу", "гаслом", "гаслі", "Пароль",
    "ПАРОЛЬ",
])
RU_UK = st.sampled_from(["{w}: {v}", "{w} — {v}", "мой {w} {v}", "{w} от почты: {v}",
                         "{w} до пошти — {v}", "с {w} {v} не пускает", "{w}={v}",
                         "{w} администратора — {v}", "{w} поменяли на {v}",
                         "{w} користувача: {v}"])


@settings(max_examples=300, deadline=None)
@given(word=PASSWORD_WORDS, template=RU_UK, value=PASSWORD)
def test_russian_and_ukrainian_password_words_in_their_forms(
    word: str, template: str, value: str
) -> None:
    assert _gone(value, template.format(w=word, v=value))


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(["ПАРОЛЬ_БД", "пароль_админа", "ГАСЛО", "DbПароль", "токен_api"]),
    value=PASSWORD,
    sep=st.sampled_from(["=", ": ", " = "]),
)
def test_cyrillic_variable_names(name: str, value: str, sep: str) -> None:
    assert _gone(value, f"{name}{sep}{value}")


@settings(max_examples=100, deadline=None)
@given(
    outer=st.sampled_from(["JAVA_OPTS", "CATALINA_OPTS", "MAVEN_OPTS", "opts"]),
    inner=st.sampled_from(["db.password", "spring.datasource.password", "ldap.bind.secret"]),
    value=PASSWORD,
    quote=st.sampled_from(['"', "'", ""]),
)
def test_properties_nested_inside_another_value(
    outer: str, inner: str, value: str, quote: str
) -> None:
    text = f"{outer}={quote}-Xmx1g -D{inner}={value} -Dx=y{quote}"
    assert _gone(value, text)


@st.composite
def luhn_numbers(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["4", "51", "55", "37", "2200", "6011"]))
    length = 15 if prefix == "37" else 16
    body = prefix + draw(st.text(alphabet=string.digits, min_size=length - len(prefix) - 1,
                                 max_size=length - len(prefix) - 1))
    check = next(d for d in string.digits if luhn_ok(body + d))
    return body + check


@settings(max_examples=200, deadline=None)
@given(number=luhn_numbers(), sep=st.sampled_from(["", " ", "-"]), before=FILLER)
def test_card_numbers_with_a_valid_luhn_digit_go(number: str, sep: str, before: str) -> None:
    written = sep.join(number[i:i + 4] for i in range(0, len(number), 4)) if sep else number
    assert _gone(written, f"{before} card {written} declined")


@settings(max_examples=200, deadline=None)
@given(number=luhn_numbers(), pos=st.integers(min_value=0, max_value=14),
       delta=st.integers(min_value=1, max_value=9))
def test_a_single_wrong_digit_is_not_a_card(number: str, pos: int, delta: int) -> None:
    digits = list(number)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    assert not is_card("".join(digits))  # Luhn catches every single-digit error


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country, n = draw(st.sampled_from([("DE", 18), ("UA", 25), ("FR", 23), ("PL", 24)]))
    bban = draw(st.text(alphabet=string.digits, min_size=n, max_size=n))
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


@settings(max_examples=200, deadline=None)
@given(iban=ibans(), grouped=st.booleans())
def test_ibans_with_a_valid_checksum_go(iban: str, grouped: bool) -> None:
    assert is_iban(iban)
    written = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban
    assert _gone(written, f"перевод на {written} не прошёл")


@settings(max_examples=200, deadline=None)
@given(iban=ibans(), pos=st.integers(min_value=4, max_value=20),
       delta=st.integers(min_value=1, max_value=9))
def test_a_single_wrong_iban_digit_fails_the_checksum(iban: str, pos: int, delta: int) -> None:
    chars = list(iban)
    chars[pos] = str((int(chars[pos]) + delta) % 10)
    assert not is_iban("".join(chars))


# Innocent shapes: whatever the numbers, they stay as they are, even with every policy kind on.
INNOCENT = st.one_of(
    st.builds(lambda p, v: f"{p}{'.'.join(map(str, v))}",
              st.sampled_from(["version ", "v", "build ", "Firefox/", "driver ", "версия "]),
              st.lists(st.integers(0, 255), min_size=4, max_size=4)),
    st.uuids().map(lambda u: f"request {u} done"),
    st.builds(lambda n, u: f"{n} {u}", st.integers(0, 10**6),
              st.sampled_from(["MB", "GiB", "KiB", "bytes", "ms", "s"])),
    st.builds(lambda h, m, s: f"{h:02d}:{m:02d}:{s:02d}", st.integers(0, 23), st.integers(0, 59),
              st.integers(0, 59)),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(1_500_000_000, 1_900_000_000).map(lambda t: f"timestamp {t}"),
)


@settings(max_examples=400, deadline=None)
@given(text=INNOCENT)
def test_versions_uuids_sizes_and_times_stay(text: str) -> None:
    out, counts = Redactor(PII_KINDS).text(text)
    assert out == text, counts


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=string.ascii_letters + BIDI_CONTROLS + " .", max_size=40))
def test_bidi_controls_are_neutralised(text: str) -> None:
    out = neutralise_bidi(text)
    assert not any(c in out for c in BIDI_CONTROLS)
    assert neutralise_bidi(out) == out
    assert Redactor().text(text)[0] == out
    kept = "".join(c for c in text if c not in BIDI_CONTROLS)
    assert "".join(c for c in out if c not in "[]U+0123456789ABCDEF") == "".join(
        c for c in kept if c not in "[]U+0123456789ABCDEF"
    )


@settings(max_examples=50, deadline=None)
@given(lines=st.lists(st.one_of(st.sampled_from([
    "May 01 10:00:01 ws042 systemd[1]: Started Session 3 of User bob.",
    "kernel: usb 1-1: new high-speed USB device number 2",
]), st.builds(lambda t, v: t.format(v), COMMAND_LINES, PASSWORD)), min_size=200, max_size=400))
def test_a_long_text_is_redacted_as_its_lines_are(lines: list[str]) -> None:
    text = "\n".join(lines)
    assume(len(text) > 8192)
    whole, _ = Redactor().text(text)
    each = "\n".join(Redactor().text(line)[0] for line in lines)
    assert whole == each


ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200
) | st.builds(lambda t, v, a: t.format(v) + a, COMMAND_LINES, PASSWORD, FILLER)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_redaction_of_any_text_is_stable(text: str) -> None:
    # never raises, and a second pass finds nothing more: markers are not mistaken for secrets
    once, _ = Redactor(PII_KINDS).text(text)
    twice, counts = Redactor(PII_KINDS).text(once)
    assert twice == once, counts
