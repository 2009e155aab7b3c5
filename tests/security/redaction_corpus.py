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
from collections.abc import Callable
from pathlib import Path

from tests.security.corpus_innocents import innocents
from tests.security.corpus_values import (
    ALNUM,
    SEED,
    TOKENS,
    R,
    card,
    cyr_password,
    hexs,
    iban,
    inn,
    password,
    pem,
    phone,
    putty,
    rand,
    snils,
    ssn,
)

OUT = Path(__file__).parent / "data" / "redaction_corpus.jsonl"
HOLDOUT_SHARE = 0.3
PER_TEMPLATE = 2  # generated values per secret/PII template

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
            f"{rand(string.ascii_lowercase, 6)}@{R.choice(['corp', 'mail', 'firm'])}.example.com"
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




FRESH_SECRETS: dict[str, list[tuple[str, str]]] = {
    "cli_password": [
        ("argv", "/opt/app/bin/backup.sh --db-password {v} --target /mnt/nas"),
        ("log", "+ mysqladmin -uroot -p{v} status"),
        ("argv", "plink -ssh -l admin -pw {v} 10.1.1.1"),
        ("argv", "pscp -pw {v} file.txt admin@srv:/tmp"),
        ("argv", "vpncli connect --user ivanov --password {v}"),
        ("argv", 'runas /user:admin "cmd" & echo {v} | net use * \\\\srv\\c$ /user:admin'),
        ("argv", "Invoke-Sqlcmd -ServerInstance sql01 -Username sa -Password '{v}'"),
        ("argv", "git clone https://oauth2:{v}@git.corp.example/team/repo.git"),
        ("argv", "rsync rsync://backup:{v}@nas/share /data"),
        ("json", '{{"exe": "C:\\\\Tools\\\\sync.exe", "args": ["--pass", "{v}"]}}'),
        ("argv", "mount -t cifs //fs01/share /mnt -o username=bob,password={v},vers=3.0"),
        ("argv", "sc.exe config Svc obj= .\\svc password= {v}"),
    ],
    "config": [
        ("ini", '[client]\nuser=root\npassword="{v}"\n'),
        ("yaml", "smtp:\n  host: mail\n  pass: {v}\n"),
        ("env", "SMTP_PASSWORD='{v}'"),
        ("json", '{{"mail": {{"smtpPassword": "{v}", "port": 587}}}}'),
        ("ini", "[ldap]\nbind_dn = cn=reader\nbind_password = {v}\n"),
        ("log", '2024-06-01T08:00:00Z WARN  loaded settings {{"adminPassword":"{v}"}}'),
        ("yaml", 'vpn:\n    shared_secret: "{v}"\n'),
        ("ini", "ENCRYPTION_KEY={v}"),
        ("xml", '<property name="hibernate.connection.password">{v}</property>'),
        ("xml", "<Password>{v}</Password>"),
        ("env", 'DOCKER_AUTH_CONFIG={{"auths":{{"reg":{{"password":"{v}"}}}}}}'),
        ("ini", "[wifi-security]\nauth-alg=open\nkey-mgmt=sae\npsk={v}\n"),
    ],
    "cyrillic": [
        ("ru", "Логин: ivanov, пароль: {v}"),
        ("ru", "пароль поменяли на {v}"),
        ("uk", "Новий пароль: {v}"),
        ("uk", "пароль для принтера {v}"),
        ("ru", "Пароль администратора — {v}"),
        ("ru", "Ключ от вайфая: {v}"),
        ("uk", "ПАРОЛЬ={v}"),
        ("ru", "пароли: {v}"),
    ],
    "natural_text": [
        ("log", "Password: {v}"),
        ("log", "wifi pass: {v}"),
        ("log", "PIN code: {v}"),
        ("log", "the admin password {v} works again"),
    ],
    "url_credentials": [
        ("url", "mongodb+srv://app:{v}@cluster0.corp.example/db"),
        ("url", "amqp://guest:{v}@rabbit:5672/"),
        ("log", "GET /reset?token={v} 200"),
    ],
}
FRESH_PII: dict[str, tuple[Callable[[], str], list[tuple[str, str]]]] = {
    "card_number": (card, [("log", "order paid with {v}"), ("ru", "оплата картой {v} не прошла")]),
    "iban": (iban, [("uk", "IBAN: {v}")]),
    "phone": (phone, [("log", "Call me at {v}"), ("ru", "Телефон: {v}")]),
    "national_id": (snils, [("ru", "снилс {v}")]),
    "hostname": (
        lambda: R.choice(["srv", "nas", "dc"]) + f"{R.randrange(1, 99):02d}",
        [("log", "ping {v}.office.lan failed"), ("ini", "Data Source={v};Initial Catalog=x")],
    ),
}
FRESH_INNOCENT: list[tuple[str, str, str]] = [
    ("log_line", "log", "gdm-password][1234]: pam_unix(gdm-password:auth): conversation failed"),
    ("log_line", "log", "polkitd[812]: Registered Authentication Agent for unix-session:2"),
    ("log_line", "log", "sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1000"),
    ("log_line", "log", "gnome-keyring-daemon[1500]: The Secret Service was already initialized"),
    ("log_line", "log", "kernel: random: crng init done"),
    (
        "log_line",
        "log",
        "NetworkManager[800]: <info> device (wlan0): supplicant interface state: "
        "4way_handshake -> completed",
    ),
    (
        "log_line",
        "log",
        "wpa_supplicant[900]: wlan0: WPA: Key negotiation completed with "
        "the access point [PTK=CCMP GTK=CCMP]",  # was a MAC: personal data, mislabeled
    ),
    (
        "log_line",
        "log",
        "CRON[4321]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
    ),
    ("log_line", "log", "Windows Update: KB5034441 failed with error 0x80070643"),
    ("log_line", "log", "Outlook: The password you entered is not correct"),
    ("config_flag", "ini", "ChallengeResponseAuthentication no"),
    ("config_flag", "ini", "UsePAM yes"),
    ("config_flag", "yaml", "require_password_change: false"),
    ("config_flag", "json", '{"passwordMinLength": 8, "passwordHistory": 5}'),
    ("config_flag", "yaml", "token_endpoint_auth_method: client_secret_basic"),
    ("config_flag", "ini", "key-mgmt=wpa-psk"),
    ("version", "log", "Microsoft Office 16.0.17328.20162"),
    ("version", "log", "NVIDIA driver 535.154.05"),
    ("version", "log", "firmware version 1.0.2.3"),
    ("time", "log", "2024-06-01 08:00:00.123456+00:00"),
    ("size", "log", "Swap: 2.0Gi total, 512Mi used"),
    ("uuid", "log", "partition UUID=3b1f2a6c-7d4e-4a5b-9c8d-0e1f2a3b4c5d"),
    ("number", "log", "Serial Number: PF2ABCDE"),
    ("ru_uk_text", "ru", "Не могу войти, пишет неверный пароль"),
    ("ru_uk_text", "uk", "Після зміни пароля не підключається пошта"),
    ("ru_uk_text", "ru", "Ошибка 619 при подключении VPN в 09:15"),
    ("ru_uk_text", "uk", "Принтер HP LaserJet 1020 не друкує"),
    ("path", "log", "/usr/share/doc/libsecret-1-0/copyright"),
    ("path", "log", "C:\\Program Files\\KeePass Password Safe 2\\KeePass.exe"),
    ("hash", "log", "SHA1 fingerprint 3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D"),
]


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
                    v = rand(ALNUM + "-._", 40)
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
        h = f"$6${rand(ALNUM, 16)}${rand(ALNUM + './', 86)}"
        add("secret", "password_hash", "log", "bob:{v}:19800:0:99999:7:::", [h], split_of())

    for category, (make, templates) in PII_TEMPLATES.items():
        for context, tpl in templates:
            split = split_of()
            for _ in range(PER_TEMPLATE):
                v = make()
                add("pii", category.removesuffix("_labelled"), context, tpl, [v], split)
    for category, context, text in innocents():
        add("innocent", category, context, "", [], split_of(), text)
    # A second held-out part, written after the redactor was finished and measured once.
    for category, templates in FRESH_SECRETS.items():
        for context, tpl in templates:
            for _ in range(PER_TEMPLATE):
                add("secret", category, context, tpl, [password()], "holdout2")
    for category, (make, templates) in FRESH_PII.items():
        for context, tpl in templates:
            for _ in range(PER_TEMPLATE):
                add("pii", category, context, tpl, [make()], "holdout2")
    for category, context, text in FRESH_INNOCENT:
        add("innocent", category, context, "", [], "holdout2", text)
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
