"""Configuration, read only from `COUPONRY_*` environment variables.

Every setting is validated at start so that a bad value stops the process
before it serves anything (fail fast), never half-way through a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_NAMES: tuple[str, ...] = ("profile", "segmentation", "campaign", "redemption")
ServiceName = Literal["profile", "segmentation", "campaign", "redemption"]


class Settings(BaseSettings):
    """All settings. Environment variable = `COUPONRY_` + upper-cased field name."""

    model_config = SettingsConfigDict(env_prefix="COUPONRY_", extra="ignore")

    data_dir: Path = Field(Path(".couponry"), description="Directory for SQLite files and the development keyring.")
    host: str = Field("127.0.0.1", description="Address every service binds to.")
    profile_port: int = Field(50051, ge=0, le=65535, description="Port of the profile service.")
    segmentation_port: int = Field(50052, ge=0, le=65535, description="Port of the segmentation service.")
    campaign_port: int = Field(50053, ge=0, le=65535, description="Port of the campaign service.")
    redemption_port: int = Field(50054, ge=0, le=65535, description="Port of the redemption service.")
    profile_target: str | None = Field(None, description="gRPC target of the profile service (default host:port).")
    segmentation_target: str | None = Field(None, description="gRPC target of the segmentation service.")
    campaign_target: str | None = Field(None, description="gRPC target of the campaign service.")
    redemption_target: str | None = Field(None, description="gRPC target of the redemption service.")
    database_url: str | None = Field(
        None,
        description="Shared PostgreSQL URL; each service then uses its own schema. Unset: one SQLite file per service.",
    )
    database_schema_prefix: str = Field("couponry_", description="Prefix of per-service PostgreSQL schemas.")
    profile_database_url: str | None = Field(None, description="Database URL of the profile service alone.")
    segmentation_database_url: str | None = Field(None, description="Database URL of the segmentation service alone.")
    campaign_database_url: str | None = Field(None, description="Database URL of the campaign service alone.")
    redemption_database_url: str | None = Field(None, description="Database URL of the redemption service alone.")
    rpc_timeout_seconds: float = Field(2.0, gt=0, description="Deadline of every call to another service.")
    shutdown_grace_seconds: float = Field(10.0, ge=0, description="Time in-flight RPCs get to finish on SIGTERM.")
    max_workers: int | None = Field(
        None, ge=1, description="gRPC server worker threads per service (default: the service's own, see README).")
    log_level: str = Field("INFO", description="Python logging level.")
    keyring_path: Path | None = Field(None, description="Key-encryption keyring file (default data_dir/keyring.json).")
    idempotency_retention_hours: int = Field(
        168, ge=1, description="How long a request_id's first response is kept for retries (then purged hourly).")
    tls_cert_file: Path | None = Field(None, description="PEM certificate this service presents (server and client).")
    tls_key_file: Path | None = Field(None, description="PEM private key of that certificate.")
    tls_ca_file: Path | None = Field(
        None, description="PEM CA bundle peers are verified against; with a certificate set, servers require "
                          "client certificates signed by it (mutual TLS).")
    scheduler_enabled: bool = Field(True, description="Run scheduled jobs (expiry, retention, checkpoints, outbox).")

    @field_validator("database_schema_prefix")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.replace("_", "a").isalnum() or not value[:1].isalpha():
            raise ValueError("must be letters, digits and underscores, starting with a letter")
        return value.lower()

    @model_validator(mode="after")
    def _tls_pairs(self) -> Settings:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("COUPONRY_TLS_CERT_FILE and COUPONRY_TLS_KEY_FILE go together")
        for name in ("tls_cert_file", "tls_key_file", "tls_ca_file"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"COUPONRY_{name.upper()} {path} is not a readable file")
        return self

    @property
    def tls_enabled(self) -> bool:
        return self.tls_cert_file is not None or self.tls_ca_file is not None

    def port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))

    def target(self, service: str) -> str:
        explicit = getattr(self, f"{service}_target")
        if explicit:
            return explicit
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "[::]") else self.host
        return f"{host}:{self.port(service)}"

    def resolved_keyring_path(self) -> Path:
        return self.keyring_path or self.data_dir / "keyring.json"

    def database_url_for(self, service: str) -> tuple[str, str | None]:
        """The URL a service connects to and, on PostgreSQL, the schema it owns."""
        explicit = getattr(self, f"{service}_database_url")
        if explicit:
            return explicit, None
        if self.database_url:
            if self.database_url.startswith("sqlite"):
                raise ValueError("COUPONRY_DATABASE_URL is for PostgreSQL; SQLite gets one file per service by default")
            return self.database_url, f"{self.database_schema_prefix}{service}"
        return f"sqlite:///{(self.data_dir / f'{service}.db').resolve()}", None
