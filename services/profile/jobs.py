"""Scheduled work of the profile service (APScheduler): outbox delivery,
signed ledger checkpoints and the retention purge of interaction events.

Every job is also a plain callable, so tests and the CLI can run it directly.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from couponry_runtime.db import Database
from couponry_runtime.jobs import Scheduler

from .config import ProfileConfig
from .outbox import Dispatcher
from .service import ProfileCore, purge_old_events

log = logging.getLogger("couponry.profile.jobs")


class ProfileJobs:
    """The profile service's jobs, on the service's scheduler."""

    def __init__(self, database: Database, core: ProfileCore, dispatcher: Dispatcher, config: ProfileConfig,
                 scheduler: Scheduler) -> None:
        self.database = database
        self.core = core
        self.dispatcher = dispatcher
        self.config = config
        self.scheduler = scheduler
        scheduler.every("outbox", config.outbox_interval_seconds, self.deliver_outbox)
        scheduler.every("checkpoint", config.checkpoint_interval_seconds, self.checkpoint)
        scheduler.every("retention", config.retention_interval_seconds, self.purge, first_run=datetime.now(UTC))

    # the jobs (a failed run is logged by the scheduler and retried at the next tick)

    def deliver_outbox(self) -> None:
        result = self.dispatcher.run_once()
        if result.delivered or result.failed:
            log.info("outbox: %d delivered, %d not acknowledged", result.delivered, result.failed)

    def checkpoint(self) -> None:
        row = self.database.run(self.core.ledger.checkpoint)
        log.info("ledger checkpoint signed at sequence %d", row.sequence)

    def purge(self) -> None:
        purged = purge_old_events(self.database, self.config)
        log.info("retention purge removed %d interaction events", purged)

    def wake_outbox(self) -> None:
        """Runs the outbox job now rather than at its next tick."""
        self.scheduler.run_soon("outbox")
