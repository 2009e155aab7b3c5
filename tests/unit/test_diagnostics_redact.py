"""Redaction: secrets by shape always, personal data by policy with stable pseudonyms."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from diagnostics.redact import MARK, Redactor, has_trigger, looks_secret_name
from diagnostics.redact_words import parse, words

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"


def _s(alphabet: str, n: int, m: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=n, max_size=m or n)


def _jwt() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, b, c: f"eyJ{a}.{b}.{c}",
        _s(B64URL, 10, 40),
        _s(B64URL, 10, 80),
        _s(B64URL, 20, 60),
    )


SECRETS = st.one_of(
    _jwt(),
    st.builds(
        lambda p, s: p + s,
        st.sampled_from(["AKIA", "ASIA"]),
        _s(string.ascii_uppercase + string.digits, 16),
    ),
    st.builds(lambda p, s: p + s, st.sampled_from(["ghp_", "gho_", "ghs_"]), _s(ALNUM, 36)),
    st.builds(lambda s: "github_pat_" + s, _s(ALNUM + "_", 30, 80)),
    st.builds(lambda s: "glpat-" + s, _s(B64URL, 20, 30)),
    st.builds(lambda k, s: f"xox{k}-" + s, st.sampled_from("abposr"), _s(ALNUM + "-", 12, 40)),
    st.builds(lambda s: "AIza" + s, _s(B64URL, 35)),
)
# A secret value that only its context makes recognisable: (template, value).
# A value that is part of the replacement marker itself ("[REDACTE") would "survive" trivially.
_MARKERS = "[REDACTED:secret_value] [REDACTED:auth_header] [REDACTED:url_password]"
PASSWORD = _s(ALNUM + "!#%^*()[]{}+~", 8, 30).filter(
    lambda v: v.lower() not in ("nonenone",) and v not in _MARKERS
)
CONTEXTS = st.sampled_from(
    [
        "Server=db;Database=x;User Id=app;Password={};",
        "host=db user=app password={} dbname=x",
        "export GITHUB_TOKEN={}",
        "DB_PASSWORD={}",
        "MY_SERVICE_SECRET = {}",
        '{{"client_secret": "{}"}}',
        "api_key: {}",
        "https://admin:{}@intranet.example/path",
        "Authorization: Bearer {}",
        "Authorization: Basic {}",
        "Cookie: session={}",
    ]
)
FILLER = st.text(alphabet=string.ascii_letters + " .,:\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(secret=SECRETS, before=FILLER, after=FILLER)
def test_token_shaped_secrets_never_survive(secret: str, before: str, after: str) -> None:
    assume(secret not in before + after)
    text = f"{before} {secret} {after}"
    out, counts = Redactor().text(text)
    assert secret not in out
    assert sum(counts.values()) >= 1


@settings(max_examples=300, deadline=None)
@given(template=CONTEXTS, value=PASSWORD, before=FILLER, after=FILLER)
def test_secrets_in_context_never_survive(
    template: str, value: str, before: str, after: str
) -> None:
    line = template.format(value)
    assume(value not in before + after + template)
    out, _ = Redactor().text(f"{before}\n{line}\n{after}")
    assert value not in out


@settings(max_examples=100, deadline=None)
@given(
    value=PASSWORD,
    name=st.sampled_from(
        [
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "db.password",
            "clientSecret",
            "API_KEY",
            "PGPASSWORD",
            "npm_token",
        ]
    ),
)
def test_secret_named_data_values_are_removed(value: str, name: str) -> None:
    out, counts = Redactor().data({"env": {name: value, "PATH": "/usr/bin"}})
    assert value not in str(out)
    assert out["env"]["PATH"] == "/usr/bin"
    assert counts["secret_value"] == 1


PEM_BODY = _s(string.ascii_letters + string.digits + "+/", 64)


@settings(max_examples=50, deadline=None)
@given(
    lines=st.lists(PEM_BODY, min_size=1, max_size=8),
    label=st.sampled_from(["", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED "]),
    truncated=st.booleans(),
)
def test_private_keys_removed_even_when_truncated(
    lines: list[str], label: str, truncated: bool
) -> None:
    pem = f"-----BEGIN {label}PRIVATE KEY-----\n" + "\n".join(lines)
    if not truncated:
        pem += f"\n-----END {label}PRIVATE KEY-----"
    out, counts = Redactor().text(f"config dump:\n{pem}\nafter")
    assert all(line not in out for line in lines)
    assert counts["private_key"] == 1


EMAILS = st.builds(
    lambda u, d: f"{u}@{d}.example",
    _s(string.ascii_lowercase, 3, 10),
    _s(string.ascii_lowercase, 3, 10),
)


@settings(max_examples=100, deadline=None)
@given(emails=st.lists(EMAILS, min_size=1, max_size=6), order=st.randoms(use_true_random=False))
def test_pseudonyms_are_consistent_within_one_redactor(emails: list[str], order: object) -> None:
    r = Redactor(["email"])
    first = {e: r.text(f"mail from {e}")[0].removeprefix("mail from ") for e in emails}
    shuffled = list(emails)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    for e in shuffled:  # same value, later call, other order: same pseudonym
        assert r.text(f"to {e}!")[0] == f"to {first[e]}!"
    distinct = {e.lower() for e in emails}
    assert len({first[e] for e in emails}) == len(distinct)
    assert all(e not in p for e in emails for p in first.values())


def test_personal_data_only_when_policy_asks() -> None:
    text = "alice@corp.example from 10.1.2.3 mac aa:bb:cc:dd:ee:ff on pc-alice as alice"
    kept, counts = Redactor().text(text)
    assert kept == text and not counts
    r = Redactor(
        ["email", "ip", "mac", "hostname", "username"],
        known_hosts=["pc-alice"],
        known_users=["alice"],
    )
    out, counts = r.text(text)
    assert out == "email-1@redacted from ip-1 mac mac-1 on host-1 as user-1"
    assert counts == {"email": 1, "ip": 1, "mac": 1, "hostname": 1, "username": 1}


def test_ipv6_and_loopback() -> None:
    r = Redactor(["ip"])
    out, _ = r.text("peer fe80::1c2a:3bff:fe4d:5e6f%eth0 and 2001:db8::7, local 127.0.0.1 ::1")
    assert "fe80" not in out and "2001:db8" not in out
    assert "127.0.0.1" in out and "::1" in out


@pytest.mark.parametrize(
    "text",
    [
        "Password changed for user bob",
        "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=",
        "Failed password for invalid user admin from port 22 ssh2",
        "token bucket refill rate=5/s",
        "PRIMARY_KEY=id SORT_KEY=created_at",
        "PWD=/home/bob/projects",
        "password: ********",
        "DB_PASSWORD=${DB_PASSWORD}",
        "Basic settings saved",
        "kernel: version 6.1.0-18-amd64, uuid 123e4567-e89b-12d3-a456-426614174000",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "Token expired,",
        "Пароль изменён",
        "install libsecret-common:all <none> 0.20.5-3",
        'Authorization: "user_token {{ secret.user_token }}"',
    ],
)
def test_no_false_alarms_on_ordinary_lines(text: str) -> None:
    out, counts = Redactor().text(text)
    assert out == text, counts


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("GITHUB_TOKEN", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("db.password", True),
        ("clientSecret", True),
        ("API_KEY", True),
        ("AccountKey", True),
        ("PGPASSWORD", True),
        ("SSH_AUTH_SOCK", False),
        ("PASSWORD_FILE", False),
        ("PUBLIC_KEY", False),
        ("PRIMARY_KEY", False),
        ("TOKENIZER", False),
        ("KEYBOARD", False),
        ("PATH", False),
        ("TOKEN_URL", False),
        ("passwordless_login", False),
        ("secretary", False),
        ("password_expiry_days", False),
        ("psk-flags", False),
        ("no-password", False),
        ("psk", True),
        ("802-1x.password", True),
        ("MYSQL_PWD", True),
        ("ПАРОЛЬ_БД", True),
        ("пароль_админа", True),
        ("гасло", True),
        ("DbПароль", True),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert looks_secret_name(name) is secret


def test_data_walk_counts_and_user_keys() -> None:
    r = Redactor(["username", "hostname"], known_users=["carol"])
    data = {
        "hostname": "ws-0042",
        "procs": [{"user": "root"}, {"user": "carol"}],
        "log": "session opened for carol on ws-0042",
    }
    out, counts = r.data(data)
    assert out["hostname"] == "host-1"
    assert out["procs"] == [{"user": "root"}, {"user": "user-1"}]
    assert out["log"] == "session opened for user-1 on host-1"
    assert counts == {"hostname": 2, "username": 2}


def test_argv_lists_lose_the_element_after_a_secret_option() -> None:
    argv = ["/usr/bin/sshpass", "-p", "Hunter2!x", "ssh", "--token", "tok3nValue", "-v", "host"]
    out, counts = Redactor().data({"cmdline": argv})
    assert "Hunter2!x" not in str(out) and "tok3nValue" not in str(out)
    assert out["cmdline"][0] == "/usr/bin/sshpass" and out["cmdline"][-1] == "host"
    assert counts["cli_password"] == 2


def test_docker_auth_only_when_it_decodes_to_user_and_password() -> None:
    auth = "cm9ib3Q6UzNjcjN0UGFzcw=="  # robot:S3cr3tPass
    out, _ = Redactor().data({"auths": {"registry.example": {"auth": auth}}})
    assert auth not in str(out)
    kept, counts = Redactor().data({"auth": "pam", "mode": {"auth": "kerberos"}})
    assert kept == {"auth": "pam", "mode": {"auth": "kerberos"}} and not counts


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("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", "SG.ngeV"),
        ("key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i rotated", "sk-proj-Ab3d"),
        ("[wifi-security]\nkey-mgmt=wpa-psk\npsk=correct-horse-42\n", "correct-horse-42"),
        ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n"
         "AAAAIBvL3jZ0k7n2bN1lQw", "AAAAIBvL3jZ0k7n2bN1lQw"),
        ('db_password: "S3cret pass!"', "S3cret pass!"),
        ("12:00:01 app[3]:     password: hunter2hunter2", "hunter2hunter2"),
        ("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/send",
         "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"),
        ("    Key Content            : MyWifiPass1", "MyWifiPass1"),
        ("    Содержимое ключа       : МойПароль", "МойПароль"),
        ("802-11-wireless-security.psk:          s3cr3tWifi", "s3cr3tWifi"),
        ("machine ftp.example login bob password letmein", "letmein"),
        ("ldap_default_authtok = verysecret", "verysecret"),
        ("rootpw --plaintext hunter", "hunter"),
        ("bindpw secretword", "secretword"),
        ("https://discord.com/api/webhooks/123456/abcDEF-xyz", "abcDEF-xyz"),
        ("rdesktop -u bob -p Secret1 host", "Secret1"),
        ("keytool -importkeystore -srcstorepass abc123 -deststorepass def456", "abc123"),
        ("wmic /node:pc /user:admin /password:Xy12345 process list", "Xy12345"),
        ('ConvertTo-SecureString -AsPlainText "Qw3rty!!" -Force', "Qw3rty!!"),
        ("REDIS_URL=redis://:s3cretpass@cache:6379/0", "s3cretpass"),
        ("db:\n  password: |\n    line-one-secret\n  host: x\n", "line-one-secret"),
    ],
)
def test_kinds_that_survived_before(text: str, secret: str) -> None:
    out, counts = Redactor().text(text)
    assert secret not in out and MARK in out, out
    assert sum(counts.values()) >= 1


def test_card_iban_and_identity_numbers_go_without_any_policy() -> None:
    text = "card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1120"
    out, counts = Redactor().text(text)
    assert not any(ch.isdigit() for ch in out.replace("[REDACTED", ""))
    assert counts == {"card_number": 1, "iban": 1, "national_id": 1}
    kept, _ = Redactor().text("card 4111 1111 1111 1112 (not a Luhn number)")
    assert "4111 1111 1111 1112" in kept


def test_other_hosts_get_their_own_pseudonyms() -> None:
    r = Redactor(["hostname"], known_hosts=["ws042"])
    out, counts = r.text(r"ws042 cannot reach fs01.corp.example.com or \\nas02\backup; ws042")
    m = re.fullmatch(r"host-1 cannot reach (host-\d) or \\\\(host-\d)\\backup; host-1", out)
    assert m and {m.group(1), m.group(2)} == {"host-2", "host-3"}, out
    assert counts["hostname"] == 4
    kept, _ = r.text("setup.py and libssl.so.3 and diagnostics.redact")
    assert kept == "setup.py and libssl.so.3 and diagnostics.redact"


def test_four_part_versions_are_not_addresses() -> None:
    r = Redactor(["ip"])
    out, _ = r.text("version 10.0.19045.1 on 10.0.0.7, Chrome/120.0.0.1")
    assert out == "version 10.0.19045.1 on ip-1, Chrome/120.0.0.1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list", "expected a mapping"),
        ("secret_suffixes: password", "'secret_suffixes' must be a list"),
    ],
)
def test_a_bad_word_list_fails_with_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as e:
        parse(text, "words.yaml")
    assert "\n" not in str(e.value) and str(e.value).startswith("words.yaml: ")


def test_everything_under_a_secret_name_is_secret() -> None:
    data = {"password": {"value": "Hunter2x!"}, "tokens": ["tok-A1b2c3d4", "${TOKEN}"],
            "public": {"value": "kept"}}
    out, counts = Redactor().data(data)
    assert "Hunter2x!" not in str(out) and "tok-A1b2c3d4" not in str(out)
    assert out["tokens"][1] == "${TOKEN}" and out["public"] == {"value": "kept"}
    assert counts["secret_value"] == 2


def test_mapping_keys_are_redacted_without_losing_values() -> None:
    r = Redactor(["hostname"])
    out, counts = r.data({"fs01.corp.example.com": 1, "FS01.corp.example.com": 2, "ok": "x\u202e"})
    assert sorted(out) == ["host-1", "host-1 (2)", "ok"]
    assert sorted(v for k, v in out.items() if k != "ok") == [1, 2]
    assert out["ok"] == "x[U+202E]"
    assert counts["hostname"] == 2


def test_every_secret_word_is_a_trigger() -> None:
    # text without a trigger skips the detectors: a secret name must never be such a text
    w = words()
    names = [*w.secret_suffixes, *w.secret_words, *w.secret_names, *w.text_words,
             "ПАРОЛЬ_БД", "гасло", "пин-код", "КОД_ДОСТУПА", "db.password", "wep-key0"]
    missing = [n for n in names if not has_trigger(f"{n.upper()}=x") or not has_trigger(n)]
    assert not missing
    assert not has_trigger("eth0 up, 1500 MTU, 1 Gbit/s")
