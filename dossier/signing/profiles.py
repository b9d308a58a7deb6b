"""Signing profiles: the `signing:` section of a workspace's dossier.yaml.

A profile names a key (PKCS#12, or PEM key + certificate), the role it signs in
(编制, 审核, 批准, 公司电子印章 …), whether the signature is visible and where it goes, and an
optional timestamp authority. Keys are referenced by environment variable NAME or by a file
path outside the workspace; the secrets themselves never appear in the workspace or in output.

    signing:
      font: /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc   # optional
      tsa_url: https://tsa.example.com                                # optional default
      profiles:
        author:   {role: 编制, pkcs12_env: DOSSIER_AUTHOR_P12, passphrase_env: DOSSIER_AUTHOR_PASS}
        approver: {role: 批准, key_env: DOSSIER_APPROVER_KEY, cert_env: DOSSIER_APPROVER_CERT,
                   passphrase_env: DOSSIER_APPROVER_PASS}   # cert_*: unless the PEM holds it
        seal:     {role: 公司电子印章, pkcs12_file: /secrets/seal.p12, position: first-page}
      people:                                                          # optional, see signing.people
        王建国: 3fa1…9c      # SHA-256 fingerprint(s) of the certificates that are this person's

A profile signs for the person its certificate belongs to (`dossier.signing.people`): signing a
document in the role 编制, 审核 or 批准 is refused when the document names someone else for it.
Signature appearances show times in the workspace's `timezone` (default Asia/Shanghai).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import Problems, UsageError
from dossier.signing.people import load_people

POSITIONS = ("approval", "last-page", "first-page")
KEY_FIELDS = ("pkcs12_env", "pkcs12_file", "key_env", "key_file")
CERT_FIELDS = ("cert_env", "cert_file")
PASSPHRASE_FIELDS = ("passphrase_env", "passphrase_file")
PROFILE_FIELDS = ("role", "visible", "position", "tsa_url", *KEY_FIELDS, *CERT_FIELDS,
                  *PASSPHRASE_FIELDS)
SIGNING_FIELDS = ("font", "tsa_url", "profiles", "people")

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Source:
    """Where a secret or a certificate comes from: an environment variable or a file."""

    kind: str  # "env" or "file"
    ref: str  # variable name, or absolute file path


@dataclass(frozen=True)
class SigningProfile:
    """One way of signing: key material, role, appearance and placement."""

    name: str
    role: str
    key: Source
    key_format: str  # "pkcs12", "pem" (PEM/DER private key) or "auto" (decided by content)
    cert: Source | None
    passphrase: Source | None
    visible: bool
    position: str
    tsa_url: str | None
    font: Path | None
    workspace: Path
    timezone: str = "Asia/Shanghai"  # the zone signature appearances show times in

    def with_overrides(self, key: Source | None = None, cert: Source | None = None,
                       passphrase: Source | None = None) -> "SigningProfile":
        """The same profile with key, certificate or passphrase taken from elsewhere (CLI)."""
        changes: dict[str, Any] = {}
        if key is not None:
            changes.update(key=key, key_format="auto")
        if cert is not None:
            changes["cert"] = cert
        if passphrase is not None:
            changes["passphrase"] = passphrase
        return dataclasses.replace(self, **changes)


def load_profiles(config: dict, problems: Problems, root: Path | None = None
                  ) -> dict[str, SigningProfile]:
    """Parse `signing:` of a loaded dossier.yaml (a SourceMap) into profiles by name.

    `root` is the workspace directory (default: the directory of the YAML file); relative file
    paths are resolved against it and key or passphrase files inside it are refused.
    """
    path = getattr(config, "path", "dossier.yaml")
    workspace = (root or Path(path).parent).resolve()
    signing = config.get("signing")
    if signing is None:
        return {}
    if not isinstance(signing, dict):
        problems.add(path, _line(config, "signing"), "signing", "must be a mapping")
        return {}
    _unknown_keys(signing, SIGNING_FIELDS, "signing", problems)
    load_people(signing, path, problems)
    font = _file_path(signing, "font", "signing", workspace, problems, secret=False)
    tsa_url = _tsa_url(signing, "signing", problems)
    profiles = signing.get("profiles")
    if not isinstance(profiles, dict) or not profiles:
        problems.add(path, _line(signing, "profiles"), "signing.profiles",
                     "must map profile names to profiles (role, key, …)")
        return {}
    result = {}
    for name, entry in profiles.items():
        where = f"signing.profiles.{name}"
        if not isinstance(name, str) or not _PROFILE_NAME.match(name):
            problems.add(path, _line(profiles, name), where,
                         "profile names use only letters, digits, '-' and '_'")
            continue
        if not isinstance(entry, dict):
            problems.add(path, _line(profiles, name), where, "must be a mapping (role, key, …)")
            continue
        profile = _profile(name, entry, where, workspace, font, tsa_url, problems)
        if profile is not None:
            zone = config.get("timezone")
            result[name] = dataclasses.replace(profile, timezone=zone) if isinstance(zone, str) and zone else profile
    return result


def signing_people(config: dict) -> dict[str, str]:
    """`signing.people` of a loaded dossier.yaml as {certificate fingerprint: name} (problems ignored: `load_profiles` reports them)."""
    signing = config.get("signing")
    return load_people(signing, getattr(config, "path", "dossier.yaml"), Problems())


def _profile(name: str, entry: dict, where: str, workspace: Path, font: Path | None,
             default_tsa: str | None, problems: Problems) -> SigningProfile | None:
    """Validate one profile mapping; None when it has problems (recorded)."""
    count = len(problems.items)
    path = getattr(entry, "path", "dossier.yaml")
    _unknown_keys(entry, PROFILE_FIELDS, where, problems)
    role = entry.get("role")
    if not isinstance(role, str) or not role.strip():
        problems.add(path, _line(entry, "role"), f"{where}.role",
                     "required: the role this key signs in, e.g. 编制, 审核, 批准, 公司电子印章")
    visible = entry.get("visible", True)
    if not isinstance(visible, bool):
        problems.add(path, _line(entry, "visible"), f"{where}.visible", "must be true or false")
    position = entry.get("position", "approval")
    if position not in POSITIONS:
        problems.add(path, _line(entry, "position"), f"{where}.position",
                     f"must be one of {', '.join(POSITIONS)}")
    key, key_format = _key_source(entry, where, workspace, problems)
    cert = _one_source(entry, CERT_FIELDS, where, workspace, problems, secret=False)
    if key_format == "pkcs12" and cert is not None:
        problems.add(path, _line(entry, "cert_env" if "cert_env" in entry else "cert_file"),
                     where, "a PKCS#12 file carries its certificate: drop cert_env/cert_file")
    passphrase = _one_source(entry, PASSPHRASE_FIELDS, where, workspace, problems, secret=True)
    tsa_url = _tsa_url(entry, where, problems) or default_tsa
    if len(problems.items) > count or key is None:
        return None
    return SigningProfile(name=name, role=role.strip(), key=key, key_format=key_format,
                          cert=cert, passphrase=passphrase, visible=visible, position=position,
                          tsa_url=tsa_url, font=font, workspace=workspace)


def _key_source(entry: dict, where: str, workspace: Path, problems: Problems
                ) -> tuple[Source | None, str]:
    """The key's source and format from exactly one of pkcs12_env/_file, key_env/_file."""
    given = [f for f in KEY_FIELDS if f in entry]
    path = getattr(entry, "path", "dossier.yaml")
    if len(given) != 1:
        what = "needs" if not given else "takes only one of"
        problems.add(path, _line(entry, given[1] if given else None), where,
                     f"{what} a key: pkcs12_env, pkcs12_file, key_env or key_file")
        return None, ""
    source = _one_source(entry, (given[0],), where, workspace, problems, secret=True)
    return source, "pkcs12" if given[0].startswith("pkcs12") else "pem"


