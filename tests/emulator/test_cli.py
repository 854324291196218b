"""`python -m bot.emulator` runs the emulator on its own and prints where it listens."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

TOKEN = "5550001:CLI-test-token-abcdefgh"


async def test_the_command_line_serves_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.emulator",
        "--port",
        "0",
        "--token",
        TOKEN,
        "--people",
        "2",
        "--paid-rate",
        "5",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 20)
        url = line.decode().strip()
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/bot{TOKEN}/getMe") as response:
                assert (await response.json())["result"]["username"] == "UrgentActionBot"
            async with http.get(f"{url}/_emulator/state") as response:
                people = (await response.json())["people"]
            assert len(people) == 2
            # The people have started the bot, so a paid broadcast reaches them at once, up to
            # the five a second asked for (each chat's burst of three is not reached).
            statuses = []
            for index in range(6):
                body = {
                    "chat_id": people[index % 2]["id"],
                    "text": "x",
                    "allow_paid_broadcast": True,
                }
                async with http.post(f"{url}/bot{TOKEN}/sendMessage", json=body) as response:
                    statuses.append(response.status)
            assert statuses == [200] * 5 + [429]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, stderr.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
