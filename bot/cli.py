"""``python -m bot``: chat in the terminal (default), run the platform bots, check the set-up, evaluate safety."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
import time
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging
from bot.personas import PersonaError
from bot.store import StoreError

log = logging.getLogger("bot.cli")

EPILOG = """Configuration: config.toml (from --config, KINDRED_CONFIG, or ./config.toml) and KINDRED_...
environment variables (e.g. KINDRED_TELEGRAM__TOKEN). See config.example.toml for every key."""


COMMANDS = ("chat", "run", "doctor", "safety")


def _common_options(*, top_level: bool) -> argparse.ArgumentParser:
    """--config and --log-level, accepted before or after the command.

    After the command their default is SUPPRESS: otherwise the subcommand's default (None) would
    overwrite a value given before it, and `python -m bot --config my.toml doctor` would silently
    check ./config.toml instead.
    """
    default = None if top_level else argparse.SUPPRESS
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="TOML config file (default: $KINDRED_CONFIG, else ./config.toml if present, else built-in defaults)",
    )
    common.add_argument(
        "--log-level",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        default=default,
        help="log level (default: ERROR for chat, to keep the terminal clean; [logging] level, INFO, otherwise)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(top_level=False)
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Kindred, a self-hosted chat companion. Without a command, opens a terminal chat.",
        epilog=EPILOG,
        parents=[_common_options(top_level=True)],
    )
    parser.set_defaults(user=None, persona=None)  # `python -m bot` alone means `chat`
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser(
        "chat",
        parents=[common],
        help="chat in the terminal (the default); with piped stdin, one reply per input line",
        description="Chat in the terminal. Interactive on a terminal (Ctrl-D or /quit to leave); with "
        "piped stdin it prints one reply per input line and exits at the end of input.",
    )
    p.add_argument("--user", metavar="NAME", help="whose memory to use (default: your login name)")
    p.add_argument(
        "--persona",
        metavar="NAME",
        help="switch to this persona before chatting, and keep it (default: the one you chose last, "
        "else [chat] default_persona)",
    )
    p = sub.add_parser(
        "run",
        parents=[common],
        help="run every platform adapter enabled in the config",
        description="Run the platform bots enabled in the config until SIGINT/SIGTERM, then finish "
        "replies in flight and stop.",
    )
    p.add_argument(
        "--only",
        metavar="PLATFORM",
        action="append",
        choices=["telegram", "discord", "reddit"],
        help="run only this platform (repeatable), even if not enabled in the config, e.g. to run "
        "platforms in separate processes (default: every platform with enabled = true)",
    )
    p = sub.add_parser(
        "doctor",
        parents=[common],
        help="check config, model, database and platform credentials, and say how to fix problems",
        description="Check the set-up and print what is wrong and how to fix it. Exit code 1 if anything is.",
    )
    p.add_argument(
        "--skip-model",
        action="store_true",
        help="do not load the model or the crisis classifier, only check they are installed (faster)",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="do not contact the platforms to verify tokens, only check they are set",
    )
    p = sub.add_parser(
        "safety",
        parents=[common],
        help="evaluate crisis detection on a labelled JSONL file",
        description='Evaluate crisis detection. FILE has lines {"text": ..., "crisis": true|false}; prints '
        'one JSON object {"n", "recall", "precision", "false_negatives", "false_positives", '
        '"checkin_threshold", "checkin_coverage", "checkin_rate_negative"}. checkin_coverage is the share of '
        "crisis lines that get the crisis reply or a gentle check-in, checkin_rate_negative the share of "
        "non-crisis lines that get a check-in ([safety] checkin_threshold).",
    )
    p.add_argument("--eval", metavar="FILE", required=True, help="labelled JSONL file")
    p.add_argument(
        "--rules-only",
        action="store_true",
        help="measure the rules alone, without the learned classifier (default: as [safety] classifier says)",
    )
    p.add_argument(
        "--checkin-threshold",
        type=float,
        metavar="X",
        help="measure the check-in at this threshold, 0 = off (default: [safety] checkin_threshold)",
    )
    p.add_argument(
        "--by",
        metavar="FIELD",
        help="also break the figures down by a string field every line carries (default: no breakdown), "
        "e.g. --by lang for lines "
        '{"text": ..., "crisis": ..., "lang": "de"}: adds "by": {value: {"n", "crisis_lines", "recall", '
        '"precision", "checkin_coverage", "false_alarms", "checkin_rate_negative"}}',
    )
    return parser


def _default_to_chat(argv: list[str]) -> list[str]:
    """`python -m bot --user sam` means `python -m bot chat --user sam`, as `python -m bot` means chat.

    The command is the first word that is not an option or an option's value."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("-h", "--help") or word in COMMANDS:
            return argv
        if word in ("--config", "--log-level", "--user", "--persona"):
            i += 2
            continue
        if not word.startswith("-"):
            return argv  # an unknown command: let argparse name it
        i += 1
    return ["chat", *argv] if argv else argv


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(_default_to_chat(argv))
    command = args.command or "chat"
    try:
        if command == "safety":
            return cmd_safety(args)
        settings = load_settings(args.config)
        # chat and doctor print their own findings; INFO lines ("database migrated ...") would break
        # into them. --log-level still shows everything.
        quiet = {"chat": "ERROR", "doctor": "WARNING"}
        level = args.log_level or quiet.get(command, settings.logging.level)
        setup_logging(level, settings.logging.json_lines)
        if command == "chat":
            return asyncio.run(cmd_chat(args, settings))
        if command == "run":
            return asyncio.run(cmd_run(args, settings))
        if command == "doctor":
            return asyncio.run(cmd_doctor(args, settings))
    except (ConfigError, PersonaError, StoreError) as exc:
        print(f"kindred: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    raise AssertionError(command)


# --- chat ------------------------------------------------------------------------------------------


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.console import ConsoleAdapter
    from bot.app import open_app

    console = ConsoleAdapter(user_id=args.user)
    loop = asyncio.get_running_loop()
    stop = _Interrupt()
    stop.install(loop)
    if console.interactive:
        print(
            "Kindred – an AI chat companion (a bot, not a person). /help lists commands; Ctrl-D quits.",
            flush=True,
        )
    try:
        # The model loads in the background: commands answer at once, the prompt shows immediately,
        # and the first message to the model waits for it.
        async with open_app(settings, background_start=True) as app:
            if args.persona:
                if args.persona not in app.dispatcher.personas:
                    raise PersonaError(
                        f"--persona {args.persona!r} is not a known persona; known: {sorted(app.dispatcher.personas)}"
                    )
                app.dispatcher.personas[args.persona].check_usable()
                from bot.types import UserKey

                await app.store.set_pref(UserKey("console", console.user_id), "persona", args.persona)
            await console.start(app.dispatcher.handle)
            closed = asyncio.ensure_future(console.wait_closed())
            ready = asyncio.ensure_future(app.engine.wait_ready())  # type: ignore[attr-defined]
            stopped = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({closed, ready, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if ready.done() and ready.exception() is not None:
                    await console.stop()
                    raise ready.exception()  # type: ignore[misc]
                await asyncio.wait({closed, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if not closed.done():
                    # Ctrl-C / SIGTERM: stop reading and leave the reply in flight unsent. What
                    # was answered before is already in the database; the store closes cleanly below.
                    await console.stop()
                    await asyncio.wait({closed}, timeout=STOP_WAIT_S)
                    if console.interactive:
                        print(flush=True)  # the shell's prompt on a line of its own, not after "you> "
                    return 128 + (stop.signum or signal.SIGINT)
            finally:
                for f in (closed, ready, stopped):
                    f.cancel()
    except _model_errors() as exc:
        print(f"kindred: {exc}", file=sys.stderr)
        return 2
    finally:
        for sig in stop.installed:
            loop.remove_signal_handler(sig)
    return 0


STOP_WAIT_S = 2.0
"""Ctrl-C in the chat: how long the message being answered may take to stop before the app closes."""


class _Interrupt(asyncio.Event):
    """Set by SIGINT / SIGTERM, remembering which. The chat handles them itself: asyncio.run's own
    Ctrl-C handling cancels the main task, and that cancellation reaches the console only through a
    chain of awaits; it was seen lost there (the chat went on after Ctrl-C)."""

    def __init__(self) -> None:
        super().__init__()
        self.signum: int | None = None
        self.installed: list[int] = []

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal, sig)
            except (NotImplementedError, RuntimeError):  # not the main thread, or no signals (Windows)
                continue
            self.installed.append(sig)

    def _on_signal(self, signum: int) -> None:
        if self.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop waiting for anything
        self.signum = signum
        self.set()


def _model_errors() -> tuple[type[BaseException], ...]:
    try:
        from model.loader import ModelLoadError  # type: ignore[attr-defined]

        return (ModelLoadError,)
    except ImportError:
        return (OSError,)


# --- run -------------------------------------------------------------------------------------------


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from adapters import AdapterUnavailable, build_adapter
    from bot.app import open_app
    from bot.protocols import AdapterStartError

    enabled = args.only or settings.enabled_platforms()
    if not enabled:
        print(
            "kindred: no platform is enabled. Set `enabled = true` under [telegram], [discord] or [reddit] "
            "in config.toml (see config.example.toml), or chat in the terminal with `python -m bot chat`.",
            file=sys.stderr,
        )
        return 1
    # Before the model loads (seconds): a platform that cannot start for want of a token says so now.
    ready = []
    for name in enabled:
        missing = missing_credentials(name, settings)
        if missing:
            envs = ", ".join(f"KINDRED_{name.upper()}__{k.upper()}" for k in missing)
            print(
                f"kindred: {name}: missing {', '.join(missing)}; set {envs} in the environment",
                file=sys.stderr,
            )
            continue
        ready.append(name)
    if not ready:
        print("kindred: no platform adapter could start; see the errors above.", file=sys.stderr)
        return 1
    enabled = ready
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_app(settings) as app:
        running = []
        for name in enabled:
            try:
                adapter = build_adapter(name, settings, app.store)
                set_check = getattr(adapter, "set_crisis_check", None)
                if set_check is not None:  # Reddit decides about crises before the cap (bot.dispatcher)
                    set_check(app.dispatcher.is_crisis)
                await adapter.start(app.dispatcher.handle)
            except (AdapterUnavailable, AdapterStartError) as exc:
                # Said once, on stderr like the other lines of `run` (it used to be logged too, so
                # the same error showed twice on a terminal).
                why = str(exc).removeprefix(f"{name}: ")
                print(f"kindred: {name}: did not start: {why}", file=sys.stderr)
                continue
            running.append(adapter)
            log.info("%s adapter running", name)
        server = None
        if settings.server.enabled:
            from bot.server import HealthServer  # type: ignore[import-not-found]

            server = HealthServer(settings.server, app)
            await server.start()
        if not running:
            print("kindred: no platform adapter could start; see the errors above.", file=sys.stderr)
            return 1
        print(f"kindred: running {', '.join(a.name for a in running)}; Ctrl-C to stop.", file=sys.stderr)
        await stop.wait()
        print("kindred: stopping, finishing replies in flight…", file=sys.stderr)
        # Stop all at once: each finishes its own replies in flight.
        results = await asyncio.gather(*(a.stop() for a in running), return_exceptions=True)
        for adapter, result in zip(running, results, strict=True):
            if isinstance(result, BaseException):
                log.error("error while stopping %s", adapter.name, exc_info=result)
        if server is not None:
            await server.stop()
    return 0


# --- doctor ----------------------------------------------------------------------------------------


async def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from bot.personas import load_personas

    problems = 0

    def ok(what: str) -> None:
        print(f"  ok    {what}")

    def bad(what: str, fix: str) -> None:
        nonlocal problems
        problems += 1
        print(f"  FAIL  {what}\n        fix: {fix}")

    print("Kindred doctor")
    ok("configuration loaded")
    try:
        personas = load_personas(settings.chat.personas_dir)
        default = personas.get(settings.chat.default_persona)
        if default is None:
            bad(
                f"default persona {settings.chat.default_persona!r} not found",
                f"use one of {sorted(personas)}",
            )
        elif not default.usable:
            bad(f"default persona {default.name!r} is a cloned voice without consent", 'add consent = "..."')
        else:
            ok(f"personas: {', '.join(sorted(personas))} (default {default.name})")
    except PersonaError as exc:
        bad(f"personas: {exc}", "fix the persona file named above")
    try:
        from bot.storage import STORE_FIX, check_store

        # Read-only: the doctor neither creates the database nor migrates it (start does).
        found = await check_store(settings)
    except Exception as exc:  # noqa: BLE001 - the doctor reports, it does not crash
        bad(f"database: {exc}", STORE_FIX)
    else:
        if found.ok:
            ok(found.what)
        else:
            bad(found.what, found.fix)
    if args.skip_model:
        print("  skip  model (--skip-model)")
    else:
        from bot.app import create_engine
        from bot.types import ChatTurn, GenerationRequest, SamplingParams

        t0 = time.perf_counter()
        try:
            engine = create_engine(settings)
            await engine.start()
            try:
                gen = await engine.generate(
                    GenerationRequest(
                        messages=(ChatTurn("user", "Say hello."),),
                        sampling=SamplingParams(max_new_tokens=8, temperature=0),
                    )
                )
            finally:
                await engine.close()
            if gen.status != "ok":
                bad(f"model answered {gen.status}: {gen.error}", "see the log above")
            else:
                ok(f"model {engine.describe()} loaded and generated in {time.perf_counter() - t0:.1f} s")
        except Exception as exc:  # noqa: BLE001 - report any load failure as a finding
            bad(f"model {settings.model.path!r}: {exc}", "set model.path in config.toml (see README, Models)")
    try:
        from bot.safety import SafetyPolicy

        note = SafetyPolicy(settings.safety).region_note
    except ValueError as exc:
        bad(f"safety: {exc}", "fix [safety] in config.toml")
    else:
        if note:
            bad(note.split(", so ")[0], note.split(". ", 1)[1] if ". " in note else "set safety.region")
        else:
            ok(f"crisis resources for region {settings.safety.region}")
    await _doctor_crisis_classifier(settings, skip_load=args.skip_model, ok=ok, bad=bad)
    for name in ("telegram", "discord", "reddit"):
        section = getattr(settings, name)
        if not section.enabled:
            print(f"  --    {name} (not enabled)")
            continue
        await _doctor_platform(name, settings, offline=args.offline, ok=ok, bad=bad)  # bad() counts
    print("All good." if problems == 0 else f"{problems} problem(s) found.")
    return 0 if problems == 0 else 1


CLASSIFIER_FIX = (
    "install or reinstall the package named above (pip install ...), or set [safety] classifier = false "
    "to rely on the crisis rules alone"
)


async def _doctor_crisis_classifier(settings, *, skip_load, ok, bad) -> None:  # type: ignore[no-untyped-def]
    """Is the learned crisis classifier ([safety] classifier) installed, and does it load and score?"""
    from bot.crisis import create_crisis_classifier

    if not settings.safety.classifier:
        print(
            "  --    crisis classifier off ([safety] classifier = false): crisis detection uses the rules only"
        )
        return
    try:
        classifier = create_crisis_classifier(settings.safety)
    except Exception as exc:  # noqa: BLE001 - ConfigError with the fix, or an import failure
        bad(f"crisis classifier: {exc}", CLASSIFIER_FIX)
        return
    assert classifier is not None
    describe = getattr(classifier, "describe", lambda: "installed")
    if skip_load:
        ok(f"crisis classifier installed: {describe()} (not loaded: --skip-model)")
        await classifier.close()
        return
    t0 = time.perf_counter()
    try:
        await classifier.start()
        await asyncio.wait_for(classifier.wait_ready(), timeout=300)
        crisis = await classifier.score("I want to kill myself tonight")
        calm = await classifier.score("I had a lovely walk in the park today")
    except Exception as exc:  # noqa: BLE001 - report any load failure as a finding
        bad(f"crisis classifier did not load: {type(exc).__name__}: {exc}", CLASSIFIER_FIX)
        return
    finally:
        await classifier.close()
    if not calm < classifier.threshold <= crisis:
        bad(
            f"crisis classifier loaded but misjudges two test sentences (scores {crisis:.2f} and {calm:.2f}, "
            f"threshold {classifier.threshold:.2f})",
            "reinstall Kindred so model/data/crisis_head.json matches the embedding packages",
        )
        return
    ok(f"crisis classifier {describe()} loaded and scored test sentences in {time.perf_counter() - t0:.1f} s")


def missing_credentials(name: str, settings: Settings) -> list[str]:
    """The keys platform ``name`` needs that are not set; an empty variable (KINDRED_TELEGRAM__TOKEN=)
    is as missing as an unset one."""
    from bot.config import SECRET_KEYS

    section = getattr(settings, name, None)
    if section is None:
        return []
    missing = [
        k
        for k in SECRET_KEYS.get(name, ())
        if getattr(section, k, None) is None or not getattr(section, k).get_secret_value().strip()
    ]
    if name == "reddit":
        missing += [k for k in ("client_id", "username") if not getattr(section, k)]
    return missing


async def _doctor_platform(name, settings, *, offline, ok, bad) -> int:  # type: ignore[no-untyped-def]
    from adapters import AdapterUnavailable, build_adapter
    from bot.store import ConversationStore

    missing = missing_credentials(name, settings)
    if missing:
        envs = ", ".join(f"KINDRED_{name.upper()}__{k.upper()}" for k in missing)
        bad(f"{name}: missing {', '.join(missing)}", f"set {envs} in the environment")
        return 1
    try:
        async with ConversationStore(":memory:") as scratch:
            adapter = build_adapter(name, settings, scratch)
            check = getattr(adapter, "check", None)
            if offline or check is None:
                ok(f"{name}: credentials present (not verified{' (--offline)' if offline else ''})")
                return 0
            detail = await asyncio.wait_for(check(), timeout=30)
            ok(f"{name}: {detail}")
            return 0
    except AdapterUnavailable as exc:
        bad(f"{name}: {exc}", "install the extra named above")
    except Exception as exc:  # noqa: BLE001 - the doctor reports, it does not crash
        bad(f"{name}: {exc}", f"check the {name} credentials and network access")
    return 1


# --- safety ----------------------------------------------------------------------------------------


def cmd_safety(args: argparse.Namespace) -> int:
    from bot.safety import run_eval

    settings = load_settings(args.config)
    path = Path(args.eval)
    if not path.is_file():
        what = "is a folder, not a JSONL file" if path.is_dir() else "does not exist"
        print(f"kindred: --eval {path} {what}", file=sys.stderr)
        return 2
    try:
        safety = (
            settings.safety.model_copy(update={"classifier": False}) if args.rules_only else settings.safety
        )
        if args.checkin_threshold is not None:
            if not 0.0 <= args.checkin_threshold < 1.0:
                raise ValueError(f"--checkin-threshold must be in [0, 1), got {args.checkin_threshold}")
            safety = safety.model_copy(update={"checkin_threshold": args.checkin_threshold})
        result = run_eval(path, safety, by=args.by)
    except ValueError as exc:
        print(f"kindred: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0
