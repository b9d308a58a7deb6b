"""`dossier sign` and `dossier verify`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dossier.actions.signers import check_pdf_signer
from dossier.actions.verify import verify_targets
from dossier.control.ledger import expected_head
from dossier.errors import CheckFailed, Problems, UsageError
from dossier.signing.profiles import SigningProfile, cli_source, load_profiles
from dossier.signing.sign import ProfileSigner
from dossier.signing.verify import load_trust_roots
from dossier.workspace.load import find_root, load_config

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("sign")
@click.argument("paths", nargs=-1, required=True, type=_FILE)
@click.option("--profile", "profile_name", required=True, metavar="NAME",
              help="Signing profile from dossier.yaml (signing.profiles).")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Workspace whose dossier.yaml holds the profile.")
@click.option("--key-env", metavar="VAR", help="Variable holding the key's path (PKCS#12 or PEM) "
              "or PEM text; replaces the profile's key.")
@click.option("--key-file", metavar="PATH", help="Key file (PKCS#12 or PEM); replaces the profile's key.")
@click.option("--cert-env", metavar="VAR", help="Variable holding the certificate's path or PEM text.")
@click.option("--cert-file", metavar="PATH", help="Certificate file for a PEM key.")
@click.option("--passphrase-env", metavar="VAR", help="Variable holding the key's passphrase.")
@click.option("--passphrase-file", metavar="PATH", help="File holding the key's passphrase.")
@click.option("--matching", is_flag=True, help="Sign only the PDFs whose document names this key's holder for the "
              "profile's role (and, for 批准, are released); skip the others with a warning instead of refusing.")
def sign_command(paths: tuple[Path, ...], profile_name: str, workspace: Path,
                 key_env: str | None, key_file: str | None, cert_env: str | None,
                 cert_file: str | None, passphrase_env: str | None,
                 passphrase_file: str | None, matching: bool) -> None:
    """Sign PDFs in place with a signing profile (PAdES; each signature an incremental update).

    A PDF of a workspace document is signed as 编制, 审核 or 批准 only with the key of the
    person the document names for that role (批准: released revisions only); refused otherwise
    (exit 2), or skipped with --matching.
    """
    profile = _profile(workspace, profile_name).with_overrides(
        key=cli_source(key_env, key_file, "key"), cert=cli_source(cert_env, cert_file, "cert"),
        passphrase=cli_source(passphrase_env, passphrase_file, "passphrase"))
    signer = ProfileSigner(profile)
    warnings, chosen = check_pdf_signer(find_root(workspace), signer, list(paths), matching)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in chosen:
        result = signer.sign_file(path)
        click.echo(f"signed {path} as {profile.role} ({signer.signer_name}): "
                   f"SHA-256 unsigned {result.unsigned_sha256}, signed {result.signed_sha256}")


def _profile(workspace: Path, name: str) -> SigningProfile:
    """The named profile of the workspace's dossier.yaml (all config problems reported)."""
    root = find_root(workspace)
    problems = Problems()
    config = load_config(root, problems)
    profiles = load_profiles(config.raw, problems, root)
    problems.raise_if_any()
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none: add signing.profiles to dossier.yaml"
        raise UsageError(f"unknown signing profile {name!r} (profiles: {known})")
    return profiles[name]


@click.command("verify")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--trust", "trust", multiple=True, type=_FILE, metavar="CERT",
              help="Trusted root certificate, PEM or DER (repeatable).")
@click.option("--expect-head", "expect_head", multiple=True, metavar="[SEQ:]HASH",
              help="The ledger must still hold this entry (its hash, 8-64 hex digits, as kept elsewhere): detects a removed tail.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def verify_command(paths: tuple[Path, ...], trust: tuple[Path, ...], expect_head: tuple[str, ...], as_json: bool) -> None:
    """Verify signed PDFs; for a workspace also its release ledger and archive.

    PATHS are PDF files or workspace folders (default: the current folder). Exit 0 only when
    every check holds, 1 with one line per problem otherwise.
    """
    heads = []
    for value in expect_head:
        head = expected_head(value)
        if head is None:
            raise UsageError(f"error: --expect-head {value}: expected the hash of a ledger entry (8 to 64 hex digits), optionally SEQ:HASH")
        heads.append(head)
    report = verify_targets(list(paths) or [Path(".")], load_trust_roots(list(trust)), heads)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for check in report.files:
            for line in check.summary_lines():
                click.echo(line)
        for workspace in report.workspaces:
            for sig in workspace.entry_signatures:
                click.echo(f"{workspace.path}: ledger {sig.entry}: signed by {sig.signer or 'unknown'} "
                           f"(approver of record {sig.approved_by or '-'}), {'ok' if sig.ok else 'FAILED'}"
                           f"{', ' + sig.signing_time if sig.signing_time else ''}")
            if not workspace.problems:
                click.echo(f"{workspace.path}: ledger and archive intact")
    if not report.ok:
        raise CheckFailed(report.failure_lines())
