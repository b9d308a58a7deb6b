"""Sign step of the pipeline: PDFs are signed last, after every pypdf step (stamp, bundle, normalise)."""

from __future__ import annotations

from dossier.errors import Problems, UsageError
from dossier.workspace.model import Workspace


def signing_profiles(ws: Workspace, names: tuple[str, ...] | list[str]) -> list:
    """The named profiles of the workspace's `signing:` section, in the order given."""
    if not names:
        return []
    from dossier.signing.profiles import load_profiles

    problems = Problems()
    profiles = load_profiles(ws.config.raw, problems, ws.root)
    problems.raise_if_any()
    unknown = [n for n in names if n not in profiles]
    if unknown:
        known = ", ".join(sorted(profiles)) or "none defined"
        raise UsageError("\n".join(f"error: --sign {n}: no such signing profile in dossier.yaml (known: {known})" for n in unknown))
    return [profiles[n] for n in names]


def load_signers(ws: Workspace, names: tuple[str, ...] | list[str]) -> list:
    """A ProfileSigner per named profile, keys loaded: done before anything renders, so a wrong key or
    passphrase stops a build at once (UsageError naming the profile and the key's source, never its value)."""
    profiles = signing_profiles(ws, names)
    if not profiles:
        return []
    from dossier.signing.sign import ProfileSigner

    return [ProfileSigner(profile) for profile in profiles]


def sign_pdfs(ws: Workspace, names: tuple[str, ...] | list[str], pdfs: dict[str, bytes],
              signers: list | None = None) -> dict[str, bytes]:
    """Each PDF signed by every named profile in turn (incremental updates keep earlier signatures valid).

    `signers` are the profiles' signers when already loaded (`load_signers`).
    """
    signers = load_signers(ws, names) if signers is None else signers
    if not signers:
        return dict(pdfs)
    signed = {}
    for name, data in pdfs.items():
        for signer in signers:
            data = signer.sign(data, label=name)
        signed[name] = data
    return signed
