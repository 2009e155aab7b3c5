"""``flare capture`` (stamped screenshots into a folder) and ``flare record`` (step recorder in
the terminal, written as a report bundle). Settings are read here and only here; the library
takes them as parameters.
"""

from __future__ import annotations

import argparse
import contextlib
import platform as _platform
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from app.errors import EXIT_CONFIG, EXIT_USAGE, FlareError
from app.i18n import current
from capture.encode import FORMATS, ImageFormat
from capture.errors import CaptureError
from capture.export import Exporter, ExportOptions, dumps_step
from capture.geometry import Rect, monitor_at, physical_monitors
from capture.grab import Frame, Grabber, Target, open_source
from capture.platform_info import WAYLAND_LIMITS, PlatformInfo
from capture.pointer import pointer_position
from capture.screen_source import ScreenSource
from capture.stamp import CORNERS, StampPolicy
from capture.window_title import active_window_title

if TYPE_CHECKING:
    from app.context import AppContext
    from app.report import Machine, Reporter
    from capture.recorder import StepRecorder

SourceFactory = Callable[[PlatformInfo], ScreenSource]
# The reporter and the machine a bundle names, for a context (app.identity.report_identity).
ReportIdentity = Callable[["AppContext"], "tuple[Reporter, Machine]"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    cap = sub.add_parser(
        "capture",
        help=t.tr("save timestamped screenshots"),
        description=t.tr("Save screenshots with the date, time and UTC offset burned in."),
    )
    _common(cap)
    cap.add_argument(
        "--region",
        metavar="X,Y,W,H",
        help=t.tr("grab this rectangle of the desktop (write --region=X,Y,W,H when X is negative)"),
    )
    cap.add_argument("--each", action="store_true", help=t.tr("one image per monitor"))
    cap.add_argument("--list", action="store_true", help=t.tr("list the monitors and exit"))
    cap.set_defaults(func=capture_command)

    rec = sub.add_parser(
        "record",
        help=t.tr("record steps into a report bundle"),
        description=(
            t.tr("Record numbered, timestamped steps. Press Enter to capture a step (type a "
                 "caption first if you like); type q and Enter, or end input, to stop. The "
                 "steps are written as a report bundle into the reports folder.")
        ),
    )
    _common(rec)
    rec.add_argument("--interval", type=float, metavar="S",
                     help=t.tr("capture a step every S seconds"))
    rec.add_argument("--steps", type=int, metavar="N", help=t.tr("stop after N steps"))
    rec.add_argument("--zip", action="store_true", help=t.tr("write the bundle as a .zip"))
    rec.add_argument(
        "--clicks", action="store_true",
        help=t.tr("also take a step at every click outside this terminal, described from the "
             "accessibility tree (X11)"),
    )
    rec.set_defaults(func=record_command)


def _common(p: argparse.ArgumentParser) -> None:
    t = current()
    p.add_argument(
        "--monitor",
        default="pointer",
        metavar="N|all|pointer",
        help=t.tr("monitor number (from 1), all = whole desktop, pointer = under the mouse "
                  "(default)"),
    )
    p.add_argument("--out", type=Path, metavar="DIR", help=t.tr("folder to write to"))
    p.add_argument("--format", choices=FORMATS, help=t.tr("image format (default: policy)"))
    p.add_argument("--max-size", metavar="WxH", help=t.tr("downscale larger images to fit"))


# --------------------------------------------------------------------------- parsing


def parse_monitor(value: str) -> Target:
    v = value.strip().lower()
    if v in ("all", "pointer"):
        return "all" if v == "all" else "pointer"
    if v.isdigit() and int(v) >= 1:
        return int(v)
    raise FlareError(current().tr(
        "--monitor {value} is not valid: use a monitor number from 1, 'all' or 'pointer'.",
        value=repr(value)), EXIT_USAGE)


def parse_region(value: str) -> Rect:
    try:
        x, y, w, h = (int(p) for p in value.split(","))
    except ValueError:
        raise FlareError(current().tr(
            "--region {value} is not valid: write X,Y,WIDTH,HEIGHT, e.g. 0,0,800,600.",
            value=repr(value)), EXIT_USAGE) from None
    if w <= 0 or h <= 0:
        raise FlareError(current().tr("--region needs a positive width and height."),
                         EXIT_USAGE)
    return Rect(x, y, w, h)


def parse_size(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        w, h = (int(p) for p in value.lower().split("x"))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise FlareError(current().tr(
        "--max-size {value} is not valid: write WIDTHxHEIGHT, e.g. 1920x1080.",
        value=repr(value)), EXIT_USAGE)


# --------------------------------------------------------------------------- settings


def _settings_options(args: argparse.Namespace, ctx: AppContext) -> ExportOptions:
    s = ctx.settings
    if not s.get("capture.enabled"):
        raise FlareError(current().tr(
            "Screenshots are turned off by your organisation's policy (capture.enabled); "
            "ask your helpdesk if you need them."),
            EXIT_CONFIG,
        )
    corner = str(s.get("capture.stamp_corner"))
    if corner not in CORNERS:
        raise FlareError(current().tr("capture.stamp_corner {value} is not a corner.",
                                      value=repr(corner)), EXIT_CONFIG)
    fmt: ImageFormat = args.format or s.get("destination.image_format")
    return ExportOptions(
        fmt=fmt,
        stamp=StampPolicy(corner=corner, scale=float(s.get("capture.stamp_scale"))),
        max_size=parse_size(args.max_size),
        include_window_title=bool(s.get("capture.window_title")),
    )


def make_grabber(
    ctx: AppContext,
    platform: PlatformInfo,
    source_factory: SourceFactory = open_source,
) -> Grabber:
    want_title = bool(ctx.settings.get("capture.window_title"))
    return Grabber(
        source_factory(platform),
        platform,
        clock=ctx.clock,
        pointer=lambda: pointer_position(platform),
        window_title=(lambda: active_window_title(platform)) if want_title else None,
    )


# --------------------------------------------------------------------------- flare capture


def capture_command(args: argparse.Namespace, ctx: AppContext) -> int:
    return run_capture(args, ctx, PlatformInfo.detect(), open_source, sys.stdout)


def run_capture(
    args: argparse.Namespace,
    ctx: AppContext,
    platform: PlatformInfo,
    source_factory: SourceFactory,
    out: TextIO,
) -> int:
    options = _settings_options(args, ctx)
    target: Target = parse_region(args.region) if args.region else parse_monitor(args.monitor)
    grabber = make_grabber(ctx, platform, source_factory)
    try:
        monitors = grabber.monitors()
        if args.list:
            for m in physical_monitors(monitors):
                r = m.rect
                out.write(current().tr("{index}: {width}x{height} at ({left}, {top})",
                                       index=m.index, width=r.width, height=r.height,
                                       left=r.left, top=r.top) + "\n")
            return 0
        targets: list[Target] = (
            [m.index for m in physical_monitors(monitors)] if args.each else [target]
        )
        frames = [grabber.grab(t) for t in targets]
    finally:
        grabber.source.close()
    folder = args.out or ctx.reports_dir() / "screenshots"
    exporter = Exporter(options)
    for frame in frames:
        stem = _unique_stem(folder, frame)
        step, data = exporter.export_plain(frame, name_stem=stem, step_number=None)
        _write(folder / step["image"], data)
        _write(folder / f"{stem}.json", (dumps_step(step) + "\n").encode())
        out.write(f"{folder / step['image']}\n")
    return 0


def _unique_stem(folder: Path, frame: Frame) -> str:
    base = f"screenshot-{frame.captured_at.astimezone():%Y%m%d-%H%M%S}-m{frame.monitor.index}"
    stem, n = base, 1
    while any(folder.glob(f"{stem}.*")):
        n += 1
        stem = f"{base}-{n}"
    return stem


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise FlareError(current().tr(
            "Could not write {path}: {error}; choose another folder with --out.", path=path,
            error=exc.strerror or exc), 4) from exc


# --------------------------------------------------------------------------- flare record


def record_command(args: argparse.Namespace, ctx: AppContext) -> int:
    # Who reports from which machine, as the report window says it: handed in by the
    # application's command line (capture/ never imports the application above the model).
    identity: ReportIdentity | None = getattr(args, "report_identity", None)
    return run_record(
        args, ctx, PlatformInfo.detect(), open_source, sys.stdin, sys.stdout, time.sleep,
        identity=identity,
    )


def run_record(
    args: argparse.Namespace,
    ctx: AppContext,
    platform: PlatformInfo,
    source_factory: SourceFactory,
    lines: Iterable[str],
    out: TextIO,
    sleep: Callable[[float], None],
    *,
    identity: ReportIdentity | None = None,
) -> int:
    """``identity``: the reporter and machine (with Flare's version) the bundle names; without
    it, only what capture/ knows of the machine."""
    # Imported here: `flare capture` (the common, start-up-bound command) needs neither the
    # step recorder nor the report model.
    from app.report import Report, Reporter
    from capture.recorder import STEP_WEBP_METHOD, StepRecorder

    options = _settings_options(args, ctx)
    target = parse_monitor(args.monitor)
    limit = int(ctx.settings.get("capture.step_limit"))
    if args.steps is not None:
        if args.steps < 1:
            raise FlareError(current().tr("--steps must be at least 1."), EXIT_USAGE)
        limit = min(limit, args.steps)
    if args.interval is not None and args.interval <= 0:
        raise FlareError(current().tr("--interval must be a positive number of seconds."),
                         EXIT_USAGE)
    grabber = make_grabber(ctx, platform, source_factory)
    grab_lock = threading.Lock()

    def grab_at(click: tuple[int, int] | None) -> Frame:
        with grab_lock:
            if click is None:
                return grabber.grab(target)
            return grabber.grab(monitor_at(grabber.monitors(), *click).index)

    def show(rec: StepRecorder) -> None:
        if rec.recording and rec.count:
            said = rec.steps[-1].description
            out.write("  " + current().tr("captured: {counter}", counter=current().tr(
                "Step {n} of {total}", n=rec.count, total=rec.step_limit))
                      + (f": {said}" if said else "") + "\n")
            out.flush()

    recorder = StepRecorder(grab_at, step_limit=limit, on_change=show)
    listener = None
    try:
        recorder.start()
        wayland = platform.system == "linux" and platform.wayland
        if wayland:
            # Said once, before the instructions: what this desktop does not allow, and what
            # works instead (Enter takes the step that a click would have taken).
            out.write(current().tr(WAYLAND_LIMITS) + "\n")
        # Only when asked: in a terminal a click is as often meant for the terminal itself.
        # (capture.click_capture is the step recorder window's default.)
        if args.clicks and not wayland:
            listener = _click_capture(recorder, platform, ctx, out, source_factory,
                                      replace(options, webp_method=STEP_WEBP_METHOD))
        if args.interval is not None:
            out.write(current().tr("Recording a step every {interval}; Ctrl+C stops.",
                                   interval=current().unit(args.interval, "s")) + "\n")
            _timed(recorder, args.interval, sleep)
        else:
            out.write(current().ntr(
                "Recording (at most {n} step). Enter captures a step; type a caption before "
                "Enter to add one; q then Enter stops.",
                "Recording (at most {n} steps). Enter captures a step; type a caption before "
                "Enter to add one; q then Enter stops.", n=limit) + "\n")
            out.flush()
            _interactive(recorder, lines, out)
    except KeyboardInterrupt:
        pass
    finally:
        if listener is not None:
            # Capture on click's last word: an error dialog still open becomes a step.
            finish = getattr(listener, "finish", None)
            if finish is not None:
                finish()
            listener.stop()
        recorder.stop()
        grabber.source.close()
    if recorder.count == 0:
        out.write(current().tr("No steps were captured; nothing was written.") + "\n")
        return 1
    steps, files = recorder.export(Exporter(replace(options, webp_method=STEP_WEBP_METHOD)))
    if identity is not None:
        reporter, machine = identity(ctx)
    else:
        reporter, machine = Reporter(), _machine()
    report = Report(
        created_at=ctx.clock(),
        happened_at=recorder.steps[0].frame.captured_at,
        title=f"Recorded steps ({len(steps)})",
        reporter=reporter,
        machine=machine,
        steps=steps,
    )
    from app.bundle import write_bundle

    path = write_bundle(report, files, args.out or ctx.reports_dir(), as_zip=args.zip)
    out.write(f"{path}\n")
    return 0


class _Stoppable(Protocol):
    def stop(self) -> None: ...


def _click_capture(recorder: StepRecorder, platform: PlatformInfo, ctx: AppContext,
                   out: TextIO, source_factory: SourceFactory,
                   options: ExportOptions) -> _Stoppable:
    """A step at each click outside this terminal; :class:`CaptureError` saying why when the
    desktop does not allow it."""
    if platform.system not in ("linux", "windows", "darwin"):
        from capture.clicks import start_click_listener

        def on_click(x: int, y: int) -> None:
            try:
                recorder.capture(click=(x, y))
            except CaptureError as exc:
                out.write(f"  {exc}\n")

        return start_click_listener(on_click, platform)
    from capture.click_steps import ClickSteps

    def said(message: str) -> None:
        out.write(f"  {message}\n")
        out.flush()

    # The terminal this runs in (an ancestor process) is not a step, as Flare's windows aren't.
    clicks = ClickSteps(recorder, platform, ctx.clock, on_error=said,
                        ignore_pids=frozenset(_ancestors()), source_factory=source_factory,
                        prepare_with=options)
    try:
        clicks.start()
    except CaptureError as exc:
        raise CaptureError(exc.message + " " + current().tr(
            "Run flare record without --clicks and press Enter for each step."),
            exc.exit_code) from exc
    out.write(current().tr("A step is taken at each click outside this terminal (and when "
                           "typing starts).") + "\n")
    return clicks


def _ancestors() -> list[int]:
    import os

    import psutil

    pids = [os.getpid()]
    with contextlib.suppress(psutil.Error):
        pids += [p.pid for p in psutil.Process().parents()]
    return pids


def _interactive(recorder: StepRecorder, lines: Iterable[str], out: TextIO) -> None:
    for line in lines:
        text = line.rstrip("\r\n")
        if text.strip().lower() in ("q", "quit", "stop"):
            return
        try:
            recorder.capture(text)
        except CaptureError as exc:
            out.write(f"  {exc}\n")
            if recorder.remaining == 0:
                return
            continue
        if recorder.remaining == 0:
            out.write("  " + current().tr("step limit reached; stopping.") + "\n")
            return


def _timed(recorder: StepRecorder, interval: float, sleep: Callable[[float], None]) -> None:
    while recorder.remaining > 0:
        recorder.capture()
        if recorder.remaining > 0:
            sleep(interval)


def _machine() -> Machine:
    from app.report import Machine

    return Machine(
        hostname=socket.gethostname(),
        os=_platform.system(),
        os_version=_platform.release(),
        architecture=_platform.machine(),
    )
