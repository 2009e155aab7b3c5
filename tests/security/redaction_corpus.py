"""Builds the redaction corpus (tests/security/data/redaction_corpus.jsonl), deterministically.

Run ``python -m tests.security.redaction_corpus`` to rewrite the file. Each template is a
realistic line or block from one context (log, env, argv, ini, yaml, json, url, ru/uk text)
with ``{v}`` where a generated secret or personal value goes; innocent strings have none. The
split into the part the redactor was tuned on and the held-out part is made once, by template
(so held-out items are formats never looked at while tuning), with a fixed seed.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).parent / "data" / "redaction_corpus.jsonl"
SEED = 13
HOLDOUT_SHARE = 0.3
PER_TEMPLATE = 2  # generated values per secret/PII template

R = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
WORDS = [
    "Summer",
    "Winter",
    "Dragon",
    "Monkey",
    "Sunshine",
    "Kitten",
    "Rocket",
    "Falcon",
    "Orange",
    "Silver",
    "Coffee",
    "Tiger",
    "Shadow",
    "Purple",
    "Hunter",
    "Maple",
]


def _rand(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def password(shell_safe: bool = True) -> str:
    """A password as people choose them: word+year+symbol, random, leetspeak, passphrase-ish."""
    style = R.randrange(5)
    sym = "!@#%^*_+.~-" if shell_safe else "!@#%^*_+.~-$&"
    if style == 0:
        return R.choice(WORDS) + str(R.randrange(1990, 2030)) + R.choice("!#@%*")
    if style == 1:
        return _rand(ALNUM + sym, R.randrange(10, 22)) + R.choice(string.digits)
    if style == 2:
        w = R.choice(WORDS)
        return w.replace("a", "@").replace("o", "0").replace("e", "3") + str(R.randrange(10, 99))
    if style == 3:
        return "-".join(R.choice(WORDS).lower() for _ in range(3)) + str(R.randrange(10))
    return _rand(string.ascii_lowercase, 6) + _rand(string.digits, 4) + R.choice("!#")


def cyr_password() -> str:
    return R.choice(["Ромашка", "Котик", "Весна", "Сонечко", "Зірка"]) + str(R.randrange(100, 999))


def b64(n: int) -> str:
    return base64.b64encode(bytes(R.randrange(256) for _ in range(n))).decode()


def hexs(n: int) -> str:
    return _rand("0123456789abcdef", n)


def jwt() -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    body = (
        base64.urlsafe_b64encode(
            json.dumps({"sub": _rand(ALNUM, 8), "iat": R.randrange(10**9, 2 * 10**9)}).encode()
        )
        .decode()
        .rstrip("=")
    )
    return f"{head}.{body}.{_rand(ALNUM + '-_', 43)}"


TOKENS: dict[str, Callable[[], str]] = {
    "github": lambda: "ghp_" + _rand(ALNUM, 36),
    "github_pat": lambda: "github_pat_" + _rand(ALNUM, 22) + "_" + _rand(ALNUM, 59),
    "gitlab": lambda: "glpat-" + _rand(ALNUM + "-_", 20),
    "slack": lambda: (
        f"xoxb-{_rand(string.digits, 12)}-{_rand(string.digits, 13)}-" + _rand(ALNUM, 24)
    ),
    "aws": lambda: "AKIA" + _rand(string.ascii_uppercase + string.digits, 16),
    "google": lambda: "AIza" + _rand(ALNUM + "-_", 35),
    "stripe": lambda: "sk_live_" + _rand(ALNUM, 24),
    "sendgrid": lambda: "SG." + _rand(ALNUM + "-_", 22) + "." + _rand(ALNUM + "-_", 43),
    "openai_old": lambda: "sk-" + _rand(ALNUM, 20) + "T3BlbkFJ" + _rand(ALNUM, 20),
    "openai_proj": lambda: (
        "sk-proj-" + _rand(ALNUM + "-_", 20) + _rand(string.digits, 2) + _rand(ALNUM + "-_", 60)
    ),
    "anthropic": lambda: "sk-ant-api03-" + _rand(ALNUM + "-_", 93) + "AA",
    "npm": lambda: "npm_" + _rand(ALNUM, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + _rand(ALNUM + "-_", 60),
    "huggingface": lambda: "hf_" + _rand(ALNUM, 34),
    "jwt": jwt,
    "telegram": lambda: f"{R.randrange(10**8, 10**9)}:AA{_rand(ALNUM + '-_', 33)}",
    "vault": lambda: "hvs." + _rand(ALNUM, 24),
    "twilio": lambda: "SK" + hexs(32),
    "mailgun": lambda: "key-" + hexs(32),
    "shopify": lambda: "shpat_" + hexs(32),
    "digitalocean": lambda: "dop_v1_" + hexs(64),
}


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + _rand(string.digits, length - len(prefix) - 1)
    for d in string.digits:
        cand = body + d
        total = 0
        for i, ch in enumerate(reversed(cand)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return cand
    raise AssertionError("unreachable")


def card() -> str:
    prefix, length = R.choice(
        [
            ("4", 16),
            ("51", 16),
            ("55", 16),
            ("2221", 16),
            ("37", 15),
            ("34", 15),
            ("2200", 16),
            ("2202", 16),
            ("6011", 16),
            ("4", 13),
        ]
    )
    num = luhn_complete(prefix + _rand(string.digits, 6 - len(prefix)), length)
    style = R.randrange(3)
    if style == 0 or length == 13:
        return num
    sep = " " if style == 1 else "-"
    if length == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


_IBAN_BBAN = {
    "DE": (18, string.digits),
    "GB": (18, None),
    "FR": (23, string.digits),
    "UA": (25, string.digits),
    "PL": (24, string.digits),
    "NL": (14, None),
    "ES": (20, string.digits),
    "CH": (17, string.digits),
    "KZ": (16, string.digits),
}


def iban() -> str:
    country = R.choice(sorted(_IBAN_BBAN))
    n, alphabet = _IBAN_BBAN[country]
    if alphabet is None:  # GB, NL: a 4-letter bank code, then digits
        bban = _rand(string.ascii_uppercase, 4) + _rand(string.digits, n - 4)
    else:
        bban = _rand(alphabet, n)
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    s = f"{country}{check:02d}{bban}"
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4)) if R.random() < 0.5 else s


def phone() -> str:
    d = lambda n: _rand(string.digits, n)  # noqa: E731
    return R.choice(
        [
            f"+7 9{d(2)} {d(3)}-{d(2)}-{d(2)}",
            f"8 (9{d(2)}) {d(3)}-{d(2)}-{d(2)}",
            f"+380 {R.choice(['44', '67', '50', '93'])} {d(3)} {d(2)} {d(2)}",
            f"0{R.choice(['44', '67', '50'])} {d(3)} {d(2)} {d(2)}",
            f"+1-{R.randrange(201, 989)}-555-{d(4)}",
            f"({R.randrange(201, 989)}) 555-{d(4)}",
            f"+44 20 {d(4)} {d(4)}",
            f"+49 30 {d(8)}",
            f"89{d(9)}",
            f"+7{d(10)}",
            f"+380{d(9)}",
        ]
    )


def snils() -> str:
    body = _rand(string.digits, 9)
    total = sum(int(c) * (9 - i) for i, c in enumerate(body))
    check = total % 101 if total > 101 else total
    check = 0 if check in (100, 101) else check
    return f"{body[:3]}-{body[3:6]}-{body[6:9]} {check:02d}"


def ssn() -> str:
    return f"{R.randrange(1, 665):03d}-{R.randrange(1, 99):02d}-{R.randrange(1, 9999):04d}"


def inn() -> str:
    return _rand("123456789", 1) + _rand(string.digits, 11)


SECRET_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    # (context, template); {v} is the secret
    "cli_password": [
        ("argv", "mysqldump --user=backup --password={v} --all-databases"),
        ("argv", "/usr/bin/python3 sync.py --password {v} --host db"),
        ("log", "2024-05-01 10:02:11 INFO runner: exec mysql -u root -p{v} -e 'show databases'"),
        ("argv", "sshpass -p {v} ssh admin@10.0.0.5 uptime"),
        ("argv", "sshpass -p'{v}' scp file admin@backup:/srv"),
        ("argv", "node deploy.js --api-key {v} --env prod"),
        ("argv", "net use Z: \\\\fs01\\share {v} /user:CORP\\ivanov /persistent:yes"),
        ("argv", 'net use \\\\nas\\backup "{v}" /user:backup'),
        ("log", '$cred = ConvertTo-SecureString "{v}" -AsPlainText -Force'),
        ("argv", "ConvertTo-SecureString -String '{v}' -AsPlainText -Force"),
        ("argv", "curl -u deploy:{v} https://ci.corp.example/api"),
        ("argv", "docker login -u robot -p {v} registry.corp.example"),
        ("argv", "smbclient //fs01/share -U ivanov%{v}"),
        ("argv", "openssl pkcs12 -export -in c.pem -passout pass:{v} -out c.p12"),
        ("argv", "7z a backup.7z /data -p{v} -mhe=on"),
        ("argv", 'sqlcmd -S sql01 -U sa -P {v} -Q "select 1"'),
        ("argv", "htpasswd -b /etc/nginx/.htpasswd admin {v}"),
        ("argv", "ldapsearch -x -D cn=admin,dc=corp -w {v} -b dc=corp"),
        ("argv", "redis-cli -h cache -a {v} ping"),
        ("argv", "xfreerdp /v:term01 /u:ivanov /p:{v} /cert:ignore"),
        ("argv", "cmdkey /generic:TERMSRV/term01 /user:ivanov /pass:{v}"),
        ("argv", "net user svc_backup {v} /add"),
        ("argv", "mongosh mongodb://db01/admin -u root -p {v}"),
        ("argv", "New-PSDrive -Name X -Credential $c -Password {v}"),
        ("argv", "wget --http-user=ivanov --http-password={v} https://files.corp.example/a"),
        ("argv", "java -Ddb.password={v} -jar app.jar"),
        ("argv", "psql --dbname=app --password={v}"),
        ("argv", "openvpn --config corp.ovpn --auth-token {v}"),
        ("json", '{{"cmdline": ["/usr/bin/sshpass", "-p", "{v}", "ssh", "backup"]}}'),
        ("json", '{{"argv": ["rclone", "sync", "--secret-key", "{v}", "/data"]}}'),
        ("argv", "mariadb -h 127.0.0.1 -uapp -p{v} appdb"),
        ("argv", "unzip -P {v} salaries.zip"),
        ("argv", "psexec \\\\ws042 -u admin -p {v} cmd"),
        ("argv", "az login --service-principal -u app --password {v} --tenant t1"),
    ],
    "config": [
        ("env", "DB_PASSWORD={v}"),
        ("env", "export MYSQL_ROOT_PASSWORD={v}"),
        ("env", "PGPASSWORD={v}"),
        ("ini", "[database]\nhost = db01\npassword = {v}\n"),
        ("ini", "[smtp]\nsmtp_pass={v}\n"),
        ("yaml", 'database:\n  user: app\n  db_password: "{v}"\n'),
        ("yaml", "redis:\n  password: '{v}'\n"),
        ("yaml", "auth:\n  client_secret: {v}\n"),
        ("log", "2024-05-01 10:00:00,123 DEBUG config loaded:\n    password: {v}"),
        ("log", "Jun 01 12:00:01 ws042 app[311]: [cfg]   password: {v}"),
        ("json", '{{"auths": {{"registry.corp.example": {{"auth": "{v}"}}}}}}'),
        ("ini", "[wifi-security]\nkey-mgmt=wpa-psk\npsk={v}\n"),
        ("ini", 'network={{\n  ssid="Office"\n  psk="{v}"\n}}'),
        ("env", 'JAVA_OPTS="-Xmx512m -Ddb.password={v} -Dfile.encoding=UTF-8"'),
        ("env", "CATALINA_OPTS=-Dspring.datasource.password={v}"),
        ("json", '{{"SPRING_APPLICATION_JSON": "{{\\"db.password\\":\\"{v}\\"}}"}}'),
        ("ini", "jdbc.url=jdbc:postgresql://db/app\njdbc.password={v}\n"),
        (
            "xml",
            '<connectionStrings><add name="main" connectionString="Server=sql01;Database=x;'
            'User Id=app;Password={v};"/></connectionStrings>',
        ),
        ("xml", '<appSettings><add key="SmtpPassword" value="{v}"/></appSettings>'),
        ("xml", "<settings><password>{v}</password></settings>"),
        ("json", '{{"user": "svc", "apiKey": "{v}"}}'),
        ("json", '{{"credentials": {{"secret": "{v}"}}}}'),
        ("ini", "[Credentials]\nPassword={v}\n"),
        ("env", "AWS_SECRET_ACCESS_KEY={v}"),
        ("env", "SET DB_PASS={v}"),
        ("ini", "$db_pass => '{v}',"),
        ("yaml", 'spring:\n  datasource:\n    password: "{v}"\n'),
        ("env", 'REGISTRY_AUTH={{"auth":"{v}"}}'),
        ("ini", "802-1x.password={v}"),
        ("yaml", "- name: vpn\n  pre_shared_key: {v}\n"),
        ("log", "INFO  settings: {{'ldap_bind_password': '{v}', 'timeout': 5}}"),
        ("env", '$env:DB_PASSWORD = "{v}"'),
    ],
    "url_credentials": [
        ("url", "https://admin:{v}@intranet.corp.example/status"),
        ("url", "postgresql://app:{v}@db01:5432/app"),
        ("log", "GET /api/login?user=bob&password={v} HTTP/1.1 200"),
        ("url", "https://files.corp.example/a.zip?sv=2021&sig={v}"),
        ("url", "https://api.corp.example/v1?access_token={v}&page=2"),
        ("log", "redirect to ftp://backup:{v}@nas.local/"),
    ],
    "http_header": [
        ("log", "Authorization: Bearer {v}"),
        ("log", "> Authorization: Basic {v}"),
        ("log", "Cookie: sessionid={v}; theme=dark"),
        ("json", '{{"headers": {{"X-Api-Key": "{v}"}}}}'),
        ("log", "curl -H 'Authorization: token {v}' https://api.corp.example"),
    ],
    "cyrillic": [
        ("ru", "Мой пароль: {v}"),
        ("ru", "пароль от почты — {v}"),
        ("ru", "Напоминаю: пароль {v}, логин ivanov"),
        ("ru", "Не подходит пароль к вайфаю {v}"),
        ("ru", "Вход с паролем {v} не работает"),
        ("ru", "Сменил пароля на {v} вчера"),
        ("uk", "Мій пароль: {v}"),
        ("uk", "гасло до пошти — {v}"),
        ("uk", "Гасло від wifi: {v}"),
        ("uk", "З паролем {v} не пускає"),
        ("uk", "паролі для входу: {v}"),
        ("env", "ПАРОЛЬ_БД={v}"),
        ("ini", "пароль = {v}"),
        ("yaml", "пароль_админа: {v}"),
        ("json", '{{"пароль": "{v}"}}'),
        ("uk", "Тимчасовий пароль {v} діє до п'ятниці"),
        ("ru", "ПИН-код: {v}"),
        ("ru", "код доступа: {v}"),
        ("ru", "Ваш новый пароль — «{v}»"),
    ],
    "natural_text": [
        ("log", "my password is {v}"),
        ("log", "New password: {v}"),
        ("log", "Temporary password for bob: {v}"),
        ("log", "The Wi-Fi password is {v}"),
        ("log", "passphrase: {v}"),
        ("log", "password for the share {v}"),
    ],
}

TOKEN_CONTEXTS: list[tuple[str, str]] = [
    ("log", "2024-05-01 10:00:00 DEBUG using {v} for upload"),
    ("log", "{v}"),
    ("json", '{{"note": "key {v} rotated"}}'),
    ("ru", "вот ключ {v} — не потеряй"),
    ("env", "SOME_VAR={v}"),
    ("yaml", "value: {v}"),
]

KEY_BLOCKS: list[tuple[str, str]] = []


def pem(label: str) -> str:
    body = "\n".join(b64(48) for _ in range(R.randrange(3, 8)))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----", body


def putty(version: int) -> tuple[str, str]:
    priv = "\n".join(b64(48) for _ in range(R.randrange(3, 6)))
    pub = b64(48)
    extra = "Key-Derivation: Argon2id\nArgon2-Memory: 8192\n" if version == 3 else ""
    text = (
        f"PuTTY-User-Key-File-{version}: ssh-rsa\nEncryption: none\n{extra}"
        f"Comment: rsa-key-20240501\nPublic-Lines: 1\n{pub}\nPrivate-Lines: "
        f"{priv.count(chr(10)) + 1}\n{priv}\nPrivate-MAC: {hexs(40)}"
    )
    return text, priv


PII_TEMPLATES: dict[str, tuple[Callable[[], str], list[tuple[str, str]]]] = {
    "card_number": (
        card,
        [
            ("log", "payment declined for card {v} (insufficient funds)"),
            ("ru", "номер карты {v}, срок 12/27"),
            ("json", '{{"pan": "{v}"}}'),
            ("uk", "картка {v} заблокована"),
            ("log", "cc={v}"),
        ],
    ),
    "iban": (
        iban,
        [
            ("log", "transfer to {v} failed"),
            ("ru", "Реквизиты: IBAN {v}"),
            ("json", '{{"account": "{v}"}}'),
            ("uk", "рахунок {v} для зарплати"),
        ],
    ),
    "phone": (
        phone,
        [
            ("log", "callback requested: {v}"),
            ("ru", "перезвоните мне по номеру {v}"),
            ("uk", "мій номер {v}, дзвоніть після обіду"),
            ("json", '{{"contact": "{v}"}}'),
            ("yaml", "mobile: {v}"),
        ],
    ),
    "national_id": (
        lambda: R.choice([ssn(), snils()]),
        [
            ("log", "employee record {v} updated"),
            ("ru", "СНИЛС {v}"),
            ("json", '{{"ssn": "{v}"}}'),
        ],
    ),
    "national_id_labelled": (
        lambda: R.choice(
            [inn(), f"{R.randrange(10, 99)} {R.randrange(10, 99)} {R.randrange(100000, 999999)}"]
        ),
        [
            ("ru", "ИНН {v}"),
            ("ru", "паспорт {v} выдан ОВД"),
            ("uk", "РНОКПП: {v}"),
            ("log", "passport number: {v}"),
        ],
    ),
    "email": (
        lambda: (
            f"{_rand(string.ascii_lowercase, 6)}@{R.choice(['corp', 'mail', 'firm'])}.example.com"
        ),
        [
            ("log", "sending report to {v}"),
            ("ru", "пишите на {v}"),
        ],
    ),
    "ip": (
        lambda: f"10.{R.randrange(256)}.{R.randrange(256)}.{R.randrange(1, 255)}",
        [
            ("log", "connect to {v}:443 timed out"),
            ("ini", "server_ip={v}"),
        ],
    ),
    "mac": (
        lambda: ":".join(hexs(2) for _ in range(6)),
        [
            ("log", "wlan0: associated with {v}"),
        ],
    ),
    "hostname": (
        lambda: R.choice(["fs", "db", "sql", "app", "term", "print"]) + f"{R.randrange(1, 99):02d}",
        [
            ("log", "cannot reach {v}.corp.example.com: timeout"),
            ("argv", "net use Z: \\\\{v}\\share"),
            ("ini", "Server={v};Database=x;Trusted_Connection=yes"),
            ("url", "https://{v}.intranet.corp.example/login"),
            ("log", "host={v} port=5432"),
        ],
    ),
}


def innocents() -> list[tuple[str, str, str]]:
    """(category, context, text) — strings that must come out unchanged."""
    out: list[tuple[str, str, str]] = []
    v4 = lambda: ".".join(str(R.randrange(0, 30)) for _ in range(4))  # noqa: E731
    for _ in range(12):
        out.append(
            (
                "version",
                "log",
                R.choice(
                    [
                        f"version {v4()}",
                        f"Firefox/{v4()}",
                        f"build {v4()}",
                        f"v{v4()}",
                        f"driver version {v4()}",
                        f"версия {v4()}",
                        f"версія {v4()}",
                        f"release {v4()}",
                    ]
                ),
            )
        )
    out += [
        ("version", c, t)
        for c, t in [
            ("log", "kernel: Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC"),
            ("log", "Windows 10.0.19045.3803"),
            ("log", "Chrome/120.0.6099.130 Safari/537.36"),
            ("log", "Python 3.11.4"),
            ("log", "openssl 3.0.11 19 Sep 2023"),
            ("log", "installed KB5034441"),
            ("json", '{"version": "0.1.0"}'),
            ("yaml", "version: 2.4.1"),
            ("log", "libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3"),
            ("log", "setup.py develop"),
            ("log", "mesa 23.2.1-1ubuntu3.1~22.04.2"),
        ]
    ]
    for _ in range(14):
        u = str(uuid.UUID(int=R.getrandbits(128), version=4))
        out.append(
            (
                "uuid",
                R.choice(["log", "json", "ini"]),
                R.choice(
                    [
                        f"request {u} finished",
                        f'{{"id": "{u}"}}',
                        f"machine-id={u.replace('-', '')}",
                        f"guid: {{{u.upper()}}}",
                        f"correlation id {u}",
                        f"boot_id: {u}",
                    ]
                ),
            )
        )
    for _ in range(14):
        n = R.randrange(1, 4000)
        out.append(
            (
                "size",
                "log",
                R.choice(
                    [
                        f"{n} MB",
                        f"{n}.{R.randrange(10)} GiB free of {n * 2}.0 GiB",
                        f"{n * 1024} bytes",
                        f"{n} KiB",
                        f"used {R.randrange(1, 99)}% ({n} MB)",
                        f"resolution {n}x{R.randrange(400, 2200)}",
                        f"{n} 512 2048 4096",
                    ]
                ),
            )
        )
    for _ in range(16):
        h, m, s = R.randrange(24), R.randrange(60), R.randrange(60)
        out.append(
            (
                "time",
                "log",
                R.choice(
                    [
                        f"{h:02d}:{m:02d}:{s:02d}",
                        f"2024-05-{R.randrange(1, 29):02d}T{h:02d}:{m:02d}:{s:02d}+03:00",
                        f"took {R.randrange(1, 99999)} ms",
                        f"uptime {R.randrange(1, 40)} days, {h}:{m:02d}",
                        f"timestamp {R.randrange(1_600_000_000, 1_800_000_000)}",
                        f"ts={R.randrange(1_600_000_000_000, 1_800_000_000_000)}",
                        f"Tue, 01 Dec 2026 {h:02d}:{m:02d}:{s:02d} GMT",
                        f"last boot 2024-05-01 {h:02d}:{m:02d}",
                        f"duration {h}h {m}m {s}s",
                    ]
                ),
            )
        )
    for _ in range(8):
        out.append(
            (
                "hash",
                "log",
                R.choice(
                    [
                        f"sha256 {hexs(64)}",
                        f"commit {hexs(40)}",
                        f"md5={hexs(32)}",
                        f'etag "{hexs(32)}"',
                        f"fingerprint SHA256:{b64(32).rstrip('=')}",
                    ]
                ),
            )
        )
    out += [
        ("number", "log", t)
        for t in [
            f"pid {R.randrange(100, 99999)}",
            f"port {R.randrange(1, 65535)}",
            "exit code 137",
            "error 0x80070005",
            "HRESULT 0x8007045D",
            "errno=13",
            f"inode {R.randrange(10**6, 10**7)}",
            "DPI 96",
            "order 1234567890",
            f"job {R.randrange(1, 999)} of 1000",
            "tel. support: ask IT",
            "printer queue: 3 jobs",
            "CPU 4 cores at 2.40 GHz",
            "battery 87%",
        ]
    ]
    out += [
        ("config_flag", c, t)
        for c, t in [
            ("yaml", "passwordless_login: enabled"),
            ("yaml", "secretary: Maria Petrova"),
            ("yaml", "password_policy: strict"),
            ("ini", "password_min_length = 12"),
            ("ini", "PasswordAuthentication no"),
            ("ini", "PermitRootLogin prohibit-password"),
            ("yaml", "auth: pam"),
            ("ini", "auth_method=kerberos"),
            ("env", "PASSWORD_FILE=/run/secrets/db"),
            ("ini", "psk-flags=1"),
            ("ini", "password-flags=0"),
            ("yaml", "use_tls: true"),
            ("yaml", "pin_memory: true"),
            ("ini", "keyboard_layout=us"),
            ("ini", "primary_key=id"),
            ("yaml", "tokenizer: bert-base"),
            ("env", "SSH_AUTH_SOCK=/run/user/1000/keyring/ssh"),
            ("yaml", "token_lifetime: 3600"),
            ("yaml", "secret_store: keyring"),
            ("ini", "password_expiry_days=90"),
            ("json", '{"password_required": true}'),
            ("yaml", "public_key: ssh-ed25519"),
            ("env", "GNUPGHOME=/home/u/.gnupg"),
            ("ini", "[Passwords]\nremember=false"),
            ("yaml", "secretariat: building B"),
            ("json", '{"tokens_used": 1520}'),
            ("env", "KEYTIMEOUT=1"),
            ("yaml", "password: ********"),
            ("env", "DB_PASSWORD=${DB_PASSWORD}"),
            ("yaml", "api_key: <your key here>"),
            ("ini", "sort_key=created_at"),
        ]
    ]
    out += [
        ("log_line", "log", t)
        for t in [
            "Failed password for invalid user admin from port 22 ssh2",
            "Password changed for user bob",
            "Accepted publickey for git",
            "pam_unix(sudo:session): session opened for user root(uid=0) by (uid=1000)",
            "systemd[1]: Started Session 3 of User gdm.",
            "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
            "NetworkManager[812]: <info> device (wlp2s0): state change: activated -> deactivated",
            "CUPS: Job 42 queued on printer HP_LaserJet",
            "Your password will expire in 5 days",
            "Enter password:",
            "Password:",
            "The password is incorrect. Try again.",
            "password reset link sent",
            "Password must be at least 12 characters",
            "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=",
            "token bucket refill rate=5/s",
            "Basic settings saved",
            "Wi-Fi password saved",
            "secret santa list updated",
            "VPN connected after 3 attempts",
            "Reset password link: sent",
            "password strength: weak",
            "Token expired, refreshing",
            "user cancelled the password dialog",
            "keyring unlocked",
            "Passwords do not match",
            "sshd[1021]: Connection closed by authenticating user bob port 51234 [preauth]",
            "Bluetooth: hci0: BCM: firmware Patch file not found",
        ]
    ]
    out += [
        ("ru_uk_text", c, t)
        for c, t in [
            ("ru", "Пароль изменён"),
            ("ru", "Неверный пароль"),
            ("ru", "Введите пароль"),
            ("uk", "Пароль успішно змінено"),
            ("uk", "Невірний пароль"),
            ("ru", "Забыли пароль?"),
            ("ru", "пароль должен содержать не менее 8 символов"),
            ("ru", "Принтер не печатает с утра, горит оранжевая лампочка"),
            ("ru", "Не работает VPN после обновления до версии 5.2"),
            ("uk", "Перестав працювати принтер на третьому поверсі"),
            ("uk", "Гасло змінено 3 дні тому"),
            ("ru", "Срок действия пароля истекает через 5 дней"),
            ("ru", "Секретарь приёмной: Иванова"),
            ("uk", "Після введення пароля нічого не відбувається"),
            ("ru", "Пароль от почты не подходит"),
            ("uk", "Забули гасло?"),
            ("ru", "Сбой в 10:45, ошибка 0x80070005"),
            ("uk", "Оновлення 2024-05-01 не встановилось"),
        ]
    ]
    out += [
        ("path", "log", t)
        for t in [
            "/home/user/.config/flare/settings.json",
            "C:\\Users\\Public\\Documents\\report.docx",
            "/etc/ssl/certs/ca-certificates.crt",
            "~/.ssh/id_ed25519.pub",
            "/var/log/syslog.1",
            "PWD=/home/bob/projects",
            "python3.11 -m pip list",
        ]
    ]
    # Lines from a real package log and from Flare's own connector specs, added after the
    # first held-out measurement (appended, so the split of every earlier item is unchanged).
    out += [
        ("real_world", c, t)
        for c, t in [
            ("log", "2026-12-01 20:06:24 install libsecret-common:all <none> 0.20.5-3"),
            ("log", "status installed libtext-password-pronounceable-perl:all 0.30-3"),
            (
                "log",
                "update-alternatives: run with --install /usr/sbin/rt-passwd rt-passwd "
                "/usr/sbin/rt-passwd-5 240",
            ),
            ("yaml", "X-Atlassian-Token: no-check"),
            ("yaml", "extract: {token: upload.token}"),
            ("yaml", 'Authorization: "Token token={{ secret.token }}"'),
        ]
    ]
    return out


def build() -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    split_rng = random.Random(SEED)

    def split_of() -> str:
        return "holdout" if split_rng.random() < HOLDOUT_SHARE else "tune"

    def add(
        kind: str,
        category: str,
        context: str,
        tpl: str,
        values: list[str],
        split: str,
        text: str | None = None,
    ) -> None:
        items.append(
            {
                "id": f"{kind}-{len(items):04d}",
                "split": split,
                "kind": kind,
                "category": category,
                "context": context,
                "text": text if text is not None else tpl.format(v=values[0]),
                "secrets": values,
            }
        )

    for category, templates in SECRET_TEMPLATES.items():
        for context, tpl in templates:
            split = split_of()
            for _ in range(PER_TEMPLATE):
                if ("auth" in tpl and "auths" in tpl) or tpl.startswith("REGISTRY_AUTH"):
                    v = base64.b64encode(f"robot:{password()}".encode()).decode()
                elif category == "cyrillic" and R.random() < 0.3:
                    v = cyr_password()
                elif category == "http_header" and "Bearer" in tpl:
                    v = _rand(ALNUM + "-._", 40)
                elif category == "http_header" and "Basic" in tpl:
                    v = base64.b64encode(f"bob:{password()}".encode()).decode()
                else:
                    v = password()
                add("secret", category, context, tpl, [v], split)
    for make in TOKENS.values():
        for context, tpl in TOKEN_CONTEXTS:
            add("secret", "token_shape", context, tpl, [make()], split_of())
    for label in (
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "PGP PRIVATE KEY BLOCK",
    ):
        for context, wrap in (("log", "dump:\n{v}\nend"), ("json", '{{"key": "{v}"}}')):
            text, body = pem(label)
            if context == "json":
                text = text.replace("\n", "\\n")
                body = body.split("\n")[0]
            add(
                "secret",
                "private_key",
                context,
                wrap,
                [body.split("\n")[0]],
                split_of(),
                wrap.format(v=text),
            )
    for version in (2, 3):
        for context, wrap in (("log", "{v}"), ("log", "cat key.ppk\n{v}\n$ ")):
            text, priv = putty(version)
            add(
                "secret",
                "private_key",
                context,
                wrap,
                priv.split("\n"),
                split_of(),
                wrap.format(v=text),
            )
    for _ in range(3):
        h = f"$6${_rand(ALNUM, 16)}${_rand(ALNUM + './', 86)}"
        add("secret", "password_hash", "log", "bob:{v}:19800:0:99999:7:::", [h], split_of())

    for category, (make, templates) in PII_TEMPLATES.items():
        for context, tpl in templates:
            split = split_of()
            for _ in range(PER_TEMPLATE):
                v = make()
                add("pii", category.removesuffix("_labelled"), context, tpl, [v], split)
    for category, context, text in innocents():
        add("innocent", category, context, "", [], split_of(), text)
    return items


def main() -> None:
    items = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for i in items:
        kinds[f"{i['kind']}/{i['split']}"] = kinds.get(f"{i['kind']}/{i['split']}", 0) + 1
    print(OUT.name, len(items), dict(sorted(kinds.items())))


if __name__ == "__main__":
    main()
