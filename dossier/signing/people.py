"""Who a certificate belongs to: `signing.people` in dossier.yaml, else the certificate's subject.

    signing:
      people:                     # optional: name -> SHA-256 fingerprint(s) of their certificates
        王建国: 3F:A1:…:9C
        李强: [0b5e…, 77d2…]

A signature counts as the person the document names for its role (编制 prepared_by, 审核
reviewed_by, 批准 the approver of record) only when the certificate's holder is that person:
the name the people list gives the certificate's fingerprint, else its common name. A person
on the list signs only with a listed certificate (电子签名法 Art. 13: the signature data belongs
to the signatory alone).
"""

from __future__ import annotations

import hashlib
import re

from asn1crypto import x509

from dossier.errors import Problems

_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def fingerprint_of(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER bytes, 64 lowercase hex digits."""
    return hashlib.sha256(cert.dump()).hexdigest()


def common_name(cert: x509.Certificate) -> str:
    """The subject's common name (or organisation, or the whole subject)."""
    names = cert.subject.native
    return str(names.get("common_name") or names.get("organization_name") or cert.subject.human_friendly)


def holder_name(cert: x509.Certificate, people: dict[str, str]) -> str:
    """The person a certificate belongs to: its listed name (`people`: fingerprint -> name), else its common name."""
    return people.get(fingerprint_of(cert)) or common_name(cert)


def holder_matches(named: str, cert_fingerprint: str, cert_holder: str, people: dict[str, str]) -> bool:
    """Whether a certificate (fingerprint, holder name) belongs to the person `named`.

    When `named` is on the people list, only their listed certificates count; otherwise the
    holder's name (listed name, else common name) must equal `named` (spaces ignored).
    """
    listed = {fp for fp, name in people.items() if name == named}
    if listed:
        return cert_fingerprint in listed
    return _plain(cert_holder) == _plain(named)


def _plain(name: str) -> str:
    return re.sub(r"\s+", "", name)


def load_people(signing: object, path: str, problems: Problems) -> dict[str, str]:
    """`signing.people` of dossier.yaml as {fingerprint: name}; problems recorded with their line.

    Fingerprints are SHA-256 hex, with or without colons, any case; one fingerprint belongs to
    one person only.
    """
    if not isinstance(signing, dict) or signing.get("people") is None:
        return {}
    people = signing["people"]
    line_of = getattr(people, "line_of", lambda key: None)
    if not isinstance(people, dict):
        problems.add(path, getattr(signing, "line_of", lambda key: None)("people"), "signing.people",
                     "must map each person's name to the SHA-256 fingerprint(s) of their certificates")
        return {}
    result: dict[str, str] = {}
    for name, value in people.items():
        where = f"signing.people.{name}"
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or not name.strip() or not values:
            problems.add(path, line_of(name), where, "expected a name and one or more certificate fingerprints")
            continue
        for item in values:
            digest = re.sub(r"[:\s]", "", item).lower() if isinstance(item, str) else ""
            if not _FINGERPRINT.match(digest):
                problems.add(path, line_of(name), where,
                             f"{item!r} is not a SHA-256 certificate fingerprint (64 hex digits, colons allowed)")
            elif digest in result and result[digest] != name.strip():
                problems.add(path, line_of(name), where, f"the fingerprint {digest[:12]}… is already listed for {result[digest]}")
            else:
                result[digest] = name.strip()
    return result
