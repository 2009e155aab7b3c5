"""Collectors driven entirely by policy: connectivity checks and IT's custom items.

Custom items come only from policy (never from the user): the tail of a file, one allow-listed
command run with its arguments and a timeout (no shell), a Windows registry value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from app.daemon_threads import run_bounded
from app.i18n import N_, current
from diagnostics.collector import (
    CollectContext,
    Collector,
    CollectorOutput,
    SkipCollector,
    error,
    warn,
)
from diagnostics.commands import CommandError, run
from diagnostics.connectivity import run_checks

# Margin so this collector reports partial results itself before the runner's budget ends.
BUDGET_MARGIN_S = 0.3
MAX_TAIL_LINES = 500
MAX_TAIL_BYTES = 64 * 1024
MAX_COMMAND_OUTPUT = 16 * 1024


class ConnectivityCollector(Collector):
    name = "connectivity"
    title = N_("Connectivity checks")
    description = N_("The reachability checks IT configured: DNS resolution, TCP connect, "
                     "HTTP(S) status, TLS certificate and issuer, with latency.")
    timeout_s = 30.0  # bounded by the run's budget; the checks have their own timeouts
    privacy = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        if not ctx.checks:
            raise SkipCollector(current().tr("IT has configured no connectivity checks"))
        results = run_checks(ctx.checks, max(0.1, ctx.budget_s - BUDGET_MARGIN_S))
        failed = [r for r in results if not r.ok]
        findings = [error(r.summary) for r in failed]
        for r in results:
            if r.ok and r.detail.get("expires_soon"):
                findings.append(warn(r.summary))
        t = current()
        if failed:
            summary = t.ntr("{failed} of {n} check failed: {first}",
                            "{failed} of {n} checks failed: {first}", n=len(results),
                            failed=len(failed), first=failed[0].summary)
        else:
            slowest = max((r.latency_ms or 0) for r in results)
            summary = t.ntr("{n} check passed ({ms} ms)",
                            "all {n} checks passed (slowest {ms} ms)", n=len(results),
                            ms=current().number(slowest, 0))
        return CollectorOutput({"checks": [r.as_data() for r in results]}, summary, findings)


def tail_file(path: str, lines: int) -> str:
    lines = max(1, min(lines, MAX_TAIL_LINES))
    with open(os.path.expanduser(os.path.expandvars(path)), "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - MAX_TAIL_BYTES))
        text = f.read().decode("utf-8", "replace")
    kept = text.splitlines()[-lines:]
    return "\n".join(kept)


def registry_value(key: str, value: str) -> str:
    import winreg  # type: ignore[import-not-found, unused-ignore]

    w: Any = winreg
    hives = {"HKLM": w.HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE": w.HKEY_LOCAL_MACHINE,
             "HKCU": w.HKEY_CURRENT_USER, "HKEY_CURRENT_USER": w.HKEY_CURRENT_USER}
    hive, _, sub = key.partition("\\")
    if hive.upper() not in hives:
        raise ValueError(f"registry key must start with HKLM\\ or HKCU\\, not {hive!r}")
    with w.OpenKey(hives[hive.upper()], sub) as k:
        return str(w.QueryValueEx(k, value)[0])


def custom_item(
    spec: dict[str, Any], platform: str,
    registry: Callable[[str, str], str] = registry_value,
) -> dict[str, Any]:
    """One custom item as data: {name, type, ok, output | error}. Never raises."""
    kind = str(spec.get("type", ""))
    name = str(spec.get("name") or kind)
    out: dict[str, Any] = {"name": name, "type": kind}
    try:
        if kind == "file_tail":
            path = str(spec.get("path") or "")
            if not path:
                raise ValueError("a file_tail item needs 'path'")
            out["path"] = path
            out["output"] = tail_file(path, int(spec.get("lines") or 50))
        elif kind == "command":
            argv = spec.get("argv")
            if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
                raise ValueError("a command item needs 'argv', a list of strings")
            timeout = float(spec.get("timeout_s") or 2.0)
            out["argv"] = argv
            text = run(argv, timeout, check=False)
            out["output"] = text[-MAX_COMMAND_OUTPUT:]
        elif kind == "registry":
            if platform != "windows":
                out.update(ok=True, skipped="registry values exist only on Windows")
                return out
            key, value = str(spec.get("key") or ""), str(spec.get("value") or "")
            if not key:
                raise ValueError("a registry item needs 'key'")
            out["key"] = key
            out["output"] = registry(key, value)
        else:
            raise ValueError(f"type {kind!r} is not one of file_tail, command, registry")
    except FileNotFoundError as e:
        out.update(ok=False, error=f"file not found: {e.filename}")
        return out
    except (OSError, ValueError, CommandError) as e:
        out.update(ok=False, error=str(e))
        return out
    out["ok"] = True
    return out


class CustomCollector(Collector):
    name = "custom"
    title = N_("IT's custom items")
    description = N_("Items IT configured by policy: file tails, allow-listed commands (no "
                     "shell) and Windows registry values.")
    timeout_s = 30.0
    privacy = "personal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        if not ctx.custom:
            raise SkipCollector(current().tr("IT has configured no custom items"))
        budget = max(0.1, ctx.budget_s - BUDGET_MARGIN_S)
        tasks = [lambda s=spec: custom_item(s, ctx.platform) for spec in ctx.custom]
        limits = [min(float(s.get("timeout_s") or 2.0) + 0.2, budget) for s in ctx.custom]
        results = run_bounded(tasks, limits)
        items = []
        for spec, limit, r in zip(ctx.custom, limits, results, strict=True):
            if r is None:
                r = {"name": str(spec.get("name") or spec.get("type")), "type": spec.get("type"),
                     "ok": False,
                     "error": current().tr("no result within {seconds} s",
                                           seconds=current().number(limit))}
            items.append(r)
        failed = [i for i in items if not i["ok"]]
        t = current()
        findings = [warn(t.tr("custom item {name}: {error}", name=i["name"], error=i["error"]))
                    for i in failed]
        summary = t.ntr("{done} of {n} item collected", "{done} of {n} items collected",
                        n=len(items), done=len(items) - len(failed))
        if failed:
            summary += f"; {failed[0]['name']}: {failed[0]['error']}"
        return CollectorOutput({"items": items}, summary, findings)
