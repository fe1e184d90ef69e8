"""The statements every validate/reserve/redeem runs, as plain SQL sent
through the driver on the transaction's own connection.

These few statements run on every checkout, so they skip SQLAlchemy's
statement building and compilation (which cost more CPU than the database
round trips). The SQL is written once with `:name` placeholders, valid on
PostgreSQL and SQLite alike (PostgreSQL gets it in positional form), and
the benchmark's bare-SQL floor sends the very same statements. Everything
else in the service uses SQLAlchemy Core.
"""

from __future__ import annotations

import json
import operator
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.orm import Session

# What the driver raises on a duplicate key when it is used directly.
DRIVER_INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)

VIEW_COLUMNS = (
    "worst", "code", "display", "promotion_id", "subject_ref", "code_state", "use_limit", "uses_remaining",
    "expire_time", "publish_time", "code_create_time", "campaign_id", "discount_type", "percent",
    "percent_cap_minor", "amount_minor", "gift_sku", "currency_code", "minimum_order_minor", "scope", "start_time",
    "end_time", "per_customer_limit", "total_redemption_limit", "budget_minor", "code_type", "promotion_state",
    "redemption_count", "discount_spent_minor",
)
_TIMES = ("expire_time", "publish_time", "code_create_time", "start_time", "end_time")

SQL = {
    # One more attempt in a fixed window; returns the window's count.
    "bump": "INSERT INTO rate_counters (counter_key, window_start, count) VALUES (:key, :window, 1) "
            "ON CONFLICT (counter_key, window_start) DO UPDATE SET count = rate_counters.count + 1 "
            "RETURNING count",
    # The guessing lock-out and the code with its promotion, in one round trip;
    # a row even when the code does not exist.
    "view": "SELECT (SELECT max(r.count) FROM rate_counters r WHERE r.counter_key IN (:nf_subject, :nf_source) "
            "AND r.window_start IN (:nf_window, :nf_previous)) AS worst, "
            "c.code, c.display, c.promotion_id, c.subject_ref, c.state, c.use_limit, c.uses_remaining, "
            "c.expire_time, c.publish_time, c.create_time, p.campaign_id, p.discount_type, p.percent, "
            "p.percent_cap_minor, p.amount_minor, p.gift_sku, p.currency_code, p.minimum_order_minor, p.scope, "
            "p.start_time, p.end_time, p.per_customer_limit, p.total_redemption_limit, p.budget_minor, "
            "p.code_type, p.state, p.redemption_count, p.discount_spent_minor "
            "FROM (SELECT 1 AS one) AS one LEFT JOIN codes c ON c.code = :key "
            "LEFT JOIN promotions p ON p.promotion_id = c.promotion_id",
    "idempotency": "INSERT INTO idempotency_keys (method, request_id, request_hash, response, create_time) "
                   "VALUES (:method, :request_id, :request_hash, :response, :create_time)",
    "redemption": "INSERT INTO redemptions (redemption_id, code, promotion_id, campaign_id, subject_ref, order_id, "
                  "order_total_minor, currency_code, discount_minor, state, redeem_time, rollback_time, "
                  "rollback_reason, issue_time, reservation_id) VALUES (:redemption_id, :code, :promotion_id, "
                  ":campaign_id, :subject_ref, :order_id, :order_total_minor, :currency_code, :discount_minor, "
                  ":state, :redeem_time, NULL, '', :issue_time, NULL)",
    "reservation": "INSERT INTO reservations (reservation_id, code, promotion_id, subject_ref, order_id, "
                   "order_total_minor, currency_code, discount_minor, state, expire_time, redemption_id, "
                   "issue_time, create_time) VALUES (:reservation_id, :code, :promotion_id, :subject_ref, "
                   ":order_id, :order_total_minor, :currency_code, :discount_minor, :state, :expire_time, NULL, "
                   ":issue_time, :create_time)",
    "attempt": "INSERT INTO attempts (attempt_time, action, outcome, reason, promotion_id, campaign_id, code, "
               "subject_ref, order_id, order_total_minor, currency_code, discount_minor, delta_count, "
               "delta_discount_minor, reference_id) VALUES (:attempt_time, :action, :outcome, :reason, "
               ":promotion_id, :campaign_id, :code, :subject_ref, :order_id, :order_total_minor, :currency_code, "
               ":discount_minor, :delta_count, :delta_discount_minor, :reference_id)",
    # The conditional decrements, coldest row first, the promotion row last.
    "customer": "INSERT INTO customer_counters (promotion_id, subject_ref, redemption_count) "
                "VALUES (:promotion_id, :subject_ref, 1) ON CONFLICT (promotion_id, subject_ref) DO UPDATE "
                "SET redemption_count = customer_counters.redemption_count + 1 "
                "WHERE :limit = 0 OR customer_counters.redemption_count < :limit "
                "RETURNING redemption_count",
    "code": "UPDATE codes SET uses_remaining = uses_remaining - 1 "
            "WHERE code = :code AND state = 1 AND uses_remaining > 0",
    "promotion": "UPDATE promotions SET redemption_count = redemption_count + 1, "
                 "discount_spent_minor = discount_spent_minor + :discount "
                 "WHERE promotion_id = :promotion_id AND state = 1 "
                 "AND (total_redemption_limit = 0 OR redemption_count < total_redemption_limit) "
                 "AND (budget_minor IS NULL OR discount_spent_minor + :discount <= budget_minor)",
    # Why a code or a promotion refused, after its conditional UPDATE did not match.
    "code_state": "SELECT state FROM codes WHERE code = :code",
    # Why a promotion refused, after its conditional UPDATE did not match.
    "promotion_state": "SELECT state, total_redemption_limit, redemption_count FROM promotions "
                       "WHERE promotion_id = :promotion_id",
}

