"""The command line: python -m bot run | migrate | check | import | demo."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot import eventloop
from bot.config import ConfigError, Settings
from bot.db.startup import ProcessLock, UnusableDatabaseError, open_migrated, polling_lock

log = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the subcommand; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="The Urgent Action Telegram bot."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (polling, or webhook if BOT_WEBHOOK_URL is set)")
    demo = commands.add_parser(
        "demo", help="try the bot in a browser: a local Telegram, the bot and a web chat"
    )
    demo.add_argument("--port", type=int, default=8080, help="the web chat's port (8080)")
    demo.add_argument(
        "--no-rehearsal", action="store_true", help="keep the cases' real dates (past deadlines)"
    )
    demo.add_argument(
        "--time-lapse", type=float, metavar="N", help="the bot's clock runs N times faster"
    )
    commands.add_parser("migrate", help="apply the database migrations and exit")
    commands.add_parser("check", help="validate the case files in BOT_ACTIONS_DIR and exit")
    importer = commands.add_parser("import", help="turn an Urgent Action sheet into a case file")
    importer.add_argument("args", nargs=argparse.REMAINDER, help="FILE [--out DIR] [--force]")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "import":
        from bot.importer.cli import main as import_main  # noqa: PLC0415

        return import_main(args.args)
    if args.command == "check":
        return _check()
    if args.command == "demo":
        from bot.demo import PortBusyError, serve_demo  # noqa: PLC0415
        from bot.logs import configure_logging  # noqa: PLC0415

        configure_logging([], level=logging.WARNING)
        try:
            return eventloop.run(serve_demo(args.port, not args.no_rehearsal, args.time_lapse))
        except UnusableDatabaseError as error:
            return _failed(error)
        except PortBusyError as error:
            print(f"demo: {error}", file=sys.stderr)
            return 2
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    from bot.logs import configure_logging, secrets_of  # noqa: PLC0415

    configure_logging(secrets_of(settings))
    lock: ProcessLock | None = None
    try:
        if settings.database_url is None:
            # One process per SQLite file, for the process's whole life: a second bot would
            # poll beside the first and its start-up would resend the first one's messages in
            # flight. (On PostgreSQL, the polling process takes a lock on the database.)
            lock = ProcessLock.acquire(settings.db_path)
        if args.command == "migrate":
            return eventloop.run(_migrate(settings))
        # The database is checked (and migrated) before Telegram is called, so a broken one
        # is named at once, whatever the network does.
        eventloop.run(_migrate(settings, quiet=True, polling=not _webhook(settings)))
        return _run(settings)
    except UnusableDatabaseError as error:
        return _failed(error, settings)
    finally:
        if lock is not None:
            lock.release()


def _failed(error: Exception, settings: Settings | None = None) -> int:
    """The one line an operator reads when start-up fails, every secret masked; exit code 2.

    A database that cannot be used is named as such (`database error: ...`, what to do
    included); anything else is said as `startup_failure` says it."""
    from bot.logs import Masker, secrets_of, startup_failure  # noqa: PLC0415

    if isinstance(error, UnusableDatabaseError):
        mask = Masker(secrets_of(settings) if settings is not None else [])
        print(f"database error: {' '.join(mask(str(error)).split())}", file=sys.stderr)
    else:
        assert settings is not None
        # Its text may carry the token (an error page echoing the URL, PTB's InvalidToken):
        # never let Python print it; say what failed, masked, and exit as on a bad setting.
        log.critical("%s", startup_failure(error, settings))
    return 2


def _webhook(settings: Settings) -> bool:
    return bool(settings.webhook_url and settings.webhook_secret)


def _run(settings: Settings) -> int:
    try:
        _serve(settings)
    except Exception as error:  # whatever stops start-up: one clear line
        return _failed(error, settings)
    log.info("stopped")
    return 0


def _serve(settings: Settings) -> None:
    from bot.app import ALLOWED_UPDATES, POLL_TIMEOUT, build_application  # noqa: PLC0415

    app = build_application(settings)
    eventloop.install()  # PTB's run_polling and run_webhook run on the current loop
    if settings.webhook_url and settings.webhook_secret and settings.webhook_secret_generated:
        log.info(
            "BOT_WEBHOOK_SECRET is unset: a random one was generated for this run and given"
            " to Telegram with the webhook"
        )
    if settings.webhook_url and settings.webhook_secret and settings.console_url:
        # One server for Telegram's updates and the organizers' console (bot/console/).
        from bot.console import webhook as served  # noqa: PLC0415

        log.info("starting in webhook mode with the console (%s)", eventloop.NAME)
        eventloop.run(served.serve(app, settings, ALLOWED_UPDATES))
    elif settings.webhook_url and settings.webhook_secret:
        from bot import webhook  # noqa: PLC0415

        # Requests without the right secret header are refused (403) before their body is
        # read, the header compared in constant time (bot/webhook.py).
        webhook.install()
        log.info(
            "starting in webhook mode on %s:%s (%s)",
            settings.webhook_listen,
            settings.webhook_port,
            eventloop.NAME,
        )
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.reveal(),
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        log.info(
            "starting in polling mode against %s (%s)", settings.shown_api_url, eventloop.NAME
        )
        app.run_polling(
            timeout=POLL_TIMEOUT,
            allowed_updates=ALLOWED_UPDATES,
        )


async def _migrate(settings: Settings, *, quiet: bool = False, polling: bool = False) -> int:
    db, applied = await open_migrated(settings.database)
    try:
        if polling and settings.database_url is not None:
            # Refused before Telegram is called; the bot takes the lock for good as it starts.
            async with polling_lock(db):
                pass
    finally:
        await db.close()
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "none: up to date"
    if applied or not quiet:
        log.info("migrations applied: %s", names)
    return 0


def _check() -> int:
    import os  # noqa: PLC0415
    from datetime import UTC, datetime  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from bot.catalogue import gaps, load_catalogue  # noqa: PLC0415
    from bot.rendering import Renderer  # noqa: PLC0415
    from bot.views.cards import card_problems  # noqa: PLC0415

    directory = Path(os.environ.get("BOT_ACTIONS_DIR", "actions"))
    result = load_catalogue(directory)
    problems = [str(problem) for problem in result.problems]
    renderer, now = Renderer(), datetime.now(UTC)
    for case, path in result.cases_with_paths():
        # The bot refuses to load a case whose card outgrows a Telegram message.
        problems += [
            f"{path.relative_to(directory)}: {p}" for p in card_problems(case, renderer, now)
        ]
    for problem in problems:
        print(problem)
    for case, path in result.cases_with_paths():
        if missing := gaps(case):  # a draft may lack these; publishing it needs them
            print(f"{path.relative_to(directory)}: a draft, to complete: {', '.join(missing)}")
    print(f"{len(result.cases)} case(s) valid, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
