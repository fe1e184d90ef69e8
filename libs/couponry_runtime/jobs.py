"""Periodic jobs: one APScheduler per service, owned by the bootstrap.

Services register their jobs while they are built; the bootstrap starts the
scheduler once the server is serving (if COUPONRY_SCHEDULER_ENABLED) and stops
it on shutdown. A failing run is logged by exception type only (its text may
carry data) and the job runs again at its next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler


class Scheduler:
    def __init__(self, service: str) -> None:
        self._scheduler = BackgroundScheduler(timezone=UTC, daemon=True)
        self._log = logging.getLogger(f"couponry.{service}.jobs")

    def every(self, name: str, seconds: float, job: Callable[[], object], *, first_run: datetime | None = None) -> None:
        """Runs `job` every `seconds` (first at `first_run`, else after one interval), one run at a time."""
        def guarded() -> None:
            try:
                job()
            except Exception as error:  # noqa: BLE001 - a job must survive to run again
                self._log.error("%s failed: %s", name, type(error).__name__)

        self._scheduler.add_job(guarded, "interval", seconds=seconds, id=name, max_instances=1, coalesce=True,
                                **({"next_run_time": first_run} if first_run else {}))

    def run_soon(self, name: str) -> None:
        """Runs a job now rather than at its next tick; nothing if not running."""
        if self._scheduler.running:
            try:
                self._scheduler.modify_job(name, next_run_time=datetime.now(UTC))
            except Exception:  # noqa: BLE001 - at worst the job waits for its next tick
                pass

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
