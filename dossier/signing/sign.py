"""PAdES signatures (B-B, or B-T with a timestamp authority) as incremental updates.

Each signature is appended as an incremental update, so earlier signatures stay valid. Sign
only after every pypdf step (stamp, bundle, normalise): pypdf rewrites the whole file.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import TextStampStyle

from dossier.errors import ToolError, UsageError
from dossier.signing.cms import sign_text
from dossier.signing.fonts import signature_font
from dossier.signing.keys import load_signer
from dossier.signing.people import fingerprint_of, holder_name
from dossier.signing.placement import place
from dossier.signing.profiles import SigningProfile
from dossier.util import atomic, clock

_RED = (0.8, 0.0, 0.0)
_WHITE = RawContent(b"1 1 1 rg 0 0 10 10 re f", box=BoxConstraints(10, 10))
_TIGHT = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                             margins=Margins.uniform(2))
_FILL = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                            margins=Margins.uniform(0), inner_content_scaling=InnerScaling.STRETCH_FILL)
_TIME_FORMAT = "%Y-%m-%d %H:%M UTC%z"  # in the workspace time zone: 2026-11-30 18:52 UTC+0800
_TSA_TIMEOUT = 30


@dataclass(frozen=True)
class SignResult:
    """SHA-256 of the file before signing (the reproducible artifact) and after (issued)."""

    unsigned_sha256: str
    signed_sha256: str


class ProfileSigner:
    """Signs PDFs with one profile; key, font and timestamper are loaded once."""

    def __init__(self, profile: SigningProfile) -> None:
        self.profile = profile
        self.signer = load_signer(profile)
        self.font = signature_font(profile.font) if profile.visible else None
        self.timestamper = (HTTPTimeStamper(profile.tsa_url, timeout=_TSA_TIMEOUT)
                            if profile.tsa_url else None)

    @property
    def signer_name(self) -> str:
        """Common name of the signing certificate (张三, or the company for a seal)."""
        return self.signer.subject_name or ""

    @property
    def fingerprint(self) -> str:
        """SHA-256 fingerprint of the signing certificate (64 hex digits)."""
        return fingerprint_of(self.signer.signing_cert)

    def holder(self, people: dict[str, str]) -> str:
        """The person the key belongs to: the name `people` (fingerprint -> name) lists, else the common name."""
        return holder_name(self.signer.signing_cert, people)

    def sign_text(self, text: str) -> str:
        """A detached CMS signature (base64) over `text`, e.g. a ledger entry's hash."""
        try:
            return sign_text(self.signer, text)
        except SigningError as exc:
            raise ToolError(f"signing with profile {self.profile.name} failed: {exc}") from None

    def sign(self, data: bytes, when: datetime | None = None, label: str = "PDF") -> bytes:
        """`data` with one more signature; `when` fixes the claimed signing time (default: now).

        The appearance shows the time in the profile's (the workspace's) time zone.
        """
        profile = self.profile
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data))
            signed_fields = {name for name, value, _ in fields.enumerate_sig_fields(writer.prev)
                             if value is not None}
        except (PdfError, ValueError) as exc:
            raise UsageError(f"{label}: not a readable PDF ({exc})") from None
        if profile.name in signed_fields:
            raise UsageError(f"{label}: already signed with profile {profile.name}")
        meta = signers.PdfSignatureMetadata(
            field_name=profile.name, md_algorithm="sha256", reason=profile.role,
            subfilter=fields.SigSeedSubFilter.PADES)
        zone = ZoneInfo(profile.timezone)
        when = (when or clock.now()).astimezone(zone)
        pdf_signer = _TimedPdfSigner(meta, self.signer, when=when, timestamper=self.timestamper,
                                     stamp_style=self._style(), new_field_spec=self._field(data))
        try:
            output = pdf_signer.sign_pdf(writer, appearance_text_params={"role": profile.role})
        except TimestampRequestError as exc:
            cause = f" ({exc.__cause__})" if exc.__cause__ else ""
            detail = f"{exc}{cause}".replace(profile.tsa_url or "", public_url(profile.tsa_url or ""))
            raise ToolError(f"{label}: timestamp authority {public_url(profile.tsa_url or '')} failed: "
                            f"{detail}") from None
        except (SigningError, PdfError) as exc:
            raise ToolError(f"{label}: signing with profile {profile.name} failed: {exc}") \
                from None
        return output.getvalue()

    def _field(self, data: bytes) -> fields.SigFieldSpec:
        if not self.profile.visible:
            return fields.SigFieldSpec(self.profile.name)
        where = place(data, self.profile.position, self.profile.role)
        return fields.SigFieldSpec(self.profile.name, on_page=where.page, box=where.box)

    def _style(self) -> TextStampStyle | None:
        """Red, transparent seal on the first page; elsewhere an opaque box that covers the
        typed name in the signature cell and shows role, signer and time instead."""
        if self.font is None:
            return None
        font = GlyphAccumulatorFactory(str(self.font))
        if self.profile.position == "first-page":
            return TextStampStyle(
                stamp_text="%(signer)s\n%(role)s\n%(ts)s", timestamp_format=_TIME_FORMAT,
                text_box_style=TextBoxStyle(font=font, text_color=_RED, box_layout_rule=_TIGHT),
                border_width=2, border_color=_RED)
        return TextStampStyle(
            stamp_text="%(role)s：%(signer)s\n%(ts)s", timestamp_format=_TIME_FORMAT,
            text_box_style=TextBoxStyle(font=font, box_layout_rule=_TIGHT),
            inner_content_layout=_TIGHT, border_width=1,
            background=_WHITE, background_opacity=1.0, background_layout=_FILL)

    def sign_file(self, path: Path, when: datetime | None = None) -> SignResult:
        """Sign `path` in place (atomic replace) and return the hashes before and after."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
        signed = self.sign(data, when=when, label=str(path))
        atomic.write_bytes(path, signed)
        return SignResult(hashlib.sha256(data).hexdigest(), hashlib.sha256(signed).hexdigest())


def public_url(url: str) -> str:
    """`url` without a user name or password (a TSA URL may carry credentials; messages never show them)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner whose claimed signing time can be fixed (pyHanko takes the clock otherwise)."""

    def __init__(self, *args, when: datetime | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._when = when

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._when is not None:
            session.system_time = self._when
        return session


def sign_pdf(data: bytes, profile: SigningProfile, when: datetime | None = None) -> bytes:
    """`data` signed once more with `profile` (PAdES B-B, B-T with a TSA URL)."""
    return ProfileSigner(profile).sign(data, when=when)


def sign_file(path: Path, profile: SigningProfile, when: datetime | None = None) -> SignResult:
    """Sign the PDF at `path` in place with `profile`; hashes of the unsigned and signed bytes."""
    return ProfileSigner(profile).sign_file(path, when=when)
