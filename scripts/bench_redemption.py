"""Benchmark of the redemption service on PostgreSQL, in one run:

* a bare SQL floor: the very transaction RedeemCode runs (velocity counter,
  lock-out check, code+promotion read, idempotency key, redemption, attempt
  log, subject counter, code and promotion conditional decrements), sent
  through psycopg by client threads with no gRPC and no service code;
* the same transaction behind a bare Python gRPC server (no interceptors,
  no validation, no telemetry): what any Python gRPC service running it can
  reach on this machine;
* RedeemCode over gRPC against a real server on loopback;

each on distinct codes of one promotion and on one hot shared code, with
throughput, p50/p99 latency and the ratio to the floor; and

* a bare gRPC echo (a server with no handler code and no database), which
  shows what a Python gRPC round trip costs by itself on the machine.

The gRPC phases are driven by a compiled load generator
(scripts/loadgen/loadgen.cc, built on first use; it needs g++, pkg-config and
libgrpc++-dev), so that the clients take as little CPU as they can from the
server they share the machine with; RedeemCode is also driven from Python
client threads for comparison, and against a second server whose calls
are left out of tracing (OTEL_PYTHON_GRPC_EXCLUDED_SERVICES), to show what
tracing every checkout costs. Without a compiler the script falls back to
Python clients and says why.

The phases alternate over several rounds and each ratio is the median of the
rounds' own ratios, so that drift in the machine's load hits every side
alike. `--clients 4,8,16` sweeps the load: every phase runs at each count in
every round, and the report adds each side's peak against the floor's peak
(the floor and the service are best at different loads, so one fixed load
flatters whichever side degrades less there). Each phase also reports CPU
per call (of the process measured, of its callers, of the PostgreSQL server
when it runs here, and of the whole machine), and each side's CPU against
the floor's (the floor's machine CPU per call over its own), which its peak
ratio follows on this busy machine, also with the callers' CPU left out, as
where callers run on other hosts. Its tables are
analyzed before every round. The run ends with a check that no limit was exceeded
(counters equal to successes, consistency RPC, no code over its uses) and
bulk minting of 100k codes in one MintCodes call.

Everything lives in a schema of its own that is dropped at the end.

    python scripts/bench_redemption.py --help
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import grpc
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    cpu_ms: float | None = None  # CPU of the measured process(es) per successful call
    cores: float | None = None  # CPU use of the measured process(es), in cores
    machine_ms: float | None = None  # CPU of the whole machine per successful call
    machine_cores: float | None = None  # CPU use of the whole machine, in cores
    callers_ms: float | None = None  # CPU of the processes sending the calls, per successful call
    database_ms: float | None = None  # CPU of the local PostgreSQL server, per successful call
    consumed: int = 0  # requests the compiled load generator sent

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def machine_cpu_seconds() -> float | None:
    """Busy (non-idle) CPU time of the whole machine, from /proc/stat (Linux); None elsewhere."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def measured(pids: list[int], run, callers: Callable[[], float | None] | None = None,
             database: Callable[[], float | None] | None = None) -> Phase:
    """Runs a phase and records its CPU: of the processes `pids`, of the
    whole machine, and, where given, of the callers and of the database
    (each a function returning CPU seconds used so far)."""
    meters = {"cpu_ms": lambda: _total([process_cpu_seconds(pid) for pid in pids]),
              "machine_ms": machine_cpu_seconds, "callers_ms": callers, "database_ms": database}
    before = {name: meter() for name, meter in meters.items() if meter is not None}
    phase = run()
    for name, start in before.items():
        end = meters[name]()
        if phase.ok and start is not None and end is not None:
            setattr(phase, name, (end - start) / phase.ok * 1000)
    if phase.cpu_ms is not None:
        phase.cores = phase.cpu_ms * phase.ok / 1000 / phase.elapsed
    if phase.machine_ms is not None:
        phase.machine_cores = phase.machine_ms * phase.ok / 1000 / phase.elapsed
    return phase


def _total(values: list[float | None]) -> float | None:
    return None if None in values else sum(values)


