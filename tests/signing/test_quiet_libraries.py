"""pyHanko's tracebacks and pypdf's warnings never reach the user; every error line has `error:` (issue 14 #11)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfWriter

from dossier.cli import cli
from dossier.signing.sign import sign_pdf
from tests.signing_support import author_profile, write_keys

NOISE = ("Traceback", "Failed to build path", "EOF marker", "WARNING", "Warning", "pypdf", "pyhanko")


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _verify(*args: str):
    """`dossier verify` in a process of its own: what a user's terminal shows (stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "dossier", "verify", *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_untrusted_signature_and_damaged_pdfs_print_only_dossier_lines(tmp_path: Path) -> None:
    keys = write_keys(tmp_path / "keys")
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_pdf(_blank_pdf(), author_profile(keys, tmp_path / "ws", visible=False)))
    no_eof = tmp_path / "no-eof.pdf"
    no_eof.write_bytes(_blank_pdf().replace(b"%%EOF", b""))
    text = tmp_path / "text.pdf"
    text.write_text("not a pdf at all\n")
    status, out, err = _verify(str(signed), str(no_eof), str(text))
    assert status == 1
    for noise in NOISE:
        assert noise not in out + err, (noise, out, err)
    lines = err.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), err
    assert any("signed.pdf: signature author" in line and "is not trusted" in line for line in lines), err
    assert f"error: {text}: not a readable PDF" in err


def test_usage_errors_and_messages_without_prefix_get_it(tmp_path: Path) -> None:
    runner = CliRunner()
    cases = [
        ["build", str(tmp_path), "--format", "odt"],  # click's own "Error: Invalid value"
        ["release"],  # a missing argument
        ["sign", str(tmp_path / "x.pdf"), "--profile", "nobody", "--workspace", str(tmp_path)],
        ["check", str(tmp_path)],  # not a workspace
        ["nosuchcommand"],
    ]
    (tmp_path / "x.pdf").write_bytes(_blank_pdf())
    for args in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines and all(line.startswith("error: ") for line in lines), (args, result.output)