def _one_source(entry: dict, names: tuple[str, ...], where: str, workspace: Path,
                problems: Problems, secret: bool) -> Source | None:
    """At most one of `names` (an *_env and an *_file field) as a Source."""
    given = [n for n in names if n in entry]
    path = getattr(entry, "path", "dossier.yaml")
    if len(given) > 1:
        problems.add(path, _line(entry, given[1]), f"{where}.{given[1]}",
                     f"give either {given[0]} or {given[1]}, not both")
        return None
    if not given:
        return None
    field = given[0]
    if field.endswith("_env"):
        value = entry[field]
        if not isinstance(value, str) or not _ENV_NAME.match(value):
            problems.add(path, _line(entry, field), f"{where}.{field}",
                         "must be the NAME of an environment variable, e.g. DOSSIER_AUTHOR_P12")
            return None
        return Source("env", value)
    file_path = _file_path(entry, field, where, workspace, problems, secret=secret)
    return Source("file", str(file_path)) if file_path else None


def _file_path(entry: dict, field: str, where: str, workspace: Path, problems: Problems,
               secret: bool) -> Path | None:
    """A file path field, resolved against the workspace; secrets must lie outside it."""
    value = entry.get(field)
    if value is None:
        return None
    path = getattr(entry, "path", "dossier.yaml")
    if not isinstance(value, str) or not value.strip():
        problems.add(path, _line(entry, field), f"{where}.{field}", "must be a file path")
        return None
    resolved = (workspace / Path(value).expanduser()).resolve()
    if secret and resolved.is_relative_to(workspace):
        problems.add(path, _line(entry, field), f"{where}.{field}",
                     "keys and passphrases must not live in the workspace; "
                     "keep them outside it and give the path or an environment variable")
        return None
    return resolved


def _tsa_url(entry: dict, where: str, problems: Problems) -> str | None:
    """The optional timestamp authority URL of a mapping."""
    value = entry.get("tsa_url")
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
        problems.add(getattr(entry, "path", "dossier.yaml"), _line(entry, "tsa_url"),
                     f"{where}.tsa_url", "must be an http:// or https:// URL")
        return None
    return value


def _unknown_keys(entry: dict, allowed: tuple[str, ...], where: str, problems: Problems) -> None:
    for key in entry:
        if key not in allowed:
            problems.add(getattr(entry, "path", "dossier.yaml"), _line(entry, key),
                         f"{where}.{key}", f"unknown field (expected {', '.join(allowed)})")


def _line(mapping: Any, key: Any) -> int | None:
    line_of = getattr(mapping, "line_of", None)
    return line_of(key) if line_of else None


def cli_source(env: str | None, file: str | None, option: str) -> Source | None:
    """A Source from a `--x-env NAME` / `--x-file PATH` option pair (at most one given)."""
    if env and file:
        raise UsageError(f"give either --{option}-env or --{option}-file, not both")
    if env:
        if not _ENV_NAME.match(env):
            raise UsageError(f"--{option}-env takes the NAME of an environment variable")
        return Source("env", env)
    if file:
        return Source("file", str(Path(file).expanduser().resolve()))
    return None