def children_cpu_seconds() -> float:
    """User+system CPU of this process's children that have exited and been
    waited for: the compiled load generator, once its phase is over (the
    servers, children too, run until the end and are not counted)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def no_callers() -> float:
    """The floor's callers' CPU: none, its client threads are the side measured."""
    return 0.0


def own_cpu_seconds() -> float | None:
    """CPU of this process: its Python client threads, in a phase they drive."""
    return process_cpu_seconds(os.getpid())


def is_local(dsn: str) -> bool:
    """Whether `dsn` reaches a PostgreSQL server on this machine (loopback or Unix socket)."""
    host = conninfo_to_dict(dsn).get("host") or ""
    return all(part in ("", "localhost", "127.0.0.1", "::1") or part.startswith("/") for part in host.split(","))


def database_cpu_seconds() -> float | None:
    """CPU used so far by the PostgreSQL server on this machine (Linux): every
    postgres process, the postmaster's background processes included, plus
    what its backends that have already exited used (the postmaster's
    children's CPU): the floor's client threads close their connections at
    the end of each phase. None without /proc or without a PostgreSQL server."""
    try:
        pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return None
    processes = {}
    for pid in pids:
        stat = _proc_stat(pid)  # None: exited while being read
        if stat is not None and stat[0] in ("postgres", "postmaster"):
            processes[pid] = stat[1]
    if not processes:
        return None
    ticks = 0
    for fields in processes.values():
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
        if int(fields[1]) not in processes:  # its parent is no postgres: the postmaster
            ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: its exited children
    return ticks / os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[str, list[str]] | None:
    """A process's command name and the fields of /proc/<pid>/stat after it
    (state first; utime is fields[11]); None if it cannot be read."""
    try:
        head, tail = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
    except (OSError, ValueError):
        return None
    return head.split("(", 1)[-1], tail.split()


def process_cpu_seconds(pid: int) -> float | None:
    """User+system CPU time of a process, from /proc (Linux); None elsewhere."""
    stat = _proc_stat(pid)
    try:
        return (int(stat[1][11]) + int(stat[1][12])) / os.sysconf("SC_CLK_TCK")
    except (TypeError, ValueError, IndexError):
        return None


def run_phase(name: str, clients: int, seconds: float, make_worker) -> Phase:
    """Runs `clients` threads for `seconds`; each calls its worker until time
    is up or the worker returns None (out of codes)."""
    phase = Phase(name)
    lock = threading.Lock()
    deadline_box = [0.0]
    barrier = threading.Barrier(clients + 1)

    def thread_main(index: int) -> None:
        worker, close = make_worker(index)
        try:
            barrier.wait()
            mine, fails = [], {}
            while time.perf_counter() < deadline_box[0]:
                started = time.perf_counter()
                outcome = worker()
                if outcome is None:
                    break
                if outcome is True:
                    mine.append(time.perf_counter() - started)
                else:
                    fails[outcome] = fails.get(outcome, 0) + 1
            with lock:
                phase.latencies += mine
                for k, v in fails.items():
                    phase.failures[k] = phase.failures.get(k, 0) + v
        finally:
            close()

    threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    deadline_box[0] = time.perf_counter() + seconds + 3600  # set for real below, after everyone is ready
    barrier.wait()
    begun = time.perf_counter()
    deadline_box[0] = begun + seconds
    for t in threads:
        t.join()
    phase.elapsed = time.perf_counter() - begun
    return phase


class CodeFeed:
    """Hands out codes, each once: one at a time to Python client threads,
    or as a run of the next ones to the compiled load generator, which then
    says how many it used."""

    def __init__(self, codes: list[str]) -> None:
        self._codes = codes
        self._next = 0
        self._lock = threading.Lock()
        self.exhausted = False  # a phase ran out of codes and ended early

    def take(self) -> str | None:
        with self._lock:
            if self._next >= len(self._codes):
                self.exhausted = True
                return None
            self._next += 1
            return self._codes[self._next - 1]

    def peek(self, count: int) -> list[str]:
        with self._lock:
            return self._codes[self._next:self._next + count]

    def advance(self, count: int) -> None:
        with self._lock:
            self._next += count
            self.exhausted |= self._next >= len(self._codes)


class SharedCode:
    """The hot shared code, as a feed that never runs out."""

    exhausted = False

    def __init__(self, code: str) -> None:
        self._code = code

    def take(self) -> str:
        return self._code

    def peek(self, count: int) -> list[str]:
        return [self._code] * count

    def advance(self, count: int) -> None:
        pass


@dataclass
class Result:
    """Phases of one kind over every round, merged, with medians of their CPU figures."""

    name: str
    phases: list[Phase] = field(default_factory=list)

    def add(self, phase: Phase) -> None:
        self.phases.append(phase)

    @property
    def merged(self) -> Phase:
        total = Phase(self.name)
        for phase in self.phases:
            total.latencies += phase.latencies
            total.elapsed += phase.elapsed
            for reason, count in phase.failures.items():
                total.failures[reason] = total.failures.get(reason, 0) + count
        return total

    def median(self, attribute: str) -> float | None:
        values = [getattr(p, attribute) for p in self.phases if getattr(p, attribute) is not None]
        return statistics.median(values) if values else None


def ratios(phase: Result, floor: Result) -> list[float]:
    """A phase's throughput over the floor's, round by round."""
    return [p.throughput / f.throughput for p, f in zip(phase.phases, floor.phases) if f.throughput]


def peak_ratios(sides: list[Result], floors: list[Result]) -> list[float]:
    """Round by round, the best throughput of `sides` (one Result per client
    count) over the best of `floors`: each side at its own best load."""
    rounds = min(len(result.phases) for result in sides + floors)
    best = lambda results, r: max(result.phases[r].throughput for result in results)  # noqa: E731
    return [best(sides, r) / best(floors, r) for r in range(rounds) if best(floors, r)]


def machine(phase: Phase) -> float | None:
    """Machine CPU per call: every process on the machine."""
    return phase.machine_ms


def without_callers(phase: Phase) -> float | None:
    """Machine CPU per call less the callers': what it would be with the
    callers on other hosts, as in production. None when either is unknown."""
    if phase.machine_ms is None or phase.callers_ms is None:
        return None
    return phase.machine_ms - phase.callers_ms


def cpu_ratios(sides: list[Result], floors: list[Result],
               cost: Callable[[Phase], float | None] = machine) -> list[float]:
    """Round by round, the floor's CPU per call over the side's, each at its
    cheapest load; `cost` gives a phase's CPU per call, by default the whole
    machine's (every process on it).

    Clients, servers and database share the machine, and each side nearly
    fills its cores at its peak; throughput is then about the cores over the
    CPU per call, so the peak ratios follow this figure, whatever the load,
    and only CPU taken off each call moves them."""
    rounds = min(len(result.phases) for result in sides + floors)

    def cheapest(results: list[Result], r: int) -> float | None:
        costs = [cost(result.phases[r]) for result in results]
        return min((c for c in costs if c), default=None)
    pairs = [(cheapest(floors, r), cheapest(sides, r)) for r in range(rounds)]
    return [floor / side for floor, side in pairs if floor and side]


def figure(value: float | None) -> str:
    """A CPU figure to two places, or "-" where it was not measured."""
    return "-" if value is None else f"{value:.2f}"


def median_text(values: list[float]) -> str:
    """The median to two places, or "-" when there is nothing to take it of
    (a floor that completed nothing)."""
    return f"{statistics.median(values):.2f}" if values else "-"


def best_load(results: dict[int, Result]) -> int:
    """The client count at which a side ran fastest over the whole run."""
    return max(results, key=lambda clients: results[clients].merged.throughput)


MAX_CLIENTS = 28  # the service's connection pool holds 30


def client_counts(text: str) -> list[int]:
    """`--clients`: one count of client threads, or several separated by
    commas for a load sweep (each once, in the order given)."""
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a count or a comma-separated list of counts")
    counts = list(dict.fromkeys(int(part) for part in parts))
    if not all(1 <= count <= MAX_CLIENTS for count in counts):
        raise argparse.ArgumentTypeError(
            f"each count must be 1 to {MAX_CLIENTS} (the service's connection pool holds 30)")
    return counts


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def floor_transaction(conn, code: str, promotion_id: str, discount: int):
    """The redeem transaction through the driver alone, with the service's own
    statements as it sends them to PostgreSQL
    (couponry_services.redemption.hotpath.postgres_statement): True, or the
    reason it was refused."""
    from couponry_services.redemption.hotpath import postgres_statement

    def run(cur, name: str, **params):
        cur.execute(*postgres_statement(name, **params))

    key = code.replace("-", "")
    subject = f"floor-{uuid.uuid4().hex[:16]}"
    now = int(time.time())
    request_id = uuid.uuid4().hex
    redemption_id = f"red_{uuid.uuid4().hex[:26]}"
    order_id = f"o-{request_id[:12]}"
    nf = "nf:s:" + _digest(subject)
    try:
        with conn.cursor() as cur:
            run(cur, "bump", key="v:s:" + _digest(subject), window=now // 60)
            cur.fetchone()
            run(cur, "view", key=key, nf_subject=nf, nf_source=nf, nf_window=now // 600,
                nf_previous=now // 600 - 1)
            view = cur.fetchone()
            if view[1] is None:
                conn.rollback()
                return "CODE_NOT_FOUND"
            stamp = datetime.now(UTC)
            run(cur, "idempotency", method="RedeemCode", request_id=request_id,
                request_hash=request_id * 2, response=b"x" * 160, create_time=stamp)
            run(cur, "redemption",
                redemption_id=redemption_id, code=key, promotion_id=promotion_id, campaign_id="",
                subject_ref=subject, order_id=order_id, order_total_minor=10_000, currency_code="EUR",
                discount_minor=discount, state=1, redeem_time=stamp, issue_time=view[10])
            run(cur, "attempt",
                attempt_time=stamp, action="REDEEM", outcome="SUCCESS", reason="", promotion_id=promotion_id,
                campaign_id="", code=key, subject_ref=subject, order_id=order_id, order_total_minor=10_000,
                currency_code="EUR", discount_minor=discount, delta_count=1, delta_discount_minor=discount,
                reference_id=redemption_id)
            run(cur, "customer", promotion_id=promotion_id, subject_ref=subject, limit=1)
            if cur.fetchone() is None:
                conn.rollback()
                return "CUSTOMER_LIMIT_REACHED"
            run(cur, "code", code=key)
            if cur.rowcount != 1:
                conn.rollback()
                return "CODE_EXHAUSTED"
            run(cur, "promotion", promotion_id=promotion_id, discount=discount)
            if cur.rowcount != 1:
                conn.rollback()
                return "PROMOTION_LIMIT_REACHED"
        conn.commit()
        return True
    except psycopg.Error as error:
        conn.rollback()
        return type(error).__name__


def floor_worker(dsn: str, feed, promotion_id: str, discount: int):
    """A floor client: its own connection, one transaction per code `feed` gives."""
    conn = psycopg.connect(dsn, autocommit=False)

    def redeem():
        code = feed()
        if code is None:
            return None
        return floor_transaction(conn, code, promotion_id, discount)

    return redeem, conn.close


def analyze_schema(dsn: str, schema: str) -> list[str]:
    """ANALYZE every table of `schema`, as autovacuum would; returns their names.

    The servers keep their connections, and with them the plans PostgreSQL
    cached for their prepared statements: plans made while the tables were
    nearly empty, which scan a table whole instead of through its index
    (e.g. the rate counters, which grow by one row per checkout). ANALYZE
    makes every session plan them again. Where autovacuum is off (it is on
    some development machines) nothing else would, and a long-lived
    server's checkout slows down as the tables grow, while the floor, which
    connects anew for every phase, never shows it."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,))]
        for table in tables:
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(schema, table)))
    return tables


