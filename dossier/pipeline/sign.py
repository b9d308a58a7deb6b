"""Sign step of the pipeline: PDFs are signed last, after every pypdf step (stamp, bundle, normalise).

Signatures belong to the person named: a profile signing as 编制, 审核 or 批准 must hold the key of
the person the document names for that role (its YAML for 编制 and 审核, the approver of record
for 批准), and 批准 signs only a released revision. Otherwise signing is refused before anything
is rendered (exit 2, both names given). 电子签名法 Art. 13; device GMP 2025 Art. 43(2), 46.
"""

from __future__ import annotations

from collections.abc import Mapping

from dossier.errors import Problems, UsageError
from dossier.workspace.model import Workspace
from dossier.workspace.roles import APPROVAL_ROLE, ROLE_FIELDS


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
    """A `ProfileSigner` (key loaded) for each named profile, in order."""
    profiles = signing_profiles(ws, names)
    if not profiles:
        return []
    from dossier.signing.sign import ProfileSigner

    return [ProfileSigner(profile) for profile in profiles]


def people_of(ws: Workspace) -> dict[str, str]:
    """`signing.people` of the workspace: {certificate fingerprint: name}."""
    from dossier.signing.profiles import signing_people

    return signing_people(ws.config.raw)


def signer_problems(ws: Workspace, signers: list, named: Mapping[str, Mapping[str, str | None]]) -> list[str]:
    """Why each signer may not sign each document, one `error:` line each (empty when all may).

    `named` maps a label (`QP-04.pdf`) to the person the document names for each role (see
    `control.signoffs.named_people`; 批准 is None while the revision is not released).
    """
    if not signers:
        return []
    from dossier.signing.people import holder_matches

    people = people_of(ws)
    lines = []
    for label, roles in named.items():
        for signer in signers:
            role, name = signer.profile.role, signer.profile.name
            if role not in ROLE_FIELDS:
                continue  # a seal or another role bound to no person
            holder = signer.holder(people)
            person = roles.get(role)
            if role == APPROVAL_ROLE and person is None:
                lines.append(f"error: {label}: --sign {name}: a {role} signature needs a released revision; "
                             f"this one is not released (dossier release … --sign {name})")
            elif person is None:
                lines.append(f"error: {label}: --sign {name}: the document names nobody for {role} ({ROLE_FIELDS[role]})")
            elif not holder_matches(person, signer.fingerprint, holder, people):
                lines.append(f"error: {label}: --sign {name}: the key belongs to {holder}, but the document names "
                             f"{person} for {role}; sign with {person}'s key")
    return lines


def check_signers(ws: Workspace, signers: list, named: Mapping[str, Mapping[str, str | None]]) -> None:
    """Refuse (UsageError, exit 2) when any signer may not sign any document (see `signer_problems`)."""
    lines = signer_problems(ws, signers, named)
    if lines:
        raise UsageError("\n".join(lines))


def sign_with(signers: list, pdfs: dict[str, bytes]) -> dict[str, bytes]:
    """Each PDF signed by every signer in turn (incremental updates keep earlier signatures valid)."""
    signed = {}
    for name, data in pdfs.items():
        for signer in signers:
            data = signer.sign(data, label=name)
        signed[name] = data
    return signed


def sign_pdfs(ws: Workspace, names: tuple[str, ...] | list[str], pdfs: dict[str, bytes],
              named: Mapping[str, Mapping[str, str | None]] | None = None) -> dict[str, bytes]:
    """Each PDF signed by every named profile in turn; `named` (label -> role -> person) is checked first."""
    signers = load_signers(ws, names)
    if not signers:
        return dict(pdfs)
    if named is not None:
        check_signers(ws, signers, named)
    return sign_with(signers, pdfs)
