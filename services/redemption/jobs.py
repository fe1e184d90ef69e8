"""Scheduled work of the redemption service (APScheduler)."""

from __future__ import annotations

import logging
from datetime import datetime

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
