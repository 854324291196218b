"""python -m bot.emulator: run the Telegram emulator on its own."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from bot.emulator.limits import EmulatorLimits
from bot.emulator.server import TelegramEmulator


async def serve(port: int, token: str, username: str, flood: bool, keep: bool) -> None:
    """Serve until SIGINT or SIGTERM."""
    emulator = TelegramEmulator(EmulatorLimits(flood=flood, keep_bodies=keep))
    emulator.create_bot(token, username)
    url = await emulator.start(port=port)
    print(f"Telegram emulator at {url} (BOT_API_URL={url})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await emulator.stop()


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:EMULATOR-token-for-local-use-only")
    parser.add_argument("--username", default="UrgentActionBot")
    parser.add_argument("--no-flood", action="store_true", help="turn the flood limits off")
    parser.add_argument("--count-only", action="store_true", help="keep no message bodies")
    args = parser.parse_args()
    asyncio.run(
        serve(args.port, args.token, args.username, not args.no_flood, not args.count_only)
    )


if __name__ == "__main__":
    main()
