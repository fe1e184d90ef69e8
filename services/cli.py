"""The `couponry` command: start the stack, start one service, and the
privacy and key tooling of the profile service."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from couponry_runtime.channels import plain_channel
from couponry_runtime.server import configure_logging, start_service, wait_for_shutdown
from couponry_runtime.settings import SERVICE_NAMES, Settings
from couponry_runtime.tls import channel_credentials

from .registry import definition

app = typer.Typer(
    name="couponry",
    help=(
        "couponry: consent-aware personalized coupons.\n\n"
        "Four gRPC services - profile (50051), segmentation (50052), campaign (50053) and "
        "redemption (50054). `couponry up` runs all four on this machine on embedded SQLite; "
        "`couponry serve SERVICE` runs one (what a container runs). Every option can also be "
        "set with a COUPONRY_* environment variable; see README.md."
    ),
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)
log = logging.getLogger("couponry")

DataDir = Annotated[Path | None, typer.Option(help="Directory for SQLite files and the development keyring (env COUPONRY_DATA_DIR; default ./.couponry).")]
Host = Annotated[str | None, typer.Option(help="Address to bind (env COUPONRY_HOST; default 127.0.0.1).")]
DatabaseUrl = Annotated[str | None, typer.Option(help="PostgreSQL URL shared by the services, one schema each (env COUPONRY_DATABASE_URL; default: SQLite files).")]
LogLevel = Annotated[str | None, typer.Option(help="Logging level (env COUPONRY_LOG_LEVEL; default INFO).")]


def _settings(**overrides) -> Settings:
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except Exception as error:  # pydantic's ValidationError names the bad variable
        console.print(f"[red]invalid configuration:[/red] {error}")
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    return settings


@app.command()
def up(
    data_dir: DataDir = None,
    host: Host = None,
    profile_port: Annotated[int | None, typer.Option(help="Profile port (env COUPONRY_PROFILE_PORT; default 50051).")] = None,
    segmentation_port: Annotated[int | None, typer.Option(help="Segmentation port (env COUPONRY_SEGMENTATION_PORT; default 50052).")] = None,
    campaign_port: Annotated[int | None, typer.Option(help="Campaign port (env COUPONRY_CAMPAIGN_PORT; default 50053).")] = None,
    redemption_port: Annotated[int | None, typer.Option(help="Redemption port (env COUPONRY_REDEMPTION_PORT; default 50054).")] = None,
    database_url: DatabaseUrl = None,
    log_level: LogLevel = None,
) -> None:
    """Start all four services in this process until Ctrl-C or SIGTERM.

    Creates the data directory and, on first start, a development keyring in it
    (owner-only permissions). Logs one line per service when it is ready.
    """
    settings = _settings(data_dir=data_dir, host=host, profile_port=profile_port,
                         segmentation_port=segmentation_port, campaign_port=campaign_port,
                         redemption_port=redemption_port, database_url=database_url, log_level=log_level)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # keyring and profile data inside
    running = []
    try:
        for name in SERVICE_NAMES:
            running.append(start_service(definition(name), settings))
    except Exception as error:
        for service in reversed(running):
            service.stop(0)
        console.print(f"[red]could not start {len(running) and SERVICE_NAMES[len(running)] or SERVICE_NAMES[0]}:[/red] {type(error).__name__}: {error}")
        raise typer.Exit(1) from None
    log.info("couponry is up (data in %s); Ctrl-C to stop", settings.data_dir.resolve())
    wait_for_shutdown(running)


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICE_NAMES)}.", show_default=False)],
    port: Annotated[int | None, typer.Option(help="Port (default: the service's COUPONRY_<SERVICE>_PORT).")] = None,
    data_dir: DataDir = None,
    host: Host = None,
    database_url: DatabaseUrl = None,
    log_level: LogLevel = None,
) -> None:
    """Start one service until SIGTERM (drains in-flight calls, then exits).

    Peers are found through COUPONRY_<SERVICE>_TARGET (e.g. profile:50051).
    """
    if service not in SERVICE_NAMES:
        console.print(f"[red]unknown service {service!r}[/red]; one of {', '.join(SERVICE_NAMES)}")
        raise typer.Exit(2)
    overrides = {f"{service}_port": port} if port is not None else {}
    settings = _settings(data_dir=data_dir, host=host, database_url=database_url, log_level=log_level, **overrides)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # keyring and profile data inside
    wait_for_shutdown([start_service(definition(service), settings)])


@app.command()
def health(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICE_NAMES)}.", show_default=False)],
    target: Annotated[str | None, typer.Option(help="host:port to ask (default: the service's configured target).")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for an answer.")] = 2.0,
) -> None:
    """Ask a running service's gRPC health service; exit 0 only if SERVING.

    Used by container health checks; Kubernetes uses its native gRPC probes.
    Speaks TLS (and presents the service's certificate) when COUPONRY_TLS_* are set.
    """
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    if service not in SERVICE_NAMES:
        console.print(f"[red]unknown service {service!r}[/red]; one of {', '.join(SERVICE_NAMES)}")
        raise typer.Exit(2)
    settings = Settings()
    address = target or settings.target(service)
    full_name = definition(service).full_name
    with plain_channel(address, channel_credentials(settings)) as channel:
        try:
            status = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=full_name), timeout=timeout).status
        except grpc.RpcError as error:
            console.print(f"{service} at {address}: {error.code().name}")
            raise typer.Exit(1) from None
    name = health_pb2.HealthCheckResponse.ServingStatus.Name(status)
    console.print(f"{service} at {address}: {name}")
    raise typer.Exit(0 if status == health_pb2.HealthCheckResponse.SERVING else 1)


def _mount_profile_tools() -> None:
    # The profile service owns keys and the consent ledger; its tools live
    # with it and are mounted here so operators have one command.
    try:
        from .profile.cli import audit_app, keys_app
    except ImportError:  # pragma: no cover - only while the profile tools are absent
        return
    from .campaign.cli import register as register_decision_audit

    register_decision_audit(audit_app)
    app.add_typer(keys_app, name="keys", help="Manage the key-encryption keyring (rotate, retire, list).")
    app.add_typer(audit_app, name="audit", help="Audit the consent ledger and export a data subject's data.")


_mount_profile_tools()


def main() -> None:
    os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "0")
    app()


if __name__ == "__main__":
    main()
