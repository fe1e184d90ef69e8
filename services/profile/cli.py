"""`couponry keys …` and `couponry audit …`: the profile service's key and
audit tooling.

Commands work on the profile database and keyring directly (the same
COUPONRY_* settings the service reads), or, where `--target` is given, over
gRPC against a running profile service. Output names subjects by subject
reference only; `audit export` is the one command that prints personal data,
because that is what a data subject access request is.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from couponry_runtime.db import Database
from couponry_runtime.errors import DomainError
from couponry_runtime.settings import Settings

from .config import ProfileConfig
from .domain import EntryKind
from .keyring import FileKeyring
from .ledger import BROKEN_LINK, CHECKPOINT_MISMATCH, GAP, HASH_MISMATCH

MIGRATIONS = Path(__file__).parent / "migrations"
VIOLATION_NAMES = {HASH_MISMATCH: "HASH_MISMATCH (edited)", BROKEN_LINK: "BROKEN_LINK (reordered or inserted)",
                   GAP: "GAP (deleted)", CHECKPOINT_MISMATCH: "CHECKPOINT_MISMATCH"}

out = Console()
err = Console(stderr=True)

keys_app = typer.Typer(
    help=("Manage the profile service's key-encryption keys (KEKs).\n\n"
          "Each customer's personal fields are encrypted with their own data key; data keys are wrapped by a "
          "versioned KEK from the keyring (COUPONRY_KEYRING_PATH, default <data dir>/keyring.json). Rotation "
          "adds a KEK version and rewraps every data key without decrypting any personal field; an old version "
          "can be retired once nothing is wrapped with it."),
    no_args_is_help=True, add_completion=False)
audit_app = typer.Typer(
    help=("Audit the consent ledger and answer data subject access requests.\n\n"
          "The ledger is append-only and hash-chained; signed checkpoints (Ed25519) pin its head. `verify` walks "
          "the chain and checks every checkpoint, reporting each edited, reordered or deleted entry by sequence "
          "number."),
    no_args_is_help=True, add_completion=False)

Target = Annotated[str | None, typer.Option(
    help="host:port of a running profile service to ask over gRPC instead of opening the database directly.")]


class _Local:
    """The profile database, keyring and core, opened from the environment."""

    def __init__(self) -> None:
        from .service import ProfileCore

        self.settings = Settings()
        url, schema = self.settings.database_url_for("profile")
        self.database = Database.open(url, schema, MIGRATIONS)
        self.keyring = FileKeyring.open_or_create(self.settings.resolved_keyring_path())
        self.core = ProfileCore(keys=self.keyring, secrets=self.keyring.secrets, config=ProfileConfig())

    def __enter__(self) -> _Local:
        return self

    def __exit__(self, *exc) -> None:
        self.database.close()


def _local() -> _Local:
    try:
        return _Local()
    except DomainError as error:
        err.print(f"[red]{error.reason}[/red]: {error.message}")
        raise typer.Exit(2) from None


def _stub(target: str):
    import grpc

    from couponry.profile.v1 import profile_service_pb2_grpc

    return profile_service_pb2_grpc.ProfileServiceStub(grpc.insecure_channel(target))


def _rpc(call):
    import grpc

    from couponry_runtime.errors import parse_rpc_error
    try:
        return call()
    except grpc.RpcError as error:
        rich = parse_rpc_error(error)
        err.print(f"[red]{rich.code.name}[/red] {rich.reason or ''}: {rich.message}")
        raise typer.Exit(1) from None


def _fail(error: DomainError) -> None:
    err.print(f"[red]{error.reason}[/red]: {error.message}")
    raise typer.Exit(1)


# -- keys ---------------------------------------------------------------------------

@keys_app.command("list")
def keys_list() -> None:
    """List every KEK version with its state and how many data keys it wraps.

    Shows version, state (active or retired), whether it is current, the number
    of data keys wrapped with it, and creation and retirement times. Key
    material is never shown.
    """
    from .service import keys_per_version

    with _local() as local:
        counts = local.database.run(keys_per_version)
        current = local.keyring.current_version()
        table = Table(title="key-encryption keys")
        for column in ("version", "state", "current", "data keys", "created", "retired"):
            table.add_column(column)
        for info in local.keyring.versions():
            table.add_row(str(info.version), info.state, "yes" if info.version == current else "",
                          str(counts.get(info.version, 0)), info.create_time, info.retire_time or "")
        out.print(table)


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Add a new KEK version, make it current and rewrap every data key under it.

    No personal field is decrypted: only the per-customer data keys are
    unwrapped with their old KEK and wrapped again with the new one. The
    rotation is appended to the consent ledger. Safe to run against a live
    service: it re-reads the keyring when the file changes. If interrupted,
    run `couponry keys rewrap` to finish.
    """
    from .service import rotate_keys

    with _local() as local:
        version, count = rotate_keys(local.database, local.core)
        out.print(f"KEK version {version} is current; {count} data keys rewrapped")


@keys_app.command("rewrap")
def keys_rewrap() -> None:
    """Rewrap data keys not yet on the current KEK version.

    Finishes an interrupted rotation; does nothing if every data key is
    already current. No personal field is decrypted.
    """
    from .service import rewrap_all

    with _local() as local:
        out.print(f"{rewrap_all(local.database, local.core)} data keys rewrapped")


@keys_app.command("retire")
def keys_retire(
    version: Annotated[int, typer.Argument(help="The KEK version to retire.", show_default=False)],
) -> None:
    """Destroy the material of an old KEK version.

    Refused for the current version and for any version that still wraps a
    data key (rotate or rewrap first). After retirement, backups whose data
    keys were wrapped only with this version can no longer be decrypted.
    """
    from .service import retire_version

    with _local() as local:
        try:
            retire_version(local.database, local.core, version)
        except DomainError as error:
            _fail(error)
        out.print(f"KEK version {version} retired")