_PLACEHOLDER = re.compile(r"(?<!:):(\w+)")


def _positional(text: str) -> tuple[str, Callable[[dict[str, Any]], tuple]]:
    """`:name` SQL as psycopg's positional `%s` form, with the function that
    lines a dict of parameters up in placeholder order (a name used twice
    is sent twice). Positional parameters cost psycopg noticeably less CPU
    per statement than named ones, and these run on every checkout."""
    names = _PLACEHOLDER.findall(text)
    line_up = operator.itemgetter(*names) if len(names) > 1 else (lambda params: (params[names[0]],))
    return _PLACEHOLDER.sub("%s", text), line_up


# sqlite3 takes :name as written; psycopg gets the positional form.
POSTGRES_SQL = {name: _positional(text) for name, text in SQL.items()}


def postgres_statement(name: str, **params: Any) -> tuple[str, tuple]:
    """(SQL, parameters) of a hot-path statement as it is sent to PostgreSQL."""
    text, line_up = POSTGRES_SQL[name]
    return text, line_up(params)


class Hot:
    """The hot-path statements on the connection of one transaction."""

    def __init__(self, session: Session | Connection) -> None:
        connection = session if isinstance(session, Connection) else session.connection()
        self.sqlite = connection.dialect.name == "sqlite"
        # One cursor per driver connection, kept between transactions: making
        # one costs about as much as a statement's own client-side work.
        # `info` belongs to the driver connection: SQLAlchemy clears it when
        # it replaces a broken or recycled one, and the cursor goes with it.
        cursor = connection.info.get("couponry_hot_cursor")
        if cursor is None:
            cursor = connection.info["couponry_hot_cursor"] = connection.connection.driver_connection.cursor()
        self.cursor = cursor

    def time(self, value: datetime | None):
        """A datetime as the column stores it (SQLAlchemy's text format on SQLite)."""
        if value is None or not self.sqlite:
            return value
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def execute(self, name: str, **params: Any):
        if self.sqlite:
            self.cursor.execute(SQL[name], params)
        else:
            self.cursor.execute(*postgres_statement(name, **params))
        return self.cursor

    def insert_codes(self, batch: dict[str, str], promotion_id: str, use_limit: int | None,
                     now: datetime) -> int:
        """Inserts unpublished codes (key -> display) that do not exist yet; returns how many were new."""
        if self.sqlite:
            rows = [(key, display, promotion_id, use_limit, use_limit, self.time(now))
                    for key, display in batch.items()]
            self.cursor.executemany(
                "INSERT INTO codes (code, display, promotion_id, subject_ref, state, use_limit, uses_remaining, "
                "expire_time, publish_time, create_time) VALUES (?, ?, ?, NULL, 1, ?, ?, NULL, NULL, ?) "
                "ON CONFLICT (code) DO NOTHING", rows)
            return self.cursor.rowcount
        self.cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS minting (code text, display text) "
                            "ON COMMIT DELETE ROWS")
        with self.cursor.copy("COPY minting (code, display) FROM STDIN") as copy:
            for key, display in batch.items():
                copy.write_row((key, display))
        self.cursor.execute(
            "INSERT INTO codes (code, display, promotion_id, subject_ref, state, use_limit, uses_remaining, "
            "expire_time, publish_time, create_time) SELECT code, display, %(promotion_id)s, NULL, 1, "
            "CAST(%(use_limit)s AS integer), CAST(%(use_limit)s AS integer), NULL, NULL, "
            "CAST(%(now)s AS timestamptz) FROM minting ON CONFLICT (code) DO NOTHING",
            dict(promotion_id=promotion_id, use_limit=use_limit, now=now))
        inserted = self.cursor.rowcount
        self.cursor.execute("DELETE FROM minting")
        return inserted

    def view(self, params: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None]:
        """(the highest not-found count of the attempt's sources, the code with its promotion or None)."""
        row = self.execute("view", **params).fetchone()
        worst = row[0]
        if row[1] is None:
            return worst, None
        view = dict(zip(VIEW_COLUMNS, row))
        if self.sqlite:
            for name in _TIMES:
                if isinstance(view[name], str):
                    view[name] = datetime.fromisoformat(view[name]).replace(tzinfo=UTC)
        if isinstance(view["scope"], str):
            view["scope"] = json.loads(view["scope"])
        return worst, view
