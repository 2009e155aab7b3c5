"""The innocent strings of the redaction corpus: text that must come out of the redactor
unchanged (versions, paths, log lines that only look like secrets)."""

from __future__ import annotations

import uuid

from tests.security.corpus_values import (
    R,
    b64,
    hexs,
)


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
