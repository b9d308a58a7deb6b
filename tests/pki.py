"""A throwaway PKI made at test time: a root CA, signer certificates, a TSA, key files.

Nothing here is committed as a key: every key is generated fresh into pytest's tmp dirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
_END = dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class Identity:
    """A private key with its certificate and the CA certificate that issued it."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate
    ca_cert: x509.Certificate

    def write_pkcs12(self, path: Path, passphrase: str) -> Path:
        """Write key + certificate + CA as a passphrase-protected PKCS#12 file."""
        data = pkcs12.serialize_key_and_certificates(
            b"signer", self.key, self.cert, [self.ca_cert],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
        path.write_bytes(data)
        return path

    def write_pem(self, key_path: Path, cert_path: Path, passphrase: str | None) -> None:
        """Write the key (encrypted when a passphrase is given) and the certificate as PEM."""
        encryption = (serialization.BestAvailableEncryption(passphrase.encode())
                      if passphrase else serialization.NoEncryption())
        key_path.write_bytes(self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
        cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM)
                              + self.ca_cert.public_bytes(serialization.Encoding.PEM))


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "示例医疗器械有限公司"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


class ThrowawayCA:
    """A root CA that issues signer and timestamping certificates."""

    def __init__(self, name: str = "Dossier Test Root CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        public = self.key.public_key()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name)).issuer_name(_name(name))
            .public_key(public).serial_number(x509.random_serial_number())
            .not_valid_before(_START).not_valid_after(_END)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, common_name: str, timestamping: bool = False,
              usages: tuple[str, ...] = ("digital_signature", "content_commitment")
              ) -> Identity:
        """A new end-entity key and certificate: ECDSA P-256 for signing, RSA for a TSA
        (pyHanko's test TSA signs with RSA only). `usages` are the KeyUsage bits set."""
        key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if timestamping
               else ec.generate_private_key(ec.SECP256R1()))
        bits = {name: name in (("digital_signature",) if timestamping else usages)
                for name in ("digital_signature", "content_commitment", "key_encipherment",
                             "data_encipherment", "key_agreement")}
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name)).issuer_name(self.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(_START).not_valid_after(_END)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(**bits, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
        )
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return Identity(key, builder.sign(self.key, hashes.SHA256()), self.cert)

    def cert_asn1(self):
        """The CA certificate as asn1crypto reads it (what `load_trust_roots` returns)."""
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def write_cert(self, path: Path) -> Path:
        """Write the CA certificate as PEM (what a reviewer passes to --trust)."""
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path
