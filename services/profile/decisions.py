"""The decision log: every AuthorizePersonalization answer, for the data
subject's export and for audit.

Decisions are written in batches by a background thread (every
`flush_interval` seconds or every `batch_size` decisions) rather than one
transaction per call: the consent check is on the hot path of every offer and
must cost about as much as a plain read. The decision id and the ledger
position it was based on are returned to the caller at once (campaign keeps
them in its own offer decision log), so the only thing a crash can lose is
the last fraction of a second of this secondary copy. `flush()` writes
everything pending synchronously; export and erasure call it first.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select

from couponry_runtime.db import Database

from .repository import CustomerRow, DecisionRow

log = logging.getLogger("couponry.profile.decisions")


class DecisionLog:
    def __init__(self, database: Database, flush_interval: float = 0.25, batch_size: int = 500) -> None:
        self.database = database
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, **values) -> None:
        with self._lock:
            self._pending.append(values)
            size = len(self._pending)
            if self._thread is None and not self._stopped.is_set():
                self._thread = threading.Thread(target=self._loop, name="profile-decisions", daemon=True)
                self._thread.start()
        if self._stopped.is_set():
            self.flush()  # shutting down: in-flight calls write their own
        elif size >= self.batch_size:
            self._wake.set()

    def flush(self) -> int:
        """Writes every pending decision now; returns how many were written."""
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                with self.database.transaction() as session:
                    ids = {d["customer_id"] for d in batch}
                    erased = set(session.scalars(select(CustomerRow.customer_id).where(
                        CustomerRow.customer_id.in_(ids), CustomerRow.erase_time.is_not(None))))
                    rows = [DecisionRow(**d) for d in batch if d["customer_id"] not in erased]
                    session.add_all(rows)
                return len(rows)
            except Exception as error:  # noqa: BLE001 - keep them for the next attempt
                with self._lock:
                    self._pending = batch + self._pending
                log.error("decision log flush failed: %s", type(error).__name__)
                return 0

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            self.flush()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()
