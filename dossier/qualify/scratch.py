"""The scratch workspace the OQ runs in, the dossier command line as a user runs it, throwaway keys.

Commands run as separate processes (`python -m dossier …`), exactly as a user or a CI job runs
them, and every one is written into the evidence with its exit status and the lines of output
that matter. Paths under the scratch folder are shown as `$SCRATCH`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from dossier.qualify.context import Context
from dossier.util import clock
from dossier.workspace.load import workspace_zone

FIXTURES = Path(__file__).with_name("fixtures.yaml")
COMMAND_TIMEOUT = 900.0
OUTPUT_LINES = 12  # lines of a command's output kept in the evidence
ACTOR = "dossier qualify"


@dataclass(frozen=True)
class Run:
    """A finished command: exit status and output."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout and stderr together."""
        return self.stdout + self.stderr


def shown(ctx: Context, text: str) -> str:
    """`text` with the scratch folder written as $SCRATCH."""
    return text.replace(str(ctx.scratch), "$SCRATCH")


def dossier(ctx: Context, *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run `dossier ARGS` in a new process (in folder `cwd`, default the current one); the command, exit
    status and output go to the evidence."""
    command = [sys.executable, "-m", "dossier", *map(str, args)]
    environment = {**os.environ, "DOSSIER_ACTOR": ACTOR, **(env or {})}
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=COMMAND_TIMEOUT, check=False,
                              cwd=cwd)
        run = Run(done.returncode, done.stdout, done.stderr)
    except subprocess.TimeoutExpired:
        run = Run(-1, "", f"timed out after {COMMAND_TIMEOUT:.0f} s")
    ctx.evidence.add(shown(ctx, f"$ dossier {' '.join(map(str, args))}  -> exit {run.code}"))
    lines = run.output.splitlines()
    for line in lines[:OUTPUT_LINES]:
        ctx.evidence.add(shown(ctx, f"    {line}"))
    if len(lines) > OUTPUT_LINES:
        ctx.evidence.add(f"    … {len(lines) - OUTPUT_LINES} more lines")
    return run


def sha256(path: Path) -> str:
    """SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def fixtures() -> dict[str, str]:
    """fixtures.yaml: {path in the workspace: text with {today}}."""
    return yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))["files"]


def make_workspace(ctx: Context, name: str = "ws") -> Path:
    """`dossier init` in the scratch folder plus the validation fixtures; its path."""
    root = ctx.scratch / name
    run = dossier(ctx, "init", root, "--company", ctx.company or "示例医疗科技有限公司")
    ctx.evidence.require(run.code == 0, f"dossier init failed (exit {run.code})")
    today = clock.today_in(workspace_zone(root)).isoformat()  # the day `dossier init` dated its documents
    for relative, text in fixtures().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(today=today), encoding="utf-8")
        ctx.evidence.add(f"wrote $SCRATCH/{name}/{relative}")
    return root


def throwaway_signer(folder: Path, holder: str, passphrase: str) -> tuple[Path, Path]:
    """A new root CA and a signer certificate for `holder` (ECDSA P-256): (PKCS#12 file, CA certificate PEM).

    Made fresh for each run and deleted with the scratch folder; never a real key.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.COMMON_NAME, common)])

    start = clock.now() - dt.timedelta(days=1)
    end = start + dt.timedelta(days=30)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("dossier qualify CA")).issuer_name(name("dossier qualify CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name(holder)).issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / "signer.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, [ca],
                                                          serialization.BestAvailableEncryption(passphrase.encode())))
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12, ca_pem
