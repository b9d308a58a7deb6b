"""Load a profile's key material into a pyHanko signer; every failure is one clear line.

Environment variables named by a profile hold a file path; a key or certificate may also be
given as the PEM text itself, or as base64 of the file (what CI secret stores hold). A variable's
value never appears in a message, whatever it holds (a path, PEM, base64, a passphrase): only
the variable's name does (`the key file named by $DOSSIER_AUTHOR_P12`); files named in
dossier.yaml are named by their path. Key and passphrase files inside the workspace are refused.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dossier.errors import UsageError
from dossier.signing.profiles import SigningProfile, Source

_PEM = b"-----BEGIN"
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]{64,}")
Fail = Callable[[str], UsageError]


@dataclass(frozen=True)
class _Material:
    """Bytes of a key or certificate and how to name them in messages."""

    data: bytes
    name: str  # "/path/a.p12", "/path/a.p12 (from $VAR)" or "$VAR" (PEM text in a variable)


def load_signer(profile: SigningProfile) -> SimpleSigner:
    """A pyHanko signer for `profile`; UsageError naming the profile and source on failure."""

    def fail(message: str) -> UsageError:
        return UsageError(f"signing profile {profile.name}: {message}")

    key = _read(profile.key, "key", profile, fail)
    passphrase = _passphrase(profile, fail)
    key_format = profile.key_format
    if key_format == "auto":
        key_format = "pem" if key.data.lstrip().startswith(_PEM) else "pkcs12"
    if key_format == "pkcs12":
        return _from_pkcs12(key, passphrase, fail)
    cert = key if profile.cert is None else _read(profile.cert, "certificate", profile, fail)
    return _from_pem(key, cert, passphrase, fail)


def _from_pkcs12(key: _Material, passphrase: bytes | None, fail: Fail) -> SimpleSigner:
    try:
        return SimpleSigner.load_pkcs12_data(key.data, other_certs=[], passphrase=passphrase)
    except ValueError:
        missing = " (no passphrase given)" if passphrase is None else ""
        raise fail(f"cannot open PKCS#12 key {key.name}: wrong passphrase{missing}, "
                   "or not a PKCS#12 file") from None


def _from_pem(key: _Material, cert: _Material, passphrase: bytes | None,
              fail: Fail) -> SimpleSigner:
    try:
        private = load_private_key_from_pemder_data(key.data, passphrase=passphrase)
    except TypeError:
        problem = ("it is encrypted and no passphrase was given" if passphrase is None
                   else "it is not encrypted, so give no passphrase")
        raise fail(f"cannot open private key {key.name}: {problem}") from None
    except ValueError:
        raise fail(f"cannot open private key {key.name}: wrong passphrase, "
                   "or not a PEM/DER private key") from None
    try:
        certs = list(load_certs_from_pemder_data(cert.data))
    except ValueError:
        certs = []
    if not certs:
        raise fail(f"no certificate found in {cert.name}")
    own = [c for c in certs if c.public_key.dump() == _public_key(private)]
    if not own:
        raise fail(f"the certificate {cert.name} does not belong to the key {key.name}")
    store = SimpleCertificateStore()
    store.register_multiple(c for c in certs if c is not own[0])
    return SimpleSigner(signing_cert=own[0], signing_key=private, cert_registry=store)


def _public_key(key: keys.PrivateKeyInfo) -> bytes:
    """DER of the public key that belongs to a private key."""
    private = serialization.load_der_private_key(key.dump(), password=None)
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _passphrase(profile: SigningProfile, fail: Fail) -> bytes | None:
    source = profile.passphrase
    if source is None:
        return None
    if source.kind == "env":
        value = os.environ.get(source.ref)
        if value is None:
            raise fail(f"environment variable {source.ref} (the passphrase) is not set")
        return value.encode("utf-8")
    path = _outside_workspace(Path(source.ref), f"the passphrase file {source.ref}", profile, fail)
    return _read_file(path, f"passphrase file {path}", fail).rstrip(b"\r\n")


def _read(source: Source, what: str, profile: SigningProfile, fail: Fail) -> _Material:
    """A key or certificate: the file named, or PEM text or base64 held in a variable."""
    if source.kind == "env":
        value = os.environ.get(source.ref)
        if not value:
            raise fail(f"environment variable {source.ref} (the {what}) is not set")
        if value.lstrip().startswith("-----BEGIN"):
            return _Material(value.encode("ascii", errors="replace"), f"${source.ref}")
        path = _env_path(value)
        if path is None or not _is_file(path):
            data = _base64(value)
            if data is not None:
                return _Material(data, f"${source.ref} (base64)")
        if path is None:
            raise fail(f"${source.ref} (the {what}) holds neither a file path nor PEM text nor base64 of the file")
        name = f"named by ${source.ref}"
        shown = f"the {what} file named by ${source.ref}"
    else:
        path = Path(source.ref)
        name = str(path)
        shown = f"{what} file {path}"
    if what == "key":
        _outside_workspace(path, shown, profile, fail)
    return _Material(_read_file(path, shown, fail), name)


def _env_path(value: str) -> Path | None:
    """The absolute path a variable's value names, or None when it cannot name one (NUL, newline, too long)."""
    if "\0" in value or "\n" in value or len(value.encode("utf-8", errors="replace")) > 4096:
        return None
    try:
        return Path(value).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for a path is no file
        return False


def _base64(value: str) -> bytes | None:
    """The bytes a base64 value decodes to, or None when it is not base64."""
    if not _BASE64.fullmatch(value.strip()):
        return None
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def _outside_workspace(path: Path, shown: str, profile: SigningProfile, fail: Fail) -> Path:
    """`path`, unless it lies inside the workspace (secrets must never be committed); `shown` names it."""
    try:
        inside = path.resolve().is_relative_to(profile.workspace)
    except (OSError, RuntimeError, ValueError):
        raise fail(f"{shown} cannot be resolved") from None
    if inside:
        raise fail(f"{shown} lies inside the workspace; keep secrets outside it")
    return path


def _read_file(path: Path, what: str, fail: Fail) -> bytes:
    """Bytes of `path`; `what` names it in messages ("key file /x.p12", "the key file named by $VAR")."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise fail(f"{what} does not exist") from None
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read {what}: {getattr(exc, 'strerror', None) or type(exc).__name__}") from None