def serve_raw(service: str, method: str, behavior, workers: int, ports, stop) -> None:
    """Serves one bytes-in, bytes-out method on a plain gRPC server (no
    interceptors) in this process until `stop` is set; its port goes to `ports`."""
    from concurrent import futures

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, {
        method: grpc.unary_unary_rpc_method_handler(behavior)}),))
    ports.put(server.add_insecure_port("127.0.0.1:0"))
    server.start()
    stop.wait()
    server.stop(0)


# Each client thread is a separate caller with a connection of its own, as in
# the compiled load generator (gRPC would otherwise share one between
# channels opened with the same arguments).
OWN_CONNECTION = (("grpc.use_local_subchannel_pool", 1),)


def raw_method(target: str, service: str, method: str):
    """(a bytes-in, bytes-out callable for `method`, its channel), once the channel is ready."""
    channel = grpc.insecure_channel(target, options=OWN_CONNECTION)
    call = channel.unary_unary(f"/{service}/{method}")
    grpc.channel_ready_future(channel).result(timeout=10)
    return call, channel


BARE_SERVICE = "couponry.bench.v1.BareRedeemService"


def bare_serve(dsn: str, workers: int, ports, stop) -> None:
    """Child process: the floor's transaction behind a bare Python gRPC server
    (no interceptors, no validation, no telemetry, one connection per handler
    thread): what any Python gRPC service running this transaction can reach
    here. A request is b"<promotion id> <code>"."""
    local = threading.local()

    def redeem(request: bytes, context):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = psycopg.connect(dsn, autocommit=False)
        promotion_id, code = request.decode().split(" ", 1)
        outcome = floor_transaction(conn, code, promotion_id, 500)
        if outcome is not True:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, outcome)
        return b""

    serve_raw(BARE_SERVICE, "Redeem", redeem, workers, ports, stop)


def bare_worker(target: str, feed, promotion_id: str):
    redeem_call, channel = raw_method(target, BARE_SERVICE, "Redeem")

    def call():
        code = feed()
        if code is None:
            return None
        try:
            redeem_call(f"{promotion_id} {code}".encode(), timeout=30)
            return True
        except grpc.RpcError as error:
            return error.details() or error.code().name

    return call, channel.close


