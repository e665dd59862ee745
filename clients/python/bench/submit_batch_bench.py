#!/usr/bin/env python3
"""submit_batch from Python beside `somctl submit` for the same billing run, in orders/s.

    python bench/submit_batch_bench.py                       # 1,000,000 orders, release build
    python bench/submit_batch_bench.py --orders 100000 --build debug

Writes one JSON Lines file of cuts for non-payment, then for each contender starts a fresh somd
(its own data directory, default settings: fsync on) and times the whole submission, from the
first byte read to the last result:

  somctl       somctl submit --file run.jsonl (the Swift client: parse JSON, stream chunks)
  python-file  read_jsonl(run.jsonl) -> submit_batch: the same file (somclient.json.parse_fast)
  python-json_format  the same file, each line parsed by protobuf's json_format.Parse
  python-msgs  the same requests built as messages in Python (no JSON) -> submit_batch
  python-bytes the same requests already encoded (bytes reused from a list) -> submit_batch

Every result is checked (one per order, all accepted). Needs somclient installed (pip install
./clients/python) and a built somd and somctl.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from google.protobuf import json_format

from somclient import Client, SomError, pb
from somclient.json import read_jsonl

ROOT = Path(__file__).resolve().parents[3]


def record(n: int) -> dict[str, object]:
    return {
        "sourceSystem": "SOURCE_SYSTEM_CIS",
        "sourceRequestId": f"BENCH-{n:08d}",
        "orderType": "ORDER_TYPE_CUT_FOR_NON_PAYMENT",
        "servicePointId": f"SP-{n % 200000:06d}-{n // 200000}",
        "collectionData": {"accountId": f"AC-{n:08d}", "amountDueMinor": str(1000 + n % 50000), "currency": "EUR",
                           "dunningLevel": "FINAL"},
        "notes": "billing run 2026-12",
    }


def message(n: int) -> pb.ServiceOrderRequest:
    return pb.ServiceOrderRequest(
        source_system=pb.SOURCE_SYSTEM_CIS,
        source_request_id=f"BENCH-{n:08d}",
        order_type=pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT,
        service_point_id=f"SP-{n % 200000:06d}-{n // 200000}",
        collection_data=pb.CollectionData(account_id=f"AC-{n:08d}", amount_due_minor=1000 + n % 50000, currency="EUR",
                                          dunning_level="FINAL"),
        notes="billing run 2026-12",
    )


class Server:
    def __init__(self, somd: Path, directory: Path) -> None:
        self.socket = str(directory / "som.sock")
        log = open(directory / "somd.log", "ab")
        self.process = subprocess.Popen(
            [str(somd), "--socket", self.socket, "--data", str(directory / "data"), "--log-level", "warning"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        with Client(self.socket, timeout=2, connect_timeout=1) as client:
            while True:
                try:
                    client.health()
                    return
                except SomError:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        self.stop()
                        raise SystemExit("somd did not start; see " + str(directory / "somd.log"))
                    time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def python_run(socket: str, requests: Iterable[pb.ServiceOrderRequest | bytes], total: int, chunk_size: int) -> None:
    with Client(socket) as client:
        count = 0
        for result in client.submit_batch(requests, chunk_size=chunk_size):
            if result.disposition != pb.ITEM_DISPOSITION_ACCEPTED:
                raise SystemExit(f"item {count} not accepted: {result}")
            count += 1
    if count != total:
        raise SystemExit(f"{count} results for {total} orders")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--build", default="release", help="release (.build-release or .build/release) or debug")
    parser.add_argument("--bin", type=Path, help="directory holding somd and somctl (overrides --build)")
    parser.add_argument("--only", action="append", help="run only these contenders (repeatable)")
    args = parser.parse_args()

    if args.bin:
        bin_dir = args.bin
    elif args.build == "debug":
        bin_dir = ROOT / ".build" / "debug"
    else:
        bin_dir = next((d for d in (ROOT / ".build-release" / "release", ROOT / ".build" / "release") if (d / "somd").exists()),
                       ROOT / ".build" / "release")
    somd, somctl = bin_dir / "somd", bin_dir / "somctl"
    for tool in (somd, somctl):
        if not tool.exists():
            raise SystemExit(f"no {tool}; build it first (swift build -c release)")

    work = Path(tempfile.mkdtemp(prefix="somclient-bench-"))
    try:
        total = args.orders
        run_file = work / "run.jsonl"
        started = time.monotonic()
        with open(run_file, "w") as out:
            for n in range(total):
                out.write(json.dumps(record(n), separators=(",", ":")) + "\n")
        print(f"# {total:,} orders in {run_file} ({run_file.stat().st_size / 1e6:.0f} MB, written in "
              f"{time.monotonic() - started:.1f} s); binaries from {bin_dir}", file=sys.stderr)

        def somctl_run(socket: str) -> None:
            result = subprocess.run([str(somctl), "submit", "--file", str(run_file), "--socket", socket, "--json",
                                     "--chunk-size", str(args.chunk_size)], capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"somctl failed ({result.returncode}): {result.stderr[-2000:]}")
            summary = json.loads(result.stdout)
            print(f"#   somctl summary: {summary}", file=sys.stderr)

        def encoded() -> Callable[[str], None]:
            buffers = [message(n).SerializeToString() for n in range(total)]
            return lambda socket: python_run(socket, buffers, total, args.chunk_size)

        contenders: dict[str, Callable[[], Callable[[str], None]]] = {
            "somctl": lambda: somctl_run,
            "python-file": lambda: lambda socket: python_run(socket, read_jsonl(run_file), total, args.chunk_size),
            "python-json_format": lambda: lambda socket: python_run(
                socket, (json_format.Parse(line, pb.ServiceOrderRequest()) for line in open(run_file)), total, args.chunk_size),
            "python-msgs": lambda: lambda socket: python_run(socket, (message(n) for n in range(total)), total, args.chunk_size),
            "python-bytes": encoded,
        }
        rates: dict[str, float] = {}
        for name, prepare in contenders.items():
            if args.only and name not in args.only:
                continue
            run = prepare()
            directory = work / name
            directory.mkdir()
            server = Server(somd, directory)
            try:
                started = time.monotonic()
                run(server.socket)
                elapsed = time.monotonic() - started
            finally:
                server.stop()
            rates[name] = total / elapsed
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"#   {name}: {elapsed:.1f} s (this process's peak RSS so far {peak:.0f} MiB)", file=sys.stderr)

        print(f"| contender | orders/s ({total:,} orders, {bin_dir.name} build) | vs somctl |")
        print("|---|---|---|")
        for name, rate in rates.items():
            versus = f"{rate / rates['somctl']:.2f}x" if "somctl" in rates else "-"
            print(f"| {name} | {rate:,.0f} | {versus} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
