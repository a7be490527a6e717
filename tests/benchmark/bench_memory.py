"""Benchmark: the process's memory while the fake serves hostile bodies.

Run with ``scripts/bench_memory``. The fake server runs in this process and
streams its bodies (nothing is held whole), so the growth measured is the
client's. Resident memory is sampled every millisecond from ``/proc`` by a
thread; the table shows the peak growth over the baseline, per body. Nothing
here asserts: numbers are printed, and a missed target is marked.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
import resource
import sys
import threading
import time
from typing import Self

import aiohttp

from custom_components.classcharts_hass.client import (
    ClassChartsClient,
    ClassChartsError,
    StudentCredentials,
)
from tests.fake_server import STUDENT_CODE, STUDENT_DOB, STUDENT_ID, FakeClassCharts

MIB = 1024 * 1024
TARGET_MIB = 20
_PAGE = resource.getpagesize()
_STATM = Path("/proc/self/statm")


def rss() -> int:
    """Resident bytes of this process now."""
    return int(_STATM.read_text().split()[1]) * _PAGE


class PeakSampler:
    """Samples resident memory in a thread (the event loop may be busy)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss())
            time.sleep(0.001)

    def __enter__(self) -> Self:
        self.peak = rss()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())


CASES = (
    ("200 MB body, Content-Length announced", {"content_length": True}),
    ("200 MB body, chunked (no length)", {"content_length": False}),
    ("gzip bomb: 1 GB of zeros, ~1 MB on the wire", {"gzip": True, "size": 1024 * MIB}),
    (
        "gzip bomb, slowly paced (10 ms a chunk)",
        {"gzip": True, "size": 1024 * MIB, "pace": 0.01},
    ),
)


async def measure() -> list[tuple[str, str, str, str]]:
    """Serve each hostile body once and record the client's answer and memory."""
    fake = FakeClassCharts()
    base_url = await fake.start()
    rows = []
    try:
        async with aiohttp.ClientSession() as session:
            client = ClassChartsClient(
                session,
                StudentCredentials(STUDENT_CODE, STUDENT_DOB),
                base_url=base_url,
            )
            await client.get_badges(STUDENT_ID)  # warm: imports, login, buffers
            for label, options in CASES:
                size = int(options.pop("size", 200 * MIB))
                fake.stream_next("eventbadges", size, **options)  # type: ignore[arg-type]
                gc.collect()
                baseline = rss()
                started = time.perf_counter()
                with PeakSampler() as sampler:
                    try:
                        await client.get_badges(STUDENT_ID)
                        answer = "accepted (wrong)"
                    except ClassChartsError as err:
                        answer = f"refused: {type(err).__name__}: {str(err)[:60]}"
                took = time.perf_counter() - started
                growth = (sampler.peak - baseline) / MIB
                rows.append(
                    (
                        label,
                        f"+{growth:.1f} MiB peak RSS, {took * 1000:.0f} ms; {answer}",
                        f"< {TARGET_MIB} MiB, refused",
                        "met"
                        if growth < TARGET_MIB and answer.startswith("refused")
                        else "MISSED",
                    )
                )
    finally:
        await fake.stop()
    return rows


def main() -> None:
    """Print the table."""
    rows = asyncio.run(measure())
    lines = [
        "| hostile answer | client | target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b.replace('|', '/')} | {c} | {d} |" for a, b, c, d in rows),
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
