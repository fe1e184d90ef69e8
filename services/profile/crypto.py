"""Envelope encryption of personal fields, blind indexes and pseudonyms.

* Each customer has one random 256-bit data key (DEK). Every personal field
  is AES-256-GCM encrypted under it with a fresh 96-bit nonce; the stored
  value is `nonce || ciphertext+tag`.
* The associated data binds a ciphertext to where it belongs:
  `couponry.profile|<table>|<field>|<customer id>|dek:<data key version>`.
  A ciphertext copied into another row or field fails authentication.
* The DEK itself is wrapped by a versioned key-encryption key (see
  keyring.py), with associated data `couponry.profile|customer_keys|dek|
  <customer id>|kek:<version>`. Rotating the KEK rewraps DEKs only: no
  personal field is decrypted or re-encrypted.
* Blind indexes are HMAC-SHA256 under a key of their own over the
  normalized value, truncated; pseudonyms (subject references) are
  HMAC-SHA256 under the pseudonym key over the customer id.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keyring import NONCE_BYTES, KeyProvider

AAD_PREFIX = "couponry.profile"
DEK_BYTES = 32


class DecryptionError(Exception):
    """A ciphertext failed authentication (wrong key, wrong place, or edited)."""


def field_aad(table: str, field: str, customer_id: str, dek_version: int) -> bytes:
    return f"{AAD_PREFIX}|{table}|{field}|{customer_id}|dek:{dek_version}".encode()


def dek_aad(customer_id: str, kek_version: int) -> bytes:
    return f"{AAD_PREFIX}|customer_keys|dek|{customer_id}|kek:{kek_version}".encode()


def new_dek() -> bytes:
    return AESGCM.generate_key(bit_length=DEK_BYTES * 8)


def encrypt_field(dek: bytes, plaintext: str, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(dek).encrypt(nonce, plaintext.encode("utf-8"), aad)


def decrypt_field(dek: bytes, stored: bytes, aad: bytes) -> str:
    try:
        return AESGCM(dek).decrypt(stored[:NONCE_BYTES], stored[NONCE_BYTES:], aad).decode("utf-8")
    except InvalidTag:
        raise DecryptionError("a personal field failed authentication") from None


class FieldCipher:
    """Encrypts and decrypts one customer's fields with their unwrapped DEK."""

    def __init__(self, customer_id: str, dek: bytes, dek_version: int, table: str) -> None:
        self.customer_id = customer_id
        self._aead = AESGCM(dek)
        self.dek_version = dek_version
        self.table = table

    def encrypt(self, field: str, plaintext: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aad = field_aad(self.table, field, self.customer_id, self.dek_version)
        return nonce + self._aead.encrypt(nonce, plaintext.encode("utf-8"), aad)

    def decrypt(self, field: str, stored: bytes) -> str:
        aad = field_aad(self.table, field, self.customer_id, self.dek_version)
        try:
            return self._aead.decrypt(stored[:NONCE_BYTES], stored[NONCE_BYTES:], aad).decode("utf-8")
        except InvalidTag:
            raise DecryptionError("a personal field failed authentication") from None


def wrap_dek(provider: KeyProvider, customer_id: str, dek: bytes, kek_version: int) -> bytes:
    return provider.wrap(dek, kek_version, dek_aad(customer_id, kek_version))


def unwrap_dek(provider: KeyProvider, customer_id: str, wrapped: bytes, kek_version: int) -> bytes:
    return provider.unwrap(wrapped, kek_version, dek_aad(customer_id, kek_version))


def blind_index(key: bytes, kind: str, normalized: str, length: int = 16) -> str:
    """Hex HMAC-SHA256 of `kind:normalized`, truncated to `length` bytes.

    The kind is part of the input so an e-mail and a phone number with the
    same text never share an index.
    """
    digest = hmac.new(key, f"{kind}:{normalized}".encode(), hashlib.sha256).digest()
    return digest[:length].hex()


def subject_ref(key: bytes, customer_id: str) -> str:
    """The pseudonym other services know a customer by (64 hex characters)."""
    return hmac.new(key, customer_id.encode("utf-8"), hashlib.sha256).hexdigest()
