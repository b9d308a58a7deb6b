"""Detached CMS signatures over short texts (a ledger entry's hash) with a profile's key.

The same key that signs the PDF as 批准 signs the ledger entry of the release, so an entry
cannot be forged, even with a correctly recomputed hash chain, without the approver's key
(电子签名法 Art. 13: the signature is under the signatory's sole control and any later change
is detectable; device GMP Art. 46(2)). The signature is a DER `ContentInfo` (SignedData,
detached, SHA-256), stored base64-encoded; the signed content is the ASCII hex hash.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import cms, x509
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from dossier.signing.people import fingerprint_of, holder_name


def sign_text(signer: SimpleSigner, text: str) -> str:
    """Base64 of a detached CMS signature over the UTF-8 bytes of `text`."""
    signed = asyncio.run(signer.async_sign_general_data(text.encode("utf-8"), "sha256", detached=True))
    return base64.b64encode(signed.dump()).decode("ascii")


@dataclass
class TextSignatureCheck:
    """What verification found for one detached signature: who signed, and whether it holds."""

    signer: str = ""
    fingerprint: str = ""
    signing_time: datetime | None = None
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the signature is intact, valid and trusted."""
        return not self.problems


def verify_text(signature: str, text: str, trust_roots: list[x509.Certificate],
                people: dict[str, str] | None = None) -> TextSignatureCheck:
    """Check a base64 detached CMS `signature` over `text` against `trust_roots`.

    `people` maps certificate fingerprints to the names they belong to (`signing.people`);
    the signer is that name, else the certificate's common name. Never raises for bad input:
    problems are listed (`the signature does not verify`, `signer … is not trusted`).
    """
    check = TextSignatureCheck()
    try:
        info = cms.ContentInfo.load(base64.b64decode(signature, validate=True))
        signed = info["content"]
        cert = _signer_cert(signed)
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        check.problems.append(f"the signature cannot be read ({exc.__class__.__name__})")
        return check
    if cert is None:
        check.problems.append("the signature carries no signer certificate")
        return check
    check.fingerprint = fingerprint_of(cert)
    check.signer = holder_name(cert, people or {})
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    try:
        status = asyncio.run(async_validate_detached_cms(text.encode("utf-8"), signed, signer_validation_context=context))
    except Exception as exc:  # malformed signature data: report, never trace back
        check.problems.append(f"the signature cannot be validated ({exc.__class__.__name__})")
        return check
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    check.signing_time = status.signer_reported_dt
    if not status.intact:
        check.problems.append("the signature is over other content (digest mismatch)")
    elif not status.valid:
        check.problems.append("the signature value does not verify")
    elif not status.trusted:
        hint = "" if trust_roots else "; give its root certificate with --trust"
        check.problems.append(f"signer {check.signer} is not trusted{hint}")
    return check


def _signer_cert(signed: cms.SignedData) -> x509.Certificate | None:
    """The certificate named by the (single) signer info's issuer and serial number."""
    sid = signed["signer_infos"][0]["sid"]
    for choice in signed["certificates"] or []:
        cert = choice.chosen
        if isinstance(cert, x509.Certificate) and sid.name == "issuer_and_serial_number" \
                and cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
            return cert
    return None