def fill_redeem(request, code: str):
    """`request` (a RedeemCodeRequest with its order set) made a checkout of
    its own for `code`: a fresh request_id, subject and order id, all from
    one random id, since the load generator shares the server's cores."""
    request_id = uuid.uuid4().hex
    request.code, request.request_id = code, request_id
    request.subject_ref, request.order.order_id = f"grpc-{request_id[16:]}", f"o-{request_id[:12]}"
    return request


def grpc_worker(target: str, feed, api, api_grpc, order_pb):
    channel = grpc.insecure_channel(target, options=OWN_CONNECTION)
    stub = api_grpc.RedemptionServiceStub(channel)
    grpc.channel_ready_future(channel).result(timeout=10)
    request = api.RedeemCodeRequest(order=order_pb(""))  # one message, refilled for every call

    def redeem():
        code = feed()
        if code is None:
            return None
        fill_redeem(request, code)
        try:
            stub.RedeemCode(request, timeout=30)
            return True
        except grpc.RpcError as error:
            from couponry_runtime.errors import parse_rpc_error
            return parse_rpc_error(error).reason or error.code().name

    return redeem, channel.close


class CompiledLoad:
    """The compiled load generator (scripts/loadgen/loadgen.cc): sends
    requests serialized beforehand through gRPC's C++ generic stub.

    Clients share this machine's two cores with the server and the
    database, and a Python gRPC client spends about as much CPU per call as
    the server's own gRPC layer: CPU the service being measured does not
    get, where in production its callers run on other hosts. The compiled
    client leaves it almost all of that. It is built on first use with the
    system's C++ compiler and gRPC (Debian: g++ pkg-config libgrpc++-dev)
    and kept in the user's cache, one build per version of its source."""

    SOURCE = Path(__file__).resolve().parent / "loadgen" / "loadgen.cc"

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    @classmethod
    def build(cls) -> CompiledLoad:
        """The built load generator; RuntimeError saying why it cannot be built.

        A build is kept per version of the source, of gRPC's library and of
        the compiler, and is run once before use: a cached binary whose
        libraries have changed is built again."""
        hint = ("it needs a C++ compiler, pkg-config and gRPC's C++ library "
                "(Debian: apt-get install g++ pkg-config libgrpc++-dev)")
        partial = None
        try:
            grpc_version = _output(["pkg-config", "--modversion", "grpc++"])
            compiler = _output(["c++", "--version"]).splitlines()[0]
            key = hashlib.sha256(b"\0".join([cls.SOURCE.read_bytes(), grpc_version.encode(), compiler.encode()]))
            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "couponry"
            binary = cache / f"loadgen-{key.hexdigest()[:16]}"
            if binary.exists() and cls._runs(binary):
                return cls(binary)
            flags = _output(["pkg-config", "--cflags", "--libs", "grpc++"]).split()
            cache.mkdir(parents=True, exist_ok=True)
            partial = binary.with_suffix(f".{os.getpid()}")
            _output(["c++", "-O2", "-std=c++17", "-o", str(partial), str(cls.SOURCE), *flags])
            if not cls._runs(partial):
                raise RuntimeError(f"the {cls.SOURCE.name} just built does not run; {hint}")
            partial.replace(binary)
            return cls(binary)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = (getattr(error, "stderr", "") or str(error)).strip()
            raise RuntimeError(f"cannot build {cls.SOURCE.name} ({detail.splitlines()[-1] if detail else error}); "
                               f"{hint}") from error
        finally:
            if partial is not None:
                partial.unlink(missing_ok=True)

    @staticmethod
    def _runs(binary: Path) -> bool:
        # Without arguments it prints its usage and exits 2; a binary whose
        # shared libraries are gone fails to start instead.
        try:
            return subprocess.run([str(binary)], capture_output=True, timeout=30).returncode == 2
        except (OSError, subprocess.SubprocessError):
            return False

    def run(self, name: str, target: str, method: str, requests: list[bytes], clients: int, seconds: float,
            *, repeat: bool = False) -> Phase:
        """One phase: `clients` callers send `requests` in order (or the first
        one over and over) for `seconds`. Sets the phase's `consumed`."""
        with tempfile.TemporaryDirectory(prefix="couponry-load-") as scratch:
            path = Path(scratch) / "requests"
            path.write_bytes(b"".join(len(r).to_bytes(4, "little") + r for r in requests))
            command = [str(self.binary), target, method, str(clients), str(seconds), str(path)]
            done = subprocess.run(command + (["--repeat"] if repeat else []), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"load generator failed: {done.stderr.strip()}")
        return parse_load_output(name, done.stdout)


def _output(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def parse_load_output(name: str, output: str) -> Phase:
    """A phase from the load generator's output: one "<status code>
    <latency ns>" line per call, then "consumed N" and "elapsed S"."""
    phase = Phase(name)
    for line in output.splitlines():
        key, _, value = line.partition(" ")
        if key == "consumed":
            phase.consumed = int(value)
        elif key == "elapsed":
            phase.elapsed = float(value)
        elif key == "0":
            phase.latencies.append(int(value) / 1e9)
        elif key:
            reason = _STATUS_NAMES.get(int(key), key)
            phase.failures[reason] = phase.failures.get(reason, 0) + 1
    return phase


_STATUS_NAMES = {code.value[0]: code.name for code in grpc.StatusCode}


@dataclass
class Variant:
    """The service once more, in processes of its own with `environment`
    added to theirs: one more side of the comparison, with its results per
    workload and client count and its unmeasured warm-up."""

    title: str
    environment: dict[str, str]
    processes: list = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    results: dict[str, dict[int, Result]] = field(default_factory=dict)
    warm_up: Result = field(default_factory=lambda: Result("warm-up"))

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]


