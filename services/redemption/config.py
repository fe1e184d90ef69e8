"""Redemption-only settings, read from `COUPONRY_REDEMPTION_*` environment
variables (the shared `couponry_runtime.settings.Settings` holds the rest).

Every value is validated when the service is built, so a bad one stops the
process before it serves anything.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RedemptionSettings(BaseSettings):
    """Environment variable = `COUPONRY_REDEMPTION_` + upper-cased field name."""

    model_config = SettingsConfigDict(env_prefix="COUPONRY_REDEMPTION_", extra="ignore")

    hold_seconds: int = Field(900, ge=1, le=86_400,
                              description="Default time a ReserveCode hold lasts (15 minutes).")
    max_hold_seconds: int = Field(3600, ge=1, le=86_400, description="Longest hold a caller may ask for.")
    subject_attempts_per_minute: int = Field(
        30, ge=0, description="Validate/reserve/redeem attempts one subject may make per minute; 0 = unlimited.")
    source_attempts_per_minute: int = Field(
        120, ge=0, description="Attempts per minute from one source_fingerprint (device/IP hash); 0 = unlimited.")
    not_found_threshold: int = Field(
        10, ge=0, description="CODE_NOT_FOUND answers to one source (or subject) per window before it is "
                              "locked out; 0 = never lock out.")
    not_found_window_seconds: int = Field(
        600, ge=1, description="Window of the not-found count; a locked-out source stays locked for the rest "
                               "of this window and the whole next one.")
    expiry_interval_seconds: int = Field(60, ge=1, description="How often the expiry job runs.")
    max_amount_minor: int = Field(10**12, ge=1, description="Largest order, line or budget amount accepted.")
