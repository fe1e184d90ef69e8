#!/usr/bin/env python
"""Benchmark of the profile service's consent check and decrypted read.

Starts a real profile service in a child process on loopback (SQLite in a
temporary directory by default, or PostgreSQL with --database-url), seeds
customers with consent, then measures, in interleaved rounds:

  baseline   GetCustomer, CUSTOMER_VIEW_BASIC (no decryption)
  authorize  AuthorizePersonalization (consent check; records the decision)
  decrypted  GetCustomer, CUSTOMER_VIEW_FULL (unwrap data key, decrypt 8 fields)

and prints throughput, p50 and p99 latency and each one's ratio to the
baseline; then the same three as use cases called in-process (no gRPC), to
show what the service itself spends. This is a measurement tool, not a test:
it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> None:
    """Child process: run the profile service until stdin closes."""
    from couponry_runtime.server import start_service
    from couponry_runtime.settings import Settings
    from couponry_services.registry import definition

    settings = Settings(profile_port=port, scheduler_enabled=False, log_level="WARNING")
    service = start_service(definition("profile"), settings)
    print("ready", flush=True)
    sys.stdin.read()
    service.stop(0)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * (len(sorted_values) - 1)))))
    return sorted_values[index]


def _in_process(data_dir: str, args, prefix: str, ids: list[str]) -> dict[str, list[float]]:
    """The same three reads as use cases, without gRPC: what the service itself spends."""
    from couponry_runtime.db import Database
    from couponry_runtime.settings import Settings
    from couponry_services.profile.config import ProfileConfig
    from couponry_services.profile.decisions import DecisionLog
    from couponry_services.profile.domain import Channel, Purpose
    from couponry_services.profile.keyring import FileKeyring
    from couponry_services.profile.service import ProfileCore

    values = dict(data_dir=Path(data_dir))
    if args.database_url:
        values.update(database_url=args.database_url, database_schema_prefix=prefix)
    settings = Settings(**values)
    url, schema = settings.database_url_for("profile")
    database = Database.open(url, schema, ROOT / "services" / "profile" / "migrations")
    keyring = FileKeyring(settings.resolved_keyring_path())
    decisions = DecisionLog(database)
    core = ProfileCore(keys=keyring, secrets=keyring.secrets, config=ProfileConfig(), decisions=decisions)
    work = {
        "baseline (GetCustomer BASIC)": lambda s, cid: core.get_customer(s, cid),
        "AuthorizePersonalization": lambda s, cid: core.authorize(s, cid, Purpose.PERSONALIZED_OFFERS, Channel.EMAIL),
        "decrypted read (GetCustomer FULL)": lambda s, cid: core.get_customer_full(s, cid),
    }
    timings: dict[str, list[float]] = {name: [] for name in work}
    rnd = random.Random(7)
    try:
        # Interleaved call by call, so load from elsewhere hits all three alike.
        for _ in range(args.rounds * args.requests // 2):
            cid = rnd.choice(ids)
            for name, call in work.items():
                began = time.perf_counter()
                with database.transaction() as session:
                    call(session, cid)
                timings[name].append(time.perf_counter() - began)
    finally:
        decisions.stop()
        database.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=200, help="customers to seed (default 200)")
    parser.add_argument("--requests", type=int, default=1000,
                        help="calls per scenario per round (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per scenario (default 5)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL; the benchmark works in a scratch schema it drops afterwards "
                             "(default: SQLite in a temporary directory)")
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return

    import grpc

    from couponry.profile.v1 import consent_pb2 as cpb
    from couponry.profile.v1 import customer_pb2 as pb
    from couponry.profile.v1 import profile_service_pb2 as api
    from couponry.profile.v1 import profile_service_pb2_grpc as api_grpc
    from couponry.type.v1 import money_pb2

    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, COUPONRY_DATA_DIR=data_dir)
        prefix = f"bench{os.getpid()}_"
        if args.database_url:  # a scratch schema of its own, dropped afterwards
            env.update(COUPONRY_DATABASE_URL=args.database_url, COUPONRY_DATABASE_SCHEMA_PREFIX=prefix)
            env.pop("COUPONRY_PROFILE_DATABASE_URL", None)
        child = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            if child.stdout.readline().strip() != "ready":
                sys.exit("the profile service did not start")
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            stub = api_grpc.ProfileServiceStub(channel)
            ids = []
            for i in range(args.customers):
                customer = stub.CreateCustomer(api.CreateCustomerRequest(customer=pb.Customer(
                    external_id=f"bench-{i}", email=f"bench{i}@example.org", phone=f"+49151{i:08d}",
                    given_name="Bench", family_name=f"Mark{i}", birth_date="1980-01-01", country_code="DE",
                    language_code="de-DE", attributes={"tier": "gold"}))).customer
                stub.SetConsent(api.SetConsentRequest(
                    customer_id=customer.customer_id, purpose=cpb.PURPOSE_PERSONALIZED_OFFERS,
                    channel=money_pb2.CHANNEL_ALL, state=cpb.CONSENT_STATE_GRANTED,
                    evidence=cpb.ConsentEvidence(source=cpb.CONSENT_SOURCE_WEB, notice_version="bench")))
                ids.append(customer.customer_id)

            scenarios = {
                "baseline (GetCustomer BASIC)": lambda cid: stub.GetCustomer(
                    api.GetCustomerRequest(customer_id=cid, view=pb.CUSTOMER_VIEW_BASIC)),
                "AuthorizePersonalization": lambda cid: stub.AuthorizePersonalization(
                    api.AuthorizePersonalizationRequest(customer_id=cid, purpose=cpb.PURPOSE_PERSONALIZED_OFFERS,
                                                        channel=money_pb2.CHANNEL_EMAIL)),
                "decrypted read (GetCustomer FULL)": lambda cid: stub.GetCustomer(
                    api.GetCustomerRequest(customer_id=cid, view=pb.CUSTOMER_VIEW_FULL)),
            }
            latencies: dict[str, list[float]] = {name: [] for name in scenarios}
            elapsed: dict[str, float] = {name: 0.0 for name in scenarios}

            def run(call, count: int) -> list[float]:
                rnd = random.Random()
                out = []
                for _ in range(count):
                    cid = rnd.choice(ids)
                    began = time.perf_counter()
                    call(cid)
                    out.append(time.perf_counter() - began)
                return out

            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                for call in scenarios.values():  # warm-up
                    list(pool.map(lambda _: run(call, 50), range(args.concurrency)))
                for _ in range(args.rounds):
                    for name, call in scenarios.items():
                        per_thread = max(1, args.requests // args.concurrency)
                        began = time.perf_counter()
                        for part in pool.map(lambda _: run(call, per_thread), range(args.concurrency)):
                            latencies[name] += part
                        elapsed[name] += time.perf_counter() - began
            channel.close()
            service_side = _in_process(data_dir, args, prefix, ids)
        finally:
            child.stdin.close()
            child.wait(timeout=30)
            if args.database_url:
                from sqlalchemy import text

                from couponry_runtime.db import make_engine
                engine = make_engine(args.database_url)
                with engine.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}profile" CASCADE'))
                engine.dispose()

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"profile service benchmark: {database}, {args.customers} customers, {args.concurrency} client threads, "
          f"{args.rounds} rounds x {args.requests} calls per scenario, loopback, server in a child process")
    print(f"{'scenario':36} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p50 ratio':>10} {'thru ratio':>11}")
    base = None
    for name in scenarios:
        values = sorted(latencies[name])
        throughput = len(values) / elapsed[name]
        p50, p99 = _percentile(values, 0.50) * 1000, _percentile(values, 0.99) * 1000
        if base is None:
            base = (throughput, p50)
        print(f"{name:36} {throughput:9.0f} {p50:8.2f} {p99:8.2f} {p50 / base[1]:9.2f}x {base[0] / throughput:10.2f}x")
    print(f"(mean latency, all calls: {statistics.mean(v for vs in latencies.values() for v in vs) * 1000:.2f} ms; "
          "ratios > 1 mean slower than the baseline; goal: at most 1.30x)")
    print()
    print("service side only (the same use cases in one thread, no gRPC):")
    print(f"{'scenario':36} {'mean us':>9} {'p50 us':>8} {'p99 us':>8} {'p50 ratio':>10}")
    base_p50 = None
    for name, values in service_side.items():
        values = sorted(values)
        p50 = _percentile(values, 0.50) * 1e6
        base_p50 = base_p50 or p50
        print(f"{name:36} {statistics.mean(values) * 1e6:9.0f} {p50:8.0f} {_percentile(values, 0.99) * 1e6:8.0f} "
              f"{p50 / base_p50:9.2f}x")


if __name__ == "__main__":
    main()
