"""Signed ledger entries: each signature checked, and (when required) every entry vouched for by one.

A signed entry carries `signer` (the certificate's SHA-256 fingerprint, covered by the hash) and
`signature` (a detached CMS signature over the entry's hash, made with the approver's key). An
entry appended with a correctly recomputed hash chain is indistinguishable from a real one unless
it must be signed: with `require_signed_releases: true`, every release and withdrawal must be
signed or be followed by a signed entry (whose hash chains, and so vouches for, all entries before
it). 电子签名法 Art. 13 (signature under the signatory's sole control, changes detectable);
device GMP Art. 46(2).

Not imported by the package: it loads the signing stack (pyHanko) only when `verify` needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import x509

from dossier.control.ledger.entry import LedgerEntry
from dossier.signing.cms import verify_text
from dossier.signing.people import holder_matches


@dataclass
class EntrySignature:
    """The signature of one entry as verify reports it: who signed, who the entry names, problems."""

    entry: str  # `entry 3 (release of QP-04 revision B)`
    signer: str = ""
    approved_by: str = ""
    signing_time: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the signature holds and belongs to the approver of record."""
        return not self.problems


def check_entry_signatures(entries: list[LedgerEntry], trust_roots: list[x509.Certificate], people: dict[str, str],
                           require: bool, zone=None) -> tuple[list[EntrySignature], list[str]]:
    """(one EntrySignature per signed entry, problems of unsigned entries when signatures are required).

    `people` maps certificate fingerprints to names (`signing.people`); `zone` (a tzinfo) is the
    time zone signing times are shown in. A signature must verify over the entry's hash, be made
    with the certificate the entry names (`signer`), chain to `trust_roots`, and belong to the
    entry's approver (`approved_by`). An entry that names a signer but has no signature lost it.
    """
    checks: list[EntrySignature] = []
    vouched_until = 0
    for entry in entries:
        if not entry.signature and not entry.signer:
            continue
        check = EntrySignature(entry.describe(), approved_by=entry.approved_by or "")
        checks.append(check)
        if not entry.signature:
            check.problems.append(f"names signer certificate {entry.signer[:12]}… but carries no signature (removed?)")
            continue
        found = verify_text(entry.signature, entry.hash, trust_roots, people)
        check.signer = found.signer
        if found.signing_time is not None:
            check.signing_time = (found.signing_time.astimezone(zone) if zone else found.signing_time).isoformat()
        check.problems.extend(found.problems)
        if found.fingerprint and found.fingerprint != entry.signer:
            check.problems.append(f"signed with certificate {found.fingerprint[:12]}…, not the one the entry names "
                                  f"({(entry.signer or 'none')[:12]}…)")
        if found.fingerprint and entry.approved_by and not holder_matches(entry.approved_by, found.fingerprint, found.signer, people):
            check.problems.append(f"signed by {found.signer}, but the entry's approver is {entry.approved_by}")
        if found.intact and found.valid and found.fingerprint == entry.signer:
            vouched_until = entry.seq
    unsigned = []
    if require:
        for entry in entries:
            spec = entry.spec
            if entry.seq > vouched_until and not entry.signature and (spec is None or spec.signed):
                unsigned.append(f"{entry.describe()} is not signed (require_signed_releases: true) and no later "
                                "signed entry vouches for it: it may have been appended without the approver's key")
    return checks, unsigned
