"""python -m bot.emulator: run the Telegram emulator on its own (the demo, the benchmarks).

It prints its URL on the first line, so a script can start it and read where it listens:
    python -m bot.emulator --port 8081 --token 123456:ABC --people 1000 --paid-rate 2000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import signal
import sys

from bot.emulator.limits import EmulatorLimits, Rate
from bot.emulator.server import TelegramEmulator

DEFAULT_TOKEN = "123456:EMULATOR-token-for-local-use-only"  # noqa: S105 - a local stand-in


def limits_from(args: argparse.Namespace) -> EmulatorLimits:
    """The limits the command line asks for, the service's for everything else."""
    limits = EmulatorLimits(
        flood=not args.no_flood,
        keep_bodies=not args.count_only,
        history_per_chat=args.history,
        callback_timeout=args.callback_timeout,
    )
    if args.bot_rate is not None:
        limits = dataclasses.replace(limits, whole_bot=Rate.in_any_second(args.bot_rate))
    if args.paid_rate is not None:
        limits = dataclasses.replace(limits, paid_broadcast=Rate(args.paid_rate, args.paid_rate))
    return limits


async def serve(args: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM."""
    emulator = TelegramEmulator(limits_from(args))
    emulator.create_bot(args.token, args.username)
    if args.people:
        emulator.create_people(args.people)
    url = await emulator.start(host=args.host, port=args.port)
    print(url, flush=True)
    print(
        f"Telegram emulator for @{args.username}: Bot API at {url}/bot<token>/, "
        f"control API at {url}/_emulator/",
        file=sys.stderr,
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="UrgentActionBot")
    parser.add_argument("--people", type=int, default=0, help="people who started the bot")
    parser.add_argument("--no-flood", action="store_true", help="turn the flood limits off")
    parser.add_argument("--bot-rate", type=float, help="messages a second for the whole bot")
    parser.add_argument("--paid-rate", type=float, help="the same with allow_paid_broadcast")
    parser.add_argument("--count-only", action="store_true", help="keep no message bodies")
    parser.add_argument("--history", type=int, default=1000, help="messages kept per chat")
    parser.add_argument("--callback-timeout", type=float, default=15.0)
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
