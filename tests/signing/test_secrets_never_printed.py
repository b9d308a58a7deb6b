"""No message, log line or JSON ever holds a secret's value (issue 14 #5): every signing error case, all output scanned."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from dossier.cli import cli
from tests.hostile_support import new_workspace
from tests.signing_support import APPROVER_PASS, AUTHOR_PASS, write_keys

PROFILES = """signing:
  profiles:
    author: {role: 编制, pkcs12_env: S_P12, passphrase_env: S_PASS}
    approver: {role: 批准, key_env: S_KEY, cert_env: S_CERT, passphrase_env: S_PASS}
    stamped: {role: 编制, pkcs12_env: S_P12, passphrase_env: S_PASS, tsa_url: "http://tsa-user:tsa-secret-pw@127.0.0.1:9/tsa"}
"""
TOKEN = "hunter2-Secret-Token-ZX81"


def _blank_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture()
def signing_workspace(tmp_path: Path):
    keys = write_keys(tmp_path / "secrets")
    root = new_workspace(tmp_path / "ws")
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + PROFILES, encoding="utf-8")
    return keys, root, _blank_pdf(root / "build-in.pdf")


def _cases(keys, root: Path) -> dict[str, tuple[dict[str, str], str]]:
    """name -> (environment, profile): every way key material can be wrong."""
    p12_b64 = base64.b64encode(keys.author_p12.read_bytes()).decode()
    pem_key = keys.approver_key.read_text()
    cert = keys.approver_cert.read_text()
    inside = root / "author.p12"
    inside.write_bytes(keys.author_p12.read_bytes())
    return {
        "base64 p12, wrong passphrase": ({"S_P12": p12_b64, "S_PASS": TOKEN}, "author"),
        "base64 p12, no passphrase variable": ({"S_P12": p12_b64}, "author"),
        "base64 garbage": ({"S_P12": base64.b64encode(TOKEN.encode() * 8).decode(), "S_PASS": AUTHOR_PASS}, "author"),
        "token that is no path": ({"S_P12": TOKEN, "S_PASS": AUTHOR_PASS}, "author"),
        "token with a newline": ({"S_P12": TOKEN + "\n" + TOKEN, "S_PASS": AUTHOR_PASS}, "author"),
        "path inside the workspace": ({"S_P12": str(inside), "S_PASS": AUTHOR_PASS}, "author"),
        "p12 path, wrong passphrase": ({"S_P12": str(keys.author_p12), "S_PASS": TOKEN}, "author"),
        "pem key text, wrong passphrase": ({"S_KEY": pem_key, "S_CERT": cert, "S_PASS": TOKEN}, "approver"),
        "pem key text, certificate garbage": ({"S_KEY": pem_key, "S_CERT": TOKEN, "S_PASS": APPROVER_PASS}, "approver"),
        "pem key text, other certificate": ({"S_KEY": pem_key, "S_CERT": keys.ca_cert.read_text(), "S_PASS": APPROVER_PASS}, "approver"),
        "certificate variable unset": ({"S_KEY": pem_key, "S_PASS": APPROVER_PASS}, "approver"),
        "tsa with credentials unreachable": ({"S_P12": str(keys.author_p12), "S_PASS": AUTHOR_PASS}, "stamped"),
    }


def _secrets(keys, environment: dict[str, str]) -> list[str]:
    """Every secret string of a case, and pieces of them long enough to recognise."""
    values = [v for k, v in environment.items() if k != "S_CERT"] + [AUTHOR_PASS, APPROVER_PASS, "tsa-secret-pw"]
    values.append(base64.b64encode(keys.author_p12.read_bytes()).decode())
    values.append(keys.approver_key.read_text())
    pieces = []
    for value in values:
        pieces.append(value)
        if value.startswith("/"):
            continue  # a file's path: whole only (it shares its start with other paths of the test)
        pieces.extend(line for line in value.splitlines() if len(line) >= 16 and "-----" not in line)
        pieces.extend(value[i:i + 24] for i in range(0, max(0, len(value) - 24), 97))
    return [p for p in pieces if len(p) >= 7]


def test_no_output_of_any_signing_error_holds_a_secret(signing_workspace, monkeypatch, caplog) -> None:
    keys, root, pdf = signing_workspace
    caplog.set_level(logging.DEBUG)
    for name, (environment, profile) in _cases(keys, root).items():
        for variable in ("S_P12", "S_PASS", "S_KEY", "S_CERT"):
            monkeypatch.delenv(variable, raising=False)
        for variable, value in environment.items():
            monkeypatch.setenv(variable, value)
        caplog.clear()
        runs = [CliRunner().invoke(cli, ["sign", str(pdf), "--profile", profile, "--workspace", str(root)])]
        if profile != "stamped":  # the timestamp authority is asked only after conversion (LibreOffice)
            runs.append(CliRunner().invoke(cli, ["build", str(root), "--sign", profile, "--json"]))
        for result in runs:
            assert result.exit_code in (2, 3), (name, result.output)
            assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit), name
            lines = [line for line in result.output.splitlines() if line.strip()]
            assert any(line.startswith("error: ") for line in lines), (name, result.output)
            assert all(line.startswith(("error: ", "warning: ")) for line in lines), (name, result.output)
            text = result.output + "\n".join(record.getMessage() for record in caplog.records)
            for secret in _secrets(keys, environment):
                assert secret not in text, (name, secret, result.output)
        assert not (root / "build").exists(), name  # keys are loaded before anything renders
