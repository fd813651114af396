"""A venue joins: N phones behind one Wi-Fi address join within a window, some mistype the code.

    python benchmarks/venue_joins.py [--joins 2000] [--seconds 120] [--wrong 30] [--concurrency 64]

Starts one `barcamp run` (SQLite, default limits: nothing lifted for the run), creates a forum,
then from 127.0.0.1 (one address, like a venue behind its Wi-Fi's NAT) sends `--joins` correct
joins (POST /api/v1/join) spread over `--seconds`, "scan now" style: half of them in the first
fifth of the window. `--wrong` of the tries carry a mistyped code, spread among them. Prints the
answers by status (target: every correct join 201, no 429 among them), the correct joins'
latency p50/p99/max, and the wrong codes' answers.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _forum import percentile  # noqa: E402


def _live_votes():
    spec = importlib.util.spec_from_file_location("live_votes", HERE / "live_votes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def arrival_times(joins: int, seconds: float) -> list[float]:
    """Half the phones in the first fifth of the window, the rest evenly after."""
    early = joins // 2
    times = [i * (seconds / 5) / max(1, early) for i in range(early)]
    rest = joins - early
    times += [seconds / 5 + i * (seconds * 4 / 5) / max(1, rest) for i in range(rest)]
    return times


async def run(url: str, code: str, joins: int, seconds: float, wrong: int, concurrency: int) -> dict:
    import aiohttp

    tries = [(t, code) for t in arrival_times(joins, seconds)]
    step = max(1, len(tries) // max(1, wrong)) if wrong else 0
    for k in range(wrong):  # wrong codes spread among the correct ones
        at = tries[min(len(tries) - 1, k * step)][0]
        tries.append((at, "QQQQQQ"))
    tries.sort(key=lambda item: item[0])
    gate = asyncio.Semaphore(concurrency)
    right: list[tuple[int, float]] = []
    mistyped: list[int] = []
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:

        async def one(at: float, sent_code: str) -> None:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            async with gate:
                t0 = time.monotonic()
                async with http.post(f"{url}/api/v1/join", json={"code": sent_code}) as response:
                    await response.read()
                    if sent_code == code:
                        right.append((response.status, time.monotonic() - t0))
                    else:
                        mistyped.append(response.status)

        await asyncio.gather(*(one(at, c) for at, c in tries))
    latencies = [s for _status, s in right]
    return {"right": Counter(status for status, _s in right), "wrong": Counter(mistyped),
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99), "max": max(latencies),
            "elapsed": time.monotonic() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--joins", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--wrong", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()

    live_votes = _live_votes()
    workdir = Path(tempfile.mkdtemp(prefix="barcamp-venue-"))
    server, url, _env = live_votes.start_server(workdir, None, 0, lift_limits=False)
    try:
        forum = live_votes.create_forum(url, topics=1)
        figures = asyncio.run(run(url, forum["code"], args.joins, args.seconds, args.wrong, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    right, wrong = figures["right"], figures["wrong"]
    print(f"{args.joins} joins + {args.wrong} wrong codes from one address over {args.seconds:.0f} s "
          f"(done in {figures['elapsed']:.1f} s)")
    print(f"  correct joins: {dict(sorted(right.items()))}  (429: {right.get(429, 0)}, target 0)")
    print(f"  correct join latency p50 / p99 / max: {figures['p50'] * 1000:.0f} / {figures['p99'] * 1000:.0f} / "
          f"{figures['max'] * 1000:.0f} ms")
    print(f"  wrong codes: {dict(sorted(wrong.items()))}")


if __name__ == "__main__":
    main()
