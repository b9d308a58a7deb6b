"""Signing profiles from dossier.yaml: parsing, defaults, and every config error with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import InputErrors, Problems, UsageError
from dossier.signing.profiles import Source, cli_source, load_profiles
from dossier.workspace.yamlsrc import load_yaml

CONFIG = """\
company: {name: 示例医疗科技有限公司}
signing:
  font: /opt/fonts/NotoSansCJK-Regular.ttc
  tsa_url: http://tsa.example.com/tsr
  profiles:
    author:   {role: 编制, pkcs12_env: DOSSIER_AUTHOR_P12, passphrase_env: DOSSIER_AUTHOR_PASS}
    approver:
      role: 批准
      key_env: DOSSIER_APPROVER_KEY
      cert_file: certs/approver.crt
      passphrase_file: {secrets}/approver.pass
      position: approval
      tsa_url: https://tsa.other.example/
    seal: {role: 公司电子印章, pkcs12_file: {secrets}/seal.p12, position: first-page, visible: true}
    reviewer: {role: 审核, pkcs12_env: R_P12, visible: false}
"""


def _load(tmp_path: Path, text: str) -> tuple[dict, Problems]:
    workspace = tmp_path / "ws"
    workspace.mkdir(exist_ok=True)
    (workspace / "dossier.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    config = load_yaml(workspace / "dossier.yaml", problems, "dossier.yaml")
    return load_profiles(config, problems, workspace), problems


def _errors(problems: Problems) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        problems.raise_if_any()
    return caught.value.lines()


def test_profiles_parse_with_defaults(tmp_path):
    secrets = tmp_path / "secrets"
    text = CONFIG.replace("{secrets}", str(secrets))
    profiles, problems = _load(tmp_path, text)
    assert not problems, [str(p) for p in problems.items]
    assert sorted(profiles) == ["approver", "author", "reviewer", "seal"]

    author = profiles["author"]
    assert (author.role, author.key, author.key_format) == (
        "编制", Source("env", "DOSSIER_AUTHOR_P12"), "pkcs12")
    assert author.passphrase == Source("env", "DOSSIER_AUTHOR_PASS")
    assert (author.visible, author.position) == (True, "approval")
    assert author.tsa_url == "http://tsa.example.com/tsr"  # the section's default
    assert author.font == Path("/opt/fonts/NotoSansCJK-Regular.ttc")
    assert author.workspace == (tmp_path / "ws").resolve()

    approver = profiles["approver"]
    assert (approver.key, approver.key_format) == (Source("env", "DOSSIER_APPROVER_KEY"), "pem")
    assert approver.cert == Source("file", str((tmp_path / "ws/certs/approver.crt").resolve()))
    assert approver.passphrase == Source("file", str(secrets / "approver.pass"))
    assert approver.tsa_url == "https://tsa.other.example/"

    seal = profiles["seal"]
    assert (seal.role, seal.position, seal.key) == (
        "公司电子印章", "first-page", Source("file", str(secrets / "seal.p12")))
    assert profiles["reviewer"].visible is False
    assert profiles["reviewer"].passphrase is None


def test_every_profile_error_is_reported_with_line_and_field(tmp_path):
    text = """\
company: {name: X}
signing:
  colour: red
  profiles:
    nobody: {pkcs12_env: A_P12}
    twokeys: {role: 编制, pkcs12_env: A_P12, key_file: /k/a.key, cert_file: /k/a.crt}
    badpos: {role: 审核, pkcs12_env: B_P12, position: middle, visible: yes-please}
    p12cert: {role: 批准, pkcs12_env: C_P12, cert_env: C_CERT}
    badenv: {role: 批准, pkcs12_env: "not a name"}
    inside: {role: 批准, pkcs12_file: keys/a.p12, passphrase_file: ./pass.txt}
    badtsa: {role: 批准, pkcs12_env: E_P12, tsa_url: ftp://tsa}
    "bad name": {role: 批准, pkcs12_env: F_P12}
    extra: {role: 批准, pkcs12_env: G_P12, colour: blue}
"""
    profiles, problems = _load(tmp_path, text)
    assert profiles == {}
    lines = _errors(problems)
    expected = [
        "error: dossier.yaml:3: signing.colour: unknown field",
        "error: dossier.yaml:5: signing.profiles.nobody.role: required",
        "error: dossier.yaml:6: signing.profiles.twokeys: takes only one of a key",
        "error: dossier.yaml:7: signing.profiles.badpos.position: must be one of approval, "
        "last-page, first-page",
        "error: dossier.yaml:7: signing.profiles.badpos.visible: must be true or false",
        "error: dossier.yaml:8: signing.profiles.p12cert: a PKCS#12 file carries its certificate",
        "error: dossier.yaml:9: signing.profiles.badenv.pkcs12_env: must be the NAME of an "
        "environment variable",
        "error: dossier.yaml:10: signing.profiles.inside.passphrase_file: keys and passphrases "
        "must not live in the workspace",
        "error: dossier.yaml:10: signing.profiles.inside.pkcs12_file: keys and passphrases must "
        "not live in the workspace",
        "error: dossier.yaml:11: signing.profiles.badtsa.tsa_url: must be an http:// or https:// URL",
        "error: dossier.yaml:12: signing.profiles.bad name: profile names use only letters",
        "error: dossier.yaml:13: signing.profiles.extra.colour: unknown field",
    ]
    for prefix in expected:
        assert sum(line.startswith(prefix) for line in lines) == 1, (prefix, lines)
    assert len(lines) == len(expected)


def test_missing_or_empty_signing_section(tmp_path):
    profiles, problems = _load(tmp_path, "company: {name: X}\n")
    assert profiles == {} and not problems
    profiles, problems = _load(tmp_path, "company: {name: X}\nsigning: {font: /f.otf}\n")
    assert _errors(problems) == [
        "error: dossier.yaml:2: signing.profiles: must map profile names to profiles (role, key, …)"]


def test_cli_sources_and_overrides(tmp_path):
    text = CONFIG.replace("{secrets}", str(tmp_path))
    profiles, _ = _load(tmp_path, text)
    approver = profiles["approver"]
    override = approver.with_overrides(key=cli_source(None, "k.p12", "key"),
                                       passphrase=cli_source("P", None, "passphrase"))
    assert override.key == Source("file", str(Path("k.p12").resolve()))
    assert override.key_format == "auto"
    assert override.cert == approver.cert  # kept unless --cert-* is given
    assert override.passphrase == Source("env", "P")
    assert approver.with_overrides() == approver
    with pytest.raises(UsageError, match="either --key-env or --key-file"):
        cli_source("A", "b", "key")
    with pytest.raises(UsageError, match="NAME of an environment variable"):
        cli_source("$A", None, "passphrase")
