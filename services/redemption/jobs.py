"""Scheduled work of the redemption service (APScheduler)."""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from couponry_runtime.convert import utcnow
from couponry_runtime.db import Database

from . import service

log = logging.getLogger("couponry.redemption.jobs")


def run_expiry(database: Database, now: datetime | None = None) -> dict[str, int]:
    """Expires held reservations (giving their uses back), codes and promotions
    past their window; tests call this directly with a chosen `now`."""
    counts = service.expire_due(database, now or utcnow())
    if any(counts.values()):
        log.info("expired %d reservations, %d codes, %d promotions",
                 counts["reservations"], counts["codes"], counts["promotions"])
    return counts


class Jobs:
    """The expiry job on a background scheduler, started and stopped with the server."""

    def __init__(self, database: Database, interval_seconds: int) -> None:
        self.database = database
        self.interval_seconds = interval_seconds
        self.scheduler: BackgroundScheduler | None = None

    def _tick(self) -> None:
        try:
            run_expiry(self.database)
        except Exception as error:  # noqa: BLE001 - the next run retries; never crash the scheduler
            log.error("expiry job failed: %s", type(error).__name__)

    def start(self) -> None:
        self.scheduler = BackgroundScheduler(timezone="UTC")
        self.scheduler.add_job(self._tick, "interval", seconds=self.interval_seconds, id="redemption-expiry",
                               max_instances=1, coalesce=True, next_run_time=utcnow())
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None
