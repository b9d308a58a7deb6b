"""Verify the signatures of PDFs: integrity, trust, coverage, signer, role and time.

A signature passes when its digest and signature value check out, its signer chains to a
trusted root (`--trust`), any signature timestamp validates, and it covers the whole file —
or the revisions appended after it only add signatures (pyHanko's difference analysis). Bytes
appended after the last revision, or a later revision that changes a page, fail.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from dossier.errors import UsageError
from dossier.signing.people import fingerprint_of

# Either bit marks a signing key (pyHanko alone demands nonRepudiation; Adobe accepts both).
SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


@dataclass
class SignatureCheck:
    """What verification found for one signature of one PDF."""

    field: str
    signer: str = ""
    role: str = ""
    named: str = ""  # the person the document names for this role (编制/审核/批准), when known
    fingerprint: str = ""  # SHA-256 of the signer's certificate
    signing_time: str | None = None
    timestamped: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with this signature."""
        return not self.problems

    def label(self) -> str:
        """`signature author (编制, 张三)` for messages."""
        who = ", ".join(part for part in (self.role, self.signer) if part)
        return f"signature {self.field}" + (f" ({who})" if who else "")

    def named_text(self) -> str:
        """`, document names 张三 for 编制` when the named person is known."""
        return f", document names {self.named} for {self.role}" if self.named else ""


@dataclass
class PdfCheck:
    """Verification result of one PDF: its signatures and file-level problems."""

    path: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file and every signature passed."""
        return not self.problems and all(s.ok for s in self.signatures)

    def failure_lines(self) -> list[str]:
        """One line per problem, naming the file and the signature."""
        lines = [f"{self.path}: {p}" for p in self.problems]
        for sig in self.signatures:
            lines.extend(f"{self.path}: {sig.label()}: {p}" for p in sig.problems)
        return lines

    def summary_lines(self) -> list[str]:
        """One line per signature for a human reader."""
        if not self.signatures:
            return [f"{self.path}: no signatures"]
        return [f"{self.path}: {sig.label()}: {'ok' if sig.ok else 'FAILED'}{sig.named_text()}, signed "
                f"{sig.signing_time or 'at an unknown time'}"
                f"{' (timestamped)' if sig.timestamped else ''}, covers {sig.coverage}"
                for sig in self.signatures]

    def to_json(self) -> dict:
        """A JSON-ready dict of the whole result."""
        result = asdict(self)
        result["ok"] = self.ok
        for entry, sig in zip(result["signatures"], self.signatures):
            entry["ok"] = sig.ok
        return result


def load_trust_roots(paths: list[Path]) -> list[x509.Certificate]:
    """Certificates (PEM or DER, several per file allowed) given with --trust."""
    roots: list[x509.Certificate] = []
    for path in paths:
        try:
            roots.extend(load_certs_from_pemder_data(path.read_bytes()))
        except OSError as exc:
            raise UsageError(f"--trust {path}: cannot read ({exc.strerror})") from None
        except ValueError:
            raise UsageError(f"--trust {path}: not a PEM or DER certificate") from None
    return roots


def verify_pdf(path: Path, trust_roots: list[x509.Certificate], display: str | None = None,
               require_signature: bool = True) -> PdfCheck:
    """Check every signature of the PDF at `path` against `trust_roots`."""
    check = PdfCheck(display or str(path))
    try:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()))
        signatures = reader.embedded_regular_signatures
        signature_fields = {name for name, _, _ in enumerate_sig_fields(reader)}
    except OSError as exc:
        check.problems.append(f"cannot read ({exc.strerror})")
        return check
    except Exception as exc:  # any parser failure means the file cannot be trusted
        check.problems.append(f"not a readable PDF ({exc})")
        return check
    if not signatures and require_signature:
        check.problems.append("no signatures")
    last_revision = reader.xrefs.total_revisions - 1
    for signature in signatures:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        check.signatures.append(
            _check_signature(signature, context, last_revision, signature_fields, trust_roots))
    return check


def _check_signature(signature: EmbeddedPdfSignature, context: ValidationContext,
                     last_revision: int, signature_fields: set[str],
                     trust_roots: list[x509.Certificate]) -> SignatureCheck:
    check = SignatureCheck(field=signature.field_name,
                           role=str(signature.sig_object.get(pdf_name("/Reason"), "")))
    try:
        check.signer = _common_name(signature.signer_cert)
        check.fingerprint = fingerprint_of(signature.signer_cert)
        status = validate_pdf_signature(signature, signer_validation_context=context,
                                        key_usage_settings=SIGNER_KEY_USAGE)
    except Exception as exc:  # malformed signature data: report, never trace back
        check.problems.append(f"cannot be validated ({exc})")
        return check
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    timestamp = status.timestamp_validity
    check.timestamped = timestamp is not None
    when = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    check.signing_time = when.isoformat() if when else None
    if not status.intact:
        check.problems.append("the signed bytes were changed (digest mismatch)")
    elif not status.valid:
        check.problems.append("the signature value does not verify")
    elif not status.trusted:  # trust is only evaluated for an intact, valid signature
        hint = "" if trust_roots else "; give its root certificate with --trust"
        reason = f" ({status.trust_problem_indic.name})" if status.trust_problem_indic else ""
        check.problems.append(f"signer {check.signer} is not trusted{reason}{hint}")
    if timestamp is not None and not (timestamp.intact and timestamp.valid and timestamp.trusted):
        check.problems.append("the signature timestamp does not validate or is not trusted")
    check.coverage, coverage_problem = _coverage(signature, status, last_revision,
                                                 signature_fields)
    if coverage_problem:
        check.problems.append(coverage_problem)
    return check


def _coverage(signature: EmbeddedPdfSignature, status: PdfSignatureStatus, last_revision: int,
              signature_fields: set[str]) -> tuple[str, str | None]:
    """(what the signature covers, problem or None)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "the entire file", None
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "part of its revision", "the signature does not cover its own revision"
    if signature.signed_revision >= last_revision:
        return ("its revision, not the bytes appended after it",
                "bytes were appended after signing (not covered by any signature)")
    level = status.modification_level
    diff = status.diff_result
    if level is None or level > ModificationLevel.FORM_FILLING:
        detail = f": {diff}" if diff is not None and not isinstance(diff, DiffResult) else ""
        return ("its revision; later revisions change the document",
                f"a later revision changes the document (modification level "
                f"{level.name if level else 'unknown'}{detail})")
    if isinstance(diff, DiffResult):
        others = sorted(diff.changed_form_fields - signature_fields)
        if others:
            return ("its revision; later revisions fill form fields",
                    f"a later revision fills form fields other than signatures: "
                    f"{', '.join(others)}")
    return "its revision; later revisions only add signatures", None


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.native
    return str(names.get("common_name") or names.get("organization_name")
               or cert.subject.human_friendly)

