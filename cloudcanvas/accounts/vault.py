"""The secret vault: client secrets under AES-256-GCM with the master key.

Each ciphertext records the id of the key that sealed it, so that ``cloudcanvas keys rotate`` can
move secrets to a new key one by one while servers keep decrypting both. The account id is bound
in as associated data: a ciphertext copied onto another account does not decrypt.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cloudcanvas.config import Settings, derive_key
from cloudcanvas.errors import AppError

NONCE_BYTES = 12


class VaultError(AppError):
    status_code = 500
    code = "vault_error"


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"cloudcanvas-key-id:" + key).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """The master keys by id; ``current`` seals, every key opens."""

    current: str
    keys: dict[str, bytes]

    @classmethod
    def from_texts(cls, texts: list[str]) -> Keyring:
        derived = [derive_key(text) for text in texts]
        return cls(current=key_id(derived[0]), keys={key_id(k): k for k in derived})

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        """Read afresh each time, so a rotation by another process is seen at once."""
        return cls.from_texts(settings.master_keys())


def seal(keyring: Keyring, plaintext: str, *, context: str) -> tuple[str, bytes]:
    """Encrypt under the current key; returns (key id, nonce + ciphertext)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keyring.keys[keyring.current]).encrypt(
        nonce, plaintext.encode(), context.encode()
    )
    return keyring.current, nonce + sealed


def open_sealed(keyring: Keyring, kid: str, blob: bytes, *, context: str) -> str:
    """Decrypt a sealed secret; the error never includes any of it."""
    key = keyring.keys.get(kid)
    if key is None:
        raise VaultError(
            f"The secret was sealed with master key {kid}, which this server does not have; "
            "restore that key (CLOUDCANVAS_SECRET_KEY_PREVIOUS or the key file)."
        )
    try:
        return (
            AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode()).decode()
        )
    except InvalidTag:
        raise VaultError("A stored secret failed its integrity check.") from None
