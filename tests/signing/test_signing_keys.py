"""Key material: PKCS#12 and PEM from files or the environment; every failure one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import EXIT_INPUT, UsageError
from dossier.signing.keys import load_signer
from dossier.signing.profiles import Source
from tests.signing_support import APPROVER_PASS, AUTHOR_PASS, profile, write_keys


@pytest.fixture()
def keys(tmp_path):
    return write_keys(tmp_path / "keys")


@pytest.fixture()
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


def _p12(keys, workspace, passphrase: Source | None, key: Source | None = None):
    return profile("author", "编制", key or Source("file", str(keys.author_p12)), "pkcs12",
                   workspace, passphrase=passphrase)


def _error(prof) -> str:
    with pytest.raises(UsageError) as caught:
        load_signer(prof)
    assert caught.value.exit_code == EXIT_INPUT
    lines = caught.value.lines()
    assert len(lines) == 1 and "\n" not in lines[0] and lines[0].startswith("error: ")
    return lines[0].removeprefix("error: ")


def test_pkcs12_from_environment(keys, workspace, monkeypatch):
    monkeypatch.setenv("T_P12", str(keys.author_p12))
    monkeypatch.setenv("T_PASS", AUTHOR_PASS)
    signer = load_signer(_p12(keys, workspace, Source("env", "T_PASS"), Source("env", "T_P12")))
    assert signer.subject_name == "张三"
    # the chain travels with the signature
    assert any(c.subject.native["common_name"] == "Dossier Test Root CA"
               for c in signer.cert_registry)


def test_pem_key_and_certificate_as_text_in_environment(keys, workspace, monkeypatch):
    monkeypatch.setenv("T_KEY", keys.approver_key.read_text())
    monkeypatch.setenv("T_CERT", keys.approver_cert.read_text())
    monkeypatch.setenv("T_PASS", APPROVER_PASS)
    prof = profile("approver", "批准", Source("env", "T_KEY"), "pem", workspace,
                   cert=Source("env", "T_CERT"), passphrase=Source("env", "T_PASS"))
    assert load_signer(prof).subject_name == "王五"


def test_wrong_pkcs12_passphrase_is_one_line_without_the_secret(keys, workspace, monkeypatch):
    monkeypatch.setenv("T_PASS", "guessed-wrong-42")
    line = _error(_p12(keys, workspace, Source("env", "T_PASS")))
    assert line == (f"signing profile author: cannot open PKCS#12 key {keys.author_p12}: "
                    "wrong passphrase, or not a PKCS#12 file")
    assert "guessed-wrong-42" not in line
    assert "no passphrase given" in _error(_p12(keys, workspace, None))


def test_missing_key_variable_and_missing_file(keys, workspace, monkeypatch):
    monkeypatch.delenv("T_NONE", raising=False)
    assert _error(_p12(keys, workspace, None, Source("env", "T_NONE"))) == (
        "signing profile author: environment variable T_NONE (the key) is not set")
    monkeypatch.setenv("T_P12", str(keys.author_p12.with_name("gone.p12")))
    assert _error(_p12(keys, workspace, None, Source("env", "T_P12"))) == (
        "signing profile author: the key file named by $T_P12 does not exist")  # a variable's value is never shown
    monkeypatch.delenv("T_PASS", raising=False)
    assert _error(_p12(keys, workspace, Source("env", "T_PASS"))) == (
        "signing profile author: environment variable T_PASS (the passphrase) is not set")


def test_pem_key_errors(keys, workspace, tmp_path):
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("nope")

    def pem(passphrase: Source | None, cert: Path = keys.approver_cert):
        return profile("approver", "批准", Source("file", str(keys.approver_key)), "pem",
                       workspace, cert=Source("file", str(cert)), passphrase=passphrase)

    assert "wrong passphrase, or not a PEM/DER private key" in _error(
        pem(Source("file", str(wrong))))
    assert "it is encrypted and no passphrase was given" in _error(pem(None))
    stranger = tmp_path / "stranger.crt"
    stranger.write_bytes(keys.ca_cert.read_bytes())
    assert f"the certificate {stranger} does not belong to the key" in _error(
        pem(Source("file", str(keys.approver_pass)), stranger))


def test_key_inside_the_workspace_is_refused(keys, workspace, monkeypatch):
    committed = workspace / "author.p12"
    committed.write_bytes(keys.author_p12.read_bytes())
    monkeypatch.setenv("T_P12", str(committed))
    line = _error(_p12(keys, workspace, None, Source("env", "T_P12")))
    assert line == ("signing profile author: the key file named by $T_P12 lies inside the "
                    "workspace; keep secrets outside it")


def test_pem_key_holding_its_certificate_needs_no_separate_certificate(keys, workspace, tmp_path):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(keys.approver_key.read_bytes() + keys.approver_cert.read_bytes())
    passphrase = Source("file", str(keys.approver_pass))
    prof = profile("approver", "批准", Source("file", str(bundle)), "pem", workspace,
                   passphrase=passphrase)
    assert load_signer(prof).subject_name == "王五"
    key_only = profile("approver", "批准", Source("file", str(keys.approver_key)), "pem",
                       workspace, passphrase=passphrase)
    assert _error(key_only) == (
        f"signing profile approver: no certificate found in {keys.approver_key}")
