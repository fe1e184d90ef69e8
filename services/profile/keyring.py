"""Where the profile service's keys come from.

Two kinds of key live here:

* key-encryption keys (KEKs), versioned, behind the `KeyProvider` protocol:
  they only ever wrap and unwrap the per-customer data keys. The default
  provider is `FileKeyring`, a JSON file with owner-only permissions; a KMS
  or Vault provider implements the same five methods (wrap/unwrap become
  KMS Encrypt/Decrypt or Vault transit calls with the version as key
  version, `add_version` a key rotation, `retire` disabling a key version).
* the secrets that are not KEKs (`Secrets`): the blind-index HMAC key, the
  pseudonym HMAC key and the Ed25519 ledger signing key. They are kept apart
  from the KEKs so that rotating encryption keys never changes a blind index,
  a subject reference or a checkpoint signer.

Nothing in this module logs or returns key material except to its caller.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from couponry_runtime.errors import FailedPrecondition

FORMAT = 1
NONCE_BYTES = 12


class KeyringError(Exception):
    """A key problem that is not the caller's fault (missing version, bad tag)."""


class UnwrapError(KeyringError):
    """A wrapped key failed authentication: wrong KEK, wrong AAD or tampered."""


@dataclass(frozen=True)
class KekInfo:
    """What may be shown about one KEK version (never the key itself)."""

    version: int
    state: str  # "active" (can wrap and unwrap) or "retired" (material destroyed)
    create_time: str
    retire_time: str | None


@runtime_checkable
class KeyProvider(Protocol):
    """Versioned key-encryption keys. Implementations must be thread-safe."""

    def current_version(self) -> int:
        """The version new data keys are wrapped with."""

    def wrap(self, dek: bytes, version: int, aad: bytes) -> bytes:
        """Encrypts a data key under KEK `version`, bound to `aad`."""

    def unwrap(self, wrapped: bytes, version: int, aad: bytes) -> bytes:
        """Decrypts a data key; raises UnwrapError if it does not authenticate."""

    def versions(self) -> list[KekInfo]:
        """Every version ever created, oldest first."""

    def add_version(self) -> int:
        """Creates a new version and makes it current; returns its number."""

    def retire(self, version: int) -> None:
        """Destroys the material of a non-current version."""


@dataclass(frozen=True)
class Secrets:
    """The keys that are not KEKs. Each is independent of the others."""

    blind_index_key: bytes
    pseudonym_key: bytes
    signing_key: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.signing_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_document() -> dict:
    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {
        "format": FORMAT,
        "current_kek_version": 1,
        "keks": {"1": {"key": _b64(AESGCM.generate_key(256)), "state": "active", "create_time": _now(),
                       "retire_time": None}},
        "blind_index_key": _b64(secrets.token_bytes(32)),
        "pseudonym_key": _b64(secrets.token_bytes(32)),
        "signing_key": _b64(signing),
    }


def _write_private(path: Path, document: dict) -> Path:
    """Writes `document` to a fresh owner-only temporary file next to `path`."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


class FileKeyring:
    """The default provider: a JSON keyring file readable by its owner only.

    The file is re-read whenever it changes on disk, so a `couponry keys
    rotate` run against a live service is picked up without a restart.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._mtime: int | None = None
        self._doc: dict = {}
        self._secrets: Secrets | None = None
        self._load()

    # -- file handling -------------------------------------------------------

    @classmethod
    def open_or_create(cls, path: Path) -> FileKeyring:
        """Opens the keyring at `path`, creating it (mode 0600) if missing."""
        path = Path(path)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = _write_private(path, _new_document())
            try:
                os.link(tmp, path)  # fails if another process created it first
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        return cls(path)

    def _load(self) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise FailedPrecondition("KEYRING_MISSING", "the keyring file does not exist") from None
        if stat.st_mode & 0o077:
            raise FailedPrecondition("KEYRING_PERMISSIONS", "the keyring file must be readable by its owner only")
        document = json.loads(self.path.read_text())
        if document.get("format") != FORMAT:
            raise FailedPrecondition("KEYRING_FORMAT", "the keyring file has an unknown format")
        self._doc = document
        self._mtime = stat.st_mtime_ns
        self._secrets = Secrets(
            blind_index_key=_unb64(document["blind_index_key"]),
            pseudonym_key=_unb64(document["pseudonym_key"]),
            signing_key=Ed25519PrivateKey.from_private_bytes(_unb64(document["signing_key"])),
        )

    def _refresh(self) -> None:
        with self._lock:
            try:
                mtime = self.path.stat().st_mtime_ns
            except FileNotFoundError:
                return
            if mtime != self._mtime:
                self._load()

    def _save(self, document: dict) -> None:
        tmp = _write_private(self.path, document)
        os.replace(tmp, self.path)
        self._load()

    # -- KeyProvider ---------------------------------------------------------

    def current_version(self) -> int:
        self._refresh()
        return int(self._doc["current_kek_version"])

    def _kek(self, version: int) -> bytes:
        entry = self._doc["keks"].get(str(version))
        if entry is None:
            self._refresh()
            entry = self._doc["keks"].get(str(version))
        if entry is None or not entry.get("key"):
            raise KeyringError(f"key-encryption key version {version} is not available")
        return _unb64(entry["key"])

    def wrap(self, dek: bytes, version: int, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self._kek(version)).encrypt(nonce, dek, aad)

    def unwrap(self, wrapped: bytes, version: int, aad: bytes) -> bytes:
        try:
            return AESGCM(self._kek(version)).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except InvalidTag:
            raise UnwrapError("a data key failed authentication") from None

    def versions(self) -> list[KekInfo]:
        self._refresh()
        return [KekInfo(int(v), e["state"], e["create_time"], e.get("retire_time"))
                for v, e in sorted(self._doc["keks"].items(), key=lambda item: int(item[0]))]

    def add_version(self) -> int:
        with self._lock:
            self._refresh()
            document = json.loads(json.dumps(self._doc))
            version = max(int(v) for v in document["keks"]) + 1
            document["keks"][str(version)] = {"key": _b64(AESGCM.generate_key(256)), "state": "active",
                                              "create_time": _now(), "retire_time": None}
            document["current_kek_version"] = version
            self._save(document)
            return version

    def retire(self, version: int) -> None:
        with self._lock:
            self._refresh()
            document = json.loads(json.dumps(self._doc))
            entry = document["keks"].get(str(version))
            if entry is None:
                raise FailedPrecondition("KEK_VERSION_UNKNOWN", "no such key-encryption key version")
            if version == int(document["current_kek_version"]):
                raise FailedPrecondition("KEK_VERSION_CURRENT", "the current key-encryption key cannot be retired")
            entry.update(key=None, state="retired", retire_time=_now())
            self._save(document)

    # -- Secrets -------------------------------------------------------------

    @property
    def secrets(self) -> Secrets:
        assert self._secrets is not None
        return self._secrets