# -- audit --------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify(target: Target = None) -> None:
    """Walk the ledger's hash chain and check every signed checkpoint.

    Exits 0 if the ledger verifies, 1 if any entry was edited (HASH_MISMATCH),
    reordered or inserted (BROKEN_LINK), deleted (GAP) or if a checkpoint does
    not match (CHECKPOINT_MISMATCH); each problem is listed by sequence number.
    """
    if target:
        from couponry.profile.v1 import profile_service_pb2 as api

        response = _rpc(lambda: _stub(target).VerifyLedger(api.VerifyLedgerRequest(), timeout=60))
        valid, entries, checkpoints = response.valid, response.entries_checked, response.checkpoints_checked
        head, head_hash = response.head_sequence, response.head_hash
        violations = [(v.sequence, v.kind) for v in response.violations]
    else:
        with _local() as local:
            result = local.database.run(local.core.ledger.verify)
        valid, entries, checkpoints = result.valid, result.entries_checked, result.checkpoints_checked
        head, head_hash, violations = result.head_sequence, result.head_hash, result.violations
    out.print(f"entries checked: {entries}; checkpoints checked: {checkpoints}; head: {head} {head_hash}")
    for sequence, kind in violations:
        out.print(f"[red]sequence {sequence}: {VIOLATION_NAMES.get(kind, kind)}[/red]")
    out.print("[green]ledger verifies[/green]" if valid else "[red]ledger does NOT verify[/red]")
    raise typer.Exit(0 if valid else 1)


@audit_app.command("checkpoint")
def audit_checkpoint(target: Target = None) -> None:
    """Sign a checkpoint of the current ledger head now (Ed25519).

    Prints sequence, head hash, signature, key id and the raw public key an
    auditor needs to check it independently.
    """
    if target:
        import uuid

        from couponry.profile.v1 import profile_service_pb2 as api

        cp = _rpc(lambda: _stub(target).CreateLedgerCheckpoint(
            api.CreateLedgerCheckpointRequest(request_id=f"cli-{uuid.uuid4().hex}"), timeout=30)).checkpoint
        sequence, head_hash, signature, public_key, key_id = (cp.sequence, cp.head_hash, cp.signature,
                                                              cp.public_key, cp.key_id)
    else:
        with _local() as local:
            row = local.database.run(local.core.ledger.checkpoint)
        sequence, head_hash, signature, public_key, key_id = (row.sequence, row.head_hash, row.signature,
                                                              row.public_key, row.key_id)
    out.print_json(json.dumps({"sequence": sequence, "head_hash": head_hash, "key_id": key_id,
                               "signature": bytes(signature).hex(), "public_key": bytes(public_key).hex()}))


def _parse_time(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        err.print(f"[red]--{name} must be an ISO 8601 time such as 2026-11-23T10:00:00Z[/red]")
        raise typer.Exit(2) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@audit_app.command("entries")
def audit_entries(
    since: Annotated[str | None, typer.Option(help="Only entries recorded at or after this ISO 8601 time.")] = None,
    until: Annotated[str | None, typer.Option(help="Only entries recorded before this ISO 8601 time.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only entries of this subject reference.")] = None,
    limit: Annotated[int, typer.Option(help="Largest number of entries to print.", min=1)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines instead of a table.")] = False,
) -> None:
    """List consent ledger entries in sequence order.

    Each entry shows what changed, for which subject reference, with which
    evidence, and its place in the hash chain. No personal data is shown.
    """
    start, end = _parse_time(since, "since"), _parse_time(until, "until")
    with _local() as local:
        rows = local.database.run(lambda s: local.core.ledger_page(s, 0, limit, subject, start, end))[:limit]
    if as_json:
        from .service import iso_time
        for r in rows:
            out.print(json.dumps({"sequence": r.sequence, "subject_ref": r.subject_ref, "kind": EntryKind(r.kind).name,
                                  "record_time": iso_time(r.record_time), "payload": json.loads(r.payload_json),
                                  "previous_hash": r.previous_hash, "entry_hash": r.entry_hash}), soft_wrap=True)
        return
    table = Table(title="consent ledger")
    for column in ("seq", "time", "kind", "subject", "payload", "hash"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(str(r.sequence), r.record_time.isoformat(timespec="seconds"), EntryKind(r.kind).name,
                      r.subject_ref[:16] + ("…" if r.subject_ref else ""), r.payload_json, r.entry_hash[:16] + "…")
    out.print(table)


@audit_app.command("export")
def audit_export(
    customer_id: Annotated[str, typer.Argument(help="The customer to export.", show_default=False)],
    output: Annotated[Path | None, typer.Option(help="Write the document to this file (mode 0600) instead of stdout.")] = None,
    target: Target = None,
) -> None:
    """Export everything held about one customer as one JSON document.

    A data subject access request: decrypted personal data, current consent,
    consent history, events held and decisions made. The document contains
    personal data: hand it to the data subject only.
    """
    if target:
        from couponry.profile.v1 import profile_service_pb2 as api

        document = _rpc(lambda: _stub(target).ExportSubjectData(
            api.ExportSubjectDataRequest(customer_id=customer_id), timeout=30)).document_json
    else:
        with _local() as local:
            try:
                document = json.dumps(local.database.run(lambda s: local.core.export(s, customer_id)),
                                      ensure_ascii=False, indent=2, sort_keys=True)
            except DomainError as error:
                _fail(error)
    if output:
        import os
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(document)
        err.print(f"written to {output}")
    else:
        print(document)