UNTRACED_SERVICE = "couponry.redemption.v1.RedemptionService"
REDEEM_METHOD = f"/{UNTRACED_SERVICE}/RedeemCode"
ECHO_SERVICE = "couponry.bench.v1.EchoService"


def echo_serve(workers: int, ports, stop) -> None:
    """Child process: a bare gRPC server that answers every call with its
    request (no interceptors, no handler code, no database): what a Python
    gRPC round trip costs on this machine by itself."""
    serve_raw(ECHO_SERVICE, "Echo", lambda request, context: request, workers, ports, stop)


def echo_worker(target: str, payload: bytes):
    echo, channel = raw_method(target, ECHO_SERVICE, "Echo")

    def call():
        echo(payload, timeout=30)
        return True

    return call, channel.close


TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService"


def trace_sink(ports, stop, received) -> None:
    """Child process: an OTLP trace receiver that counts the spans it is sent
    (in `received`) and keeps none: the collector a server exports to, which
    in production runs on another host."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    def export(request: bytes, context):
        batch = ExportTraceServiceRequest.FromString(request)
        spans = sum(len(scope.spans) for resource in batch.resource_spans for scope in resource.scope_spans)
        with received.get_lock():
            received.value += spans
        return b""  # an empty ExportTraceServiceResponse: all accepted

    serve_raw(TRACE_SERVICE, "Export", export, 2, ports, stop)


def serve(settings: dict, ports, stop, environment: dict | None = None) -> None:
    """Child process: the redemption service until `stop` is set, with
    `environment` added to its environment variables."""
    os.environ.update(environment or {})
    from couponry_runtime.server import start_service
    from couponry_runtime.settings import Settings
    from couponry_services.redemption.app import DEFINITION

    service = start_service(DEFINITION, Settings(**settings), port=0)
    ports.put(service.port)
    stop.wait()
    service.stop(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("COUPONRY_BENCH_DATABASE_URL", DEFAULT_URL),
                        help=f"PostgreSQL URL (default {DEFAULT_URL}); a scratch schema is created and dropped")
    parser.add_argument("--clients", type=client_counts, default=[8],
                        help="concurrent client threads per phase (default 8); several counts separated by commas, "
                             "e.g. 4,8,16, run every phase at each of them and add each side's peak against the "
                             "floor's peak")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measured phase (default 5)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds of every phase; each ratio is their median (default 5)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="server processes (stateless replicas over the one database; default 1); "
                             "client threads are spread over them")
    parser.add_argument("--server-workers", type=int, default=0,
                        help="gRPC worker threads per server process (default: COUPONRY_MAX_WORKERS, "
                             "else the redemption service's default)")
    parser.add_argument("--load-generator", choices=("auto", "compiled", "python"), default="auto",
                        help="what drives the gRPC phases: the compiled client in scripts/loadgen, built on first "
                             "use (needs g++, pkg-config and libgrpc++-dev), or Python client threads; auto "
                             "takes the compiled one when it builds (default auto)")
    parser.add_argument("--python-client", action=argparse.BooleanOptionalAction, default=True,
                        help="with the compiled client, also drive RedeemCode from Python client threads, "
                             "for comparison (default on)")
    parser.add_argument("--untraced", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure RedeemCode on a second server whose calls are left out of tracing "
                             f"(OTEL_PYTHON_GRPC_EXCLUDED_SERVICES={UNTRACED_SERVICE}), to show what "
                             "tracing every checkout costs (default on)")
    parser.add_argument("--export-spans", action=argparse.BooleanOptionalAction, default=False,
                        help="also measure RedeemCode on a server that exports its spans over OTLP/gRPC "
                             "(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) to a receiver in another process that counts "
                             "and drops them, as a deployment with a collector does; the default server records "
                             "spans but has nowhere to send them (default off)")
    parser.add_argument("--mint", type=int, default=100_000, help="codes minted in one MintCodes call (default 100000)")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres", "postgresql")):
        parser.error("the benchmark needs PostgreSQL")
    loads: list[int] = args.clients
    sweep = len(loads) > 1

    load, load_note = None, "--load-generator python"
    if args.load_generator != "python":
        try:
            load = CompiledLoad.build()
        except RuntimeError as error:
            if args.load_generator == "compiled":
                parser.error(str(error))
            load_note = str(error)
            print(f"falling back to the Python client: {error}", file=sys.stderr)

    # Velocity limits stay on (their statements are part of every redeem) but
    # high enough for a benchmark; set before the service reads them.
    os.environ["COUPONRY_REDEMPTION_SUBJECT_ATTEMPTS_PER_MINUTE"] = "1000000"
    os.environ["COUPONRY_REDEMPTION_SOURCE_ATTEMPTS_PER_MINUTE"] = "1000000"

    from couponry.redemption.v1 import promotion_pb2 as ppb
    from couponry.redemption.v1 import redemption_pb2 as rpb
    from couponry.redemption.v1 import redemption_service_pb2 as api
    from couponry.redemption.v1 import redemption_service_pb2_grpc as api_grpc
    from couponry.type.v1 import money_pb2

    prefix = f"bench{uuid.uuid4().hex[:8]}_"
    schema = f"{prefix}redemption"
    settings = dict(data_dir=Path(tempfile.mkdtemp(prefix="couponry-bench-")), database_url=args.database_url,
                    database_schema_prefix=prefix, scheduler_enabled=False, shutdown_grace_seconds=0,
                    host="127.0.0.1")
    if args.server_workers:
        settings["max_workers"] = args.server_workers
    from couponry_runtime.settings import Settings
    from couponry_services.redemption.app import DEFINITION
    workers = DEFINITION.workers(Settings(**settings))
    dsn = args.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    # The database's CPU can be read only where it runs on this machine.
    database = database_cpu_seconds if is_local(dsn) else None
    # The server runs in a process of its own, as it would in production, so
    # that it does not share an interpreter lock with the client threads.
    spawn = multiprocessing.get_context("spawn")
    ports, stop = spawn.Queue(), spawn.Event()
    servers = []
    for _ in range(args.replicas):
        servers.append(spawn.Process(target=serve, args=(settings, ports, stop), daemon=True))
        servers[-1].start()
    targets = [f"127.0.0.1:{ports.get(timeout=120)}" for _ in servers]
    # The same service again, as many replicas each: left out of tracing by
    # the standard variable (what tracing every checkout costs), and sending
    # its spans to an OTLP receiver (what exporting them adds).
    variants: list[Variant] = []
    if args.untraced:
        variants.append(Variant("service not traced", {"OTEL_PYTHON_GRPC_EXCLUDED_SERVICES": UNTRACED_SERVICE}))
    # The receiver stops after the servers: an exporting server sends what
    # it still holds when it shuts down.
    sink, spans_received, sink_stop = None, spawn.Value("q", 0), spawn.Event()
    if args.export_spans:
        sink_ports = spawn.Queue()
        sink = spawn.Process(target=trace_sink, args=(sink_ports, sink_stop, spans_received), daemon=True)
        sink.start()
        exporting = Variant("spans exported over OTLP", {
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"http://127.0.0.1:{sink_ports.get(timeout=60)}",
            "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "true"})
        variants.append(exporting)
    for variant in variants:
        variant_ports = spawn.Queue()
        for _ in range(args.replicas):
            variant.processes.append(spawn.Process(target=serve, args=(settings, variant_ports, stop,
                                                                       variant.environment), daemon=True))
            variant.processes[-1].start()
        variant.targets = [f"127.0.0.1:{variant_ports.get(timeout=120)}" for _ in variant.processes]
    echo_ports = spawn.Queue()
    echo_server = spawn.Process(target=echo_serve, args=(workers, echo_ports, stop), daemon=True)
    echo_server.start()
    echo_target = f"127.0.0.1:{echo_ports.get(timeout=60)}"
    children: list = []  # child processes started once the schema exists
    target = targets[0]
    channel = grpc.insecure_channel(target)
    stub = api_grpc.RedemptionServiceStub(channel)
    eur = lambda amount: money_pb2.Money(currency_code="EUR", amount_minor=amount)  # noqa: E731
    order_pb = lambda order_id: rpb.Order(order_id=order_id, total=eur(10_000))  # noqa: E731
    discount = money_pb2.Discount(type=money_pb2.DISCOUNT_TYPE_FIXED_AMOUNT, amount=eur(500))
    report: list[str] = []
    try:
        # Bulk minting: one call, 100k codes.
        distinct = stub.CreatePromotion(api.CreatePromotionRequest(promotion=ppb.Promotion(
            display_name="bench distinct", discount=discount, currency_code="EUR", per_customer_limit=1,
            budget=eur(10**11), code_type=ppb.CODE_TYPE_PERSONAL,
            code_pattern=ppb.CodePattern(prefix="BENCH-", pattern="####-####")), request_id="bench-1")).promotion
        started = time.perf_counter()
        minted = stub.MintCodes(api.MintCodesRequest(promotion_id=distinct.promotion_id, count=args.mint,
                                                     request_id="bench-mint"), timeout=600).minted_count
        mint_seconds = time.perf_counter() - started
        # Enough codes that no phase runs out: every side redeems distinct codes of its own.
        side_count = 4 + len(variants)  # floor, bare server, RedeemCode, Python client, variants
        wanted, more = side_count * 2000 * int(args.seconds * args.rounds * len(loads) + 1), 0
        while minted + more < wanted:  # at most 100k codes per call
            more += stub.MintCodes(api.MintCodesRequest(
                promotion_id=distinct.promotion_id, count=min(100_000, wanted - minted - more),
                request_id=f"bench-mint-more-{more}"), timeout=600).minted_count
        with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
            keys = [row[0] for row in conn.execute("SELECT display FROM codes WHERE promotion_id = %s",
                                                   (distinct.promotion_id,))]
        # Distinct codes dealt out to the sides that redeem them.
        distinct_feeds = tuple(CodeFeed(keys[i::side_count]) for i in range(side_count))

        hot = stub.CreatePromotion(api.CreatePromotionRequest(promotion=ppb.Promotion(
            display_name="bench hot", discount=discount, currency_code="EUR", per_code_limit=10**9,
            per_customer_limit=1, budget=eur(10**11), code_type=ppb.CODE_TYPE_SHARED), request_id="bench-2")).promotion
        [hot_code] = stub.MintCodes(api.MintCodesRequest(promotion_id=hot.promotion_id, count=1,
                                                         request_id="bench-hot")).sample_codes
        shared = SharedCode(hot_code)

        floor_dsn = f"{dsn}{'&' if '?' in dsn else '?'}options=-csearch_path%3D{schema}"
        bare_ports = spawn.Queue()
        bare_server = spawn.Process(target=bare_serve, args=(floor_dsn, workers, bare_ports, stop), daemon=True)
        bare_server.start()
        children.append(bare_server)
        bare_target = f"127.0.0.1:{bare_ports.get(timeout=60)}"
        payload = api.RedeemCodeRequest(code=hot_code, subject_ref=f"grpc-{uuid.uuid4().hex[:16]}",
                                        order=order_pb("o-123456789012"), request_id=uuid.uuid4().hex
                                        ).SerializeToString()
        workloads = (("distinct codes", distinct_feeds, distinct.promotion_id),
                     ("one hot shared code", (shared,) * side_count, hot.promotion_id))
        client = "compiled client" if load else "Python client"

        def at(n: int) -> str:
            """How a name says its client count: only in a sweep."""
            return f", {n} clients" if sweep else ""

        def sides(title: str) -> dict[str, dict[int, Result]]:
            """One Result per workload and client count."""
            return {label: {n: Result(title.format(label=label) + at(n)) for n in loads} for label, _, _ in workloads}
        floors = sides("bare SQL floor, {label}")
        bares = sides(f"floor's transaction behind a bare gRPC server, {{label}}, {client}")
        served = sides(f"RedeemCode over gRPC, {{label}}, {client}")
        served_python = sides("RedeemCode over gRPC, {label}, Python client")
        for variant in variants:
            variant.results = sides(f"RedeemCode over gRPC, {{label}}, {client}, {variant.title}")
        # In the order of a workload's feeds.
        every_side = (floors, bares, served, served_python, *(variant.results for variant in variants))
        echoes = {n: Result(f"bare gRPC echo (no handler, no database), {client}" + at(n)) for n in loads}
        ran_out: set[str] = set()  # phases that ended early, out of codes: their figures are short

        def redeem_requests(codes: list[str]) -> list[bytes]:
            request = api.RedeemCodeRequest(order=order_pb(""))
            return [fill_redeem(request, code).SerializeToString() for code in codes]

        def drive(result: Result, clients: int, pids: list[int], to: list[str], method: str, feed, build,
                  python_worker, seconds: float | None = None) -> None:
            """One phase of `result` with `clients` callers against the
            servers `to`: from the compiled load generator (`build` makes its
            requests from codes), else from Python client threads
            (`python_worker(target, feed)`)."""
            seconds = args.seconds if seconds is None else seconds
            if not load:
                result.add(measured(pids, lambda: run_phase(
                    result.name, clients, seconds, lambda i: python_worker(to[i % len(to)], feed)),
                    own_cpu_seconds, database))
                return
            requests = build(feed.peek(int(2000 * seconds)))  # more than any phase gets through
            phase = measured(pids, lambda: load.run(result.name, ",".join(to), method, requests, clients,
                                                    seconds), children_cpu_seconds, database)
            feed.advance(phase.consumed)
            if phase.consumed >= len(requests):
                ran_out.add(result.name)
            result.add(phase)

        def redeem_worker(target: str, feed):
            return grpc_worker(target, feed.take, api, api_grpc, order_pb)

        def drive_bare(result: Result, clients: int, feed, promotion_id: str, seconds: float | None = None) -> None:
            """One phase of the floor's transaction behind the bare gRPC server."""
            drive(result, clients, [bare_server.pid], [bare_target], f"/{BARE_SERVICE}/Redeem", feed,
                  lambda codes: [f"{promotion_id} {code}".encode() for code in codes],
                  lambda target, feed: bare_worker(target, feed.take, promotion_id), seconds)

        # Every server under test (the bare gRPC server and each RedeemCode
        # server) has served before it is measured: its first calls
        # open database connections and prepare statements, which would
        # otherwise fall inside round 1. Unmeasured, on the hot code (which
        # never runs out).
        server_pids = [p.pid for p in servers]
        bare_warm_up, served_warm_up = Result("warm-up"), Result("warm-up")
        drive_bare(bare_warm_up, max(loads), shared, hot.promotion_id, seconds=1)
        drive(served_warm_up, max(loads), server_pids, targets, REDEEM_METHOD, shared, redeem_requests,
              redeem_worker, seconds=1)
        for variant in variants:
            drive(variant.warm_up, max(loads), variant.pids, variant.targets, REDEEM_METHOD, shared,
                  redeem_requests, redeem_worker, seconds=1)
        # Their redeems count against the hot promotion's limits.
        warm_ups = [bare_warm_up, served_warm_up, *(variant.warm_up for variant in variants)]

        # Floor and service alternate, round after round, so that a change in
        # what else the machine is doing hits both sides of each ratio alike.
        for _round in range(args.rounds):
            analyze_schema(dsn, schema)  # unmeasured, before every round
            for n in loads:
                for label, feeds, promotion_id in workloads:
                    floors[label][n].add(measured([os.getpid()], lambda: run_phase(
                        floors[label][n].name, n, args.seconds,
                        lambda i: floor_worker(floor_dsn, feeds[0].take, promotion_id, 500)), no_callers, database))
                    drive_bare(bares[label][n], n, feeds[1], promotion_id)
                    drive(served[label][n], n, server_pids, targets, REDEEM_METHOD, feeds[2], redeem_requests,
                          redeem_worker)
                    for variant, feed in zip(variants, feeds[4:]):
                        drive(variant.results[label][n], n, variant.pids, variant.targets, REDEEM_METHOD, feed,
                              redeem_requests, redeem_worker)
                    if load and args.python_client:
                        served_python[label][n].add(measured(server_pids, lambda: run_phase(
                            served_python[label][n].name, n, args.seconds,
                            lambda i: redeem_worker(targets[i % len(targets)], feeds[3])), own_cpu_seconds,
                            database))
                if load:
                    echoes[n].add(measured([echo_server.pid], lambda: load.run(
                        echoes[n].name, echo_target, f"/{ECHO_SERVICE}/Echo", [payload], n, args.seconds,
                        repeat=True), children_cpu_seconds))
                else:
                    echoes[n].add(measured([echo_server.pid], lambda: run_phase(
                        echoes[n].name, n, args.seconds, lambda i: echo_worker(echo_target, payload)),
                        own_cpu_seconds))

        for label, feeds, _ in workloads:
            for feed, side in zip(feeds, every_side):
                if feed.exhausted:
                    ran_out.update(result.name for result in side[label].values() if result.phases)

        # Limits: counters equal successes, the log agrees, no code used twice.
        violations = []
        for promotion, label in ((distinct, "distinct codes"), (hot, "one hot shared code")):
            successes = sum(result.merged.ok for side in every_side for result in side[label].values())
            if promotion is hot:
                successes += sum(warm_up.merged.ok for warm_up in warm_ups)
            got = stub.GetPromotion(api.GetPromotionRequest(promotion_id=promotion.promotion_id)).promotion
            if got.redemption_count != successes:
                violations.append(f"{promotion.display_name}: counter {got.redemption_count} != {successes} successes")
        consistent = stub.CheckConsistency(api.CheckConsistencyRequest(promotion_id=hot.promotion_id))
        if not consistent.consistent:
            violations.append("hot promotion: " + "; ".join(consistent.discrepancies))
        with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
            overused = conn.execute(
                "SELECT count(*) FROM (SELECT r.code FROM redemptions r JOIN codes c ON c.code = r.code "
                "WHERE r.state = 1 GROUP BY r.code, c.use_limit HAVING count(*) > c.use_limit) x").fetchone()[0]
            negative = conn.execute("SELECT count(*) FROM codes WHERE uses_remaining < 0").fetchone()[0]
        if overused or negative:
            violations.append(f"{overused} codes redeemed beyond their uses, {negative} below zero")

        report.append(f"PostgreSQL, {', '.join(map(str, loads))} clients, {args.rounds} interleaved rounds of "
                      f"{args.seconds:g} s per phase, {args.replicas} server process"
                      f"{'es' if args.replicas > 1 else ''} with {workers} gRPC workers; gRPC load from the "
                      + ("compiled client (scripts/loadgen)" if load else f"Python client ({load_note})"))
        with psycopg.connect(dsn) as conn:
            autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        report.append(f"autovacuum is {autovacuum} on this server; the benchmark analyzes its tables before every "
                      "round, so that long-lived server connections do not keep plans made on near-empty tables")
        report.append("")
        report.append("| phase | calls | throughput /s | p50 ms | p99 ms | vs floor | CPU ms/call: measured process "
                      "| callers | database | machine |")
        report.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

        def row(result: Result, vs: str) -> str:
            phase = result.merged
            extra = f" (failures: {phase.failures})" if phase.failures else ""
            cpu = " | ".join(figure(result.median(name))
                             for name in ("cpu_ms", "callers_ms", "database_ms", "machine_ms"))
            return (f"| {phase.name}{extra} | {phase.ok} | {phase.throughput:.0f} | {phase.pct(0.5):.2f} "
                    f"| {phase.pct(0.99):.2f} | {vs} | {cpu} |")
        compared = (("RedeemCode", served), ("bare gRPC server", bares),
                    ("RedeemCode with the Python client", served_python),
                    *((f"RedeemCode, {variant.title}", variant.results) for variant in variants))
        for label, _, _ in workloads:
            for n in loads:
                report.append(row(floors[label][n], "1.00"))
                for side in every_side[1:]:
                    if side[label][n].phases:
                        report.append(row(side[label][n],
                                          median_text(ratios(side[label][n], floors[label][n]))))
        for n in loads:
            report.append(row(echoes[n], "-"))
        report.append("")
        report.append("vs floor: median over rounds of the phase's throughput / the floor's in the same round, "
                      "at the same client count. CPU per successful call, median over rounds: of the measured "
                      "process (the client process for the floor, the server process for the others), of the "
                      "callers (the load generator or the Python client threads; the floor has none), of the "
                      "PostgreSQL server (when it runs on this machine) and of the whole machine.")
        for label, _, _ in workloads:
            for n in loads:
                for title, side in compared:
                    if side[label][n].phases:
                        report.append(f"{title} / floor per round, {label}{at(n)}: "
                                      + " ".join(f"{r:.2f}" for r in ratios(side[label][n], floors[label][n])))
        if sweep:
            # A fixed load favours whichever side degrades less there; each
            # side at its own best load compares the most each can do.
            for label, _, _ in workloads:
                floor_best = best_load(floors[label])
                for title, side in compared:
                    if not side[label][loads[0]].phases:
                        continue
                    per_round = peak_ratios(list(side[label].values()), list(floors[label].values()))
                    report.append(
                        f"Peak against peak, {title}, {label}: {median_text(per_round)} "
                        f"(best at {best_load(side[label])} clients, the floor at {floor_best}; per round: "
                        + " ".join(f"{r:.2f}" for r in per_round) + ")")
        # What the peak ratios follow on a busy machine, side by side with them.
        for label, _, _ in workloads:
            for title, side in compared:
                if not side[label][loads[0]].phases:
                    continue
                per_round = cpu_ratios(list(side[label].values()), list(floors[label].values()))
                if per_round:
                    report.append(f"CPU against the floor's, {title}, {label}: {median_text(per_round)} (the floor's "
                                  "machine CPU per call over this side's, each at its cheapest load; per round: "
                                  + " ".join(f"{r:.2f}" for r in per_round) + ")")
                # In production the callers run on hosts of their own; here
                # their CPU is taken from the side they call.
                per_round = cpu_ratios(list(side[label].values()), list(floors[label].values()), without_callers)
                if per_round:
                    report.append(f"CPU against the floor's, callers left out, {title}, {label}: "
                                  f"{median_text(per_round)} (the same, less the callers' CPU per call; per round: "
                                  + " ".join(f"{r:.2f}" for r in per_round) + ")")
        for label, _, _ in workloads:
            for n in loads:
                cores = served[label][n].median("cores")
                if cores is not None:
                    report.append(f"Server process(es) during RedeemCode, {label}{at(n)}: "
                                  f"{cores:.2f} cores busy")
        if sink is not None:
            time.sleep(6)  # the SDK sends a batch at least every 5 s: let the last one land
            results = [*(result for side in exporting.results.values() for result in side.values()),
                       exporting.warm_up]
            calls = sum(phase.ok + sum(phase.failures.values()) for result in results for phase in result.phases)
            report.append(f"Spans the OTLP receiver got from the exporting server: {spans_received.value} "
                          f"for {calls} calls" + ("" if spans_received.value >= calls else
                                                  " (the rest were dropped by the SDK's queue or are unsent)"))
        report.append(f"Bulk minting: {minted} codes in {mint_seconds:.2f} s = {minted / mint_seconds:.0f} codes/s "
                      f"(one MintCodes call)")
        report.append(f"Limit violations: {len(violations)}" + (f" {violations}" if violations else ""))
        if ran_out:
            report.append(f"NOT VALID: out of codes before time was up in {sorted(ran_out)}; "
                          "a faster machine needs more codes than this script mints")
        print("\n".join(report))
        return 1 if violations or ran_out else 0
    finally:
        channel.close()
        stop.set()
        for process in (*servers, echo_server, *children, *(p for variant in variants for p in variant.processes)):
            process.join(timeout=30)
        sink_stop.set()
        if sink is not None:
            sink.join(timeout=30)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    sys.exit(main())
