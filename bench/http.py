"""What one Bot API call costs the bot's CPU, by HTTP client, against the emulator.

    python -m bench.http                       # 5,000 calls per client, 3 rounds
    python -m bench.http --calls 5000 --rounds 1

Every client posts the same sendMessage body to the emulator (its flood limits off, so every call
is answered at once), to as many different people as calls, with `--concurrency` calls in flight
(32, as the delivery engine), and once more one call at a time. The figure is this process's CPU
time (every thread) per call; the emulator runs in its own process. The clients:

- `HttpClient`: the delivery engine's own (bot/delivery/http_client.py);
- `aiohttp`: one `ClientSession`, as the engine used before;
- `httpx`: PTB's default transport (`HTTPXRequest`), called through its `BaseRequest` interface
  as PTB calls it, without PTB's objects around it;
- `AiohttpRequest`: the bot's PTB transport over aiohttp (bot/delivery/transport.py), called
  the same way;
- `Bot + httpx` and `Bot + AiohttpRequest`: a whole `Bot.send_message` of PTB (its objects, its
  JSON, the answer made into a `Message`) over each transport: what one reply of the bot costs.

The rounds interleave the clients, so a busy moment of a shared machine falls on all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bench.broadcast import DEFAULT_RATE, TOKEN, Emulator, Scenario
from bot import eventloop
from bot.delivery.http_client import HttpClient
from bot.delivery.transport import AiohttpRequest

Post = Callable[[int], Awaitable[None]]
TEXT = "Urgent Action: write to the Prosecutor General today. /act to write your letter"


def body(chat_id: int) -> bytes:
    return json.dumps({"chat_id": chat_id, "text": TEXT}).encode()


async def lean(url: str, calls: list[int], concurrency: int) -> float:
    client = HttpClient(f"{url}/bot{TOKEN}/", connections=concurrency)

    async def post(chat_id: int) -> None:
        status, _ = await client.post("sendMessage", body(chat_id))
        assert status == 200

    try:
        return await measure(post, calls, concurrency)
    finally:
        await client.close()


async def with_aiohttp(url: str, calls: list[int], concurrency: int) -> float:
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:

        async def post(chat_id: int) -> None:
            async with s.post(
                f"{url}/bot{TOKEN}/sendMessage", data=body(chat_id), headers=headers
            ) as r:
                await r.read()
                assert r.status == 200

        return await measure(post, calls, concurrency)


async def with_httpx(url: str, calls: list[int], concurrency: int) -> float:
    request = HTTPXRequest(connection_pool_size=concurrency)
    return await through_request(request, url, calls, concurrency)


async def with_aiohttp_request(url: str, calls: list[int], concurrency: int) -> float:
    request = AiohttpRequest(connection_pool_size=concurrency)
    return await through_request(request, url, calls, concurrency)


async def through_request(
    request: BaseRequest, url: str, calls: list[int], concurrency: int
) -> float:
    """Calls through a PTB `BaseRequest`, as PTB makes them."""
    await request.initialize()

    async def post(chat_id: int) -> None:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", chat_id),
                RequestParameter.from_input("text", TEXT),
            ]
        )
        status, _ = await request.do_request(f"{url}/bot{TOKEN}/sendMessage", "POST", data)
        assert status == 200

    try:
        return await measure(post, calls, concurrency)
    finally:
        await request.shutdown()


async def bot_with_httpx(url: str, calls: list[int], concurrency: int) -> float:
    return await through_bot(
        HTTPXRequest(connection_pool_size=concurrency), url, calls, concurrency
    )


async def bot_with_aiohttp(url: str, calls: list[int], concurrency: int) -> float:
    return await through_bot(
        AiohttpRequest(connection_pool_size=concurrency), url, calls, concurrency
    )


async def through_bot(request: BaseRequest, url: str, calls: list[int], concurrency: int) -> float:
    """Whole `Bot.send_message` calls of PTB over `request`."""
    async with Bot(TOKEN, base_url=f"{url}/bot", request=request) as bot:

        async def post(chat_id: int) -> None:
            sent = await bot.send_message(chat_id, TEXT)
            assert sent.message_id

        return await measure(post, calls, concurrency)


async def measure(post: Post, calls: list[int], concurrency: int) -> float:
    """CPU milliseconds per call, `concurrency` calls in flight."""
    queue = iter(calls)

    async def worker() -> None:
        for chat_id in queue:
            await post(chat_id)

    await post(calls[0])  # a connection is open before the clock starts
    started = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.process_time() - started) * 1000 / (len(calls) - 1)


CLIENTS = {
    "HttpClient": lean,
    "aiohttp": with_aiohttp,
    "httpx": with_httpx,
    "AiohttpRequest": with_aiohttp_request,
    "Bot + httpx": bot_with_httpx,
    "Bot + AiohttpRequest": bot_with_aiohttp,
}


async def run(calls: int, rounds: int, concurrency: int) -> dict[str, dict[int, list[float]]]:
    figures: dict[str, dict[int, list[float]]] = {
        name: {concurrency: [], 1: []} for name in CLIENTS
    }
    scenario = Scenario("http", "engine", DEFAULT_RATE, False, calls)
    with tempfile.TemporaryDirectory(prefix="bench-http-") as workdir:
        async with Emulator(scenario, Path(workdir), flood=False) as emulator:
            people = await emulator.create_people(calls)
            for round_ in range(1, rounds + 1):
                for name, client in CLIENTS.items():
                    for width in (concurrency, 1):
                        await emulator.reset_stats()
                        cost = await client(emulator.url, people, width)
                        figures[name][width].append(cost)
                        print(
                            f"round {round_}/{rounds} {name}, {width} in flight:"
                            f" {cost:.3f} ms CPU per call",
                            file=sys.stderr,
                            flush=True,
                        )
    return figures


def main(argv: list[str] | None = None) -> None:
    """Measure every client; print a table of medians and the ratios to `HttpClient`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.http",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--calls", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    figures = eventloop.run(run(args.calls, args.rounds, args.concurrency))
    widths = (args.concurrency, 1)
    base = {w: statistics.median(figures["HttpClient"][w]) for w in widths}
    print(
        f"| client | CPU ms per call, {args.concurrency} in flight | ratio |"
        " CPU ms per call, one at a time | ratio |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, by_width in figures.items():
        cells = []
        for width in widths:
            median = statistics.median(by_width[width])
            cells += [f"{median:.3f}", f"{median / base[width]:.1f}x"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
