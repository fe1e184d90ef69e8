"""Settings of the profile service alone, read from `COUPONRY_PROFILE_*`.

The shared settings (ports, database URLs, keyring path, scheduler switch)
live in `couponry_runtime.settings`; these are the knobs only the profile
service has. Every value is validated at start (fail fast).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ProfileConfig(BaseSettings):
    """Environment variable = `COUPONRY_PROFILE_` + upper-cased field name."""

    model_config = SettingsConfigDict(env_prefix="COUPONRY_PROFILE_", extra="ignore")

    event_retention_days: int = Field(
        180, ge=1, description="Interaction events older than this many days are purged.")
    retention_interval_seconds: float = Field(
        3600.0, gt=0, description="How often the retention purge runs.")
    checkpoint_interval_seconds: float = Field(
        3600.0, gt=0, description="How often a signed ledger checkpoint is made.")
    outbox_interval_seconds: float = Field(
        2.0, gt=0, description="How often undelivered peer notifications are retried.")
    outbox_call_timeout_seconds: float = Field(
        2.0, gt=0, description="Deadline of one delivery call; a peer that is down costs at most this per pass.")
    outbox_batch_size: int = Field(200, ge=1, le=5000, description="Outbox rows delivered per pass.")
    outbox_max_backoff_seconds: float = Field(
        300.0, gt=0, description="Longest wait between two delivery attempts of one notification.")
    blind_index_bytes: int = Field(
        16, ge=8, le=32, description="Length of a blind index (truncated HMAC-SHA256), in bytes.")
