"""Scheduled work of the profile service (APScheduler): outbox delivery,
signed ledger checkpoints and the retention purge of interaction events.

Every job is also a plain callable, so tests and the CLI can run it directly.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from couponry_runtime.db import Database

from .config import ProfileConfig
from .outbox import Dispatcher
from .service import ProfileCore, purge_old_events

log = logging.getLogger("couponry.profile.jobs")


class ProfileJobs:
    def __init__(self, database: Database, core: ProfileCore, dispatcher: Dispatcher, config: ProfileConfig) -> None:
        self.database = database
        self.core = core
        self.dispatcher = dispatcher
        self.config = config
        self.scheduler: BackgroundScheduler | None = None

    # the jobs

    def deliver_outbox(self) -> None:
        try:
            result = self.dispatcher.run_once()
            if result.delivered or result.failed:
                log.info("outbox: %d delivered, %d not acknowledged", result.delivered, result.failed)
        except Exception as error:  # noqa: BLE001 - a job must survive to run again
            log.error("outbox pass failed: %s", type(error).__name__)

    def checkpoint(self) -> None:
        try:
            row = self.database.run(self.core.ledger.checkpoint)
            log.info("ledger checkpoint signed at sequence %d", row.sequence)
        except Exception as error:  # noqa: BLE001
            log.error("ledger checkpoint failed: %s", type(error).__name__)

    def purge(self) -> None:
        try:
            purged = purge_old_events(self.database, self.config)
            log.info("retention purge removed %d interaction events", purged)
        except Exception as error:  # noqa: BLE001
            log.error("retention purge failed: %s", type(error).__name__)

    # lifecycle

    def start(self) -> None:
        scheduler = BackgroundScheduler(timezone=UTC)
        common = dict(max_instances=1, coalesce=True)
        scheduler.add_job(self.deliver_outbox, "interval", seconds=self.config.outbox_interval_seconds,
                          id="outbox", **common)
        scheduler.add_job(self.checkpoint, "interval", seconds=self.config.checkpoint_interval_seconds,
                          id="checkpoint", **common)
        scheduler.add_job(self.purge, "interval", seconds=self.config.retention_interval_seconds, id="retention",
                          next_run_time=datetime.now(UTC), **common)
        scheduler.start()
        self.scheduler = scheduler

    def wake_outbox(self) -> None:
        """Runs the outbox job now rather than at its next tick."""
        if self.scheduler is not None and self.scheduler.running:
            try:
                self.scheduler.modify_job("outbox", next_run_time=datetime.now(UTC))
            except Exception:  # noqa: BLE001 - at worst delivery waits for the next tick
                pass

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None
