#!/usr/bin/env python3
"""Make a throwaway PKI for trying signing by hand: a root CA and two signers (编制 张敏, 批准 王建国).

Usage: .venv/bin/python scripts/demo-pki.py DIR   then   . DIR/env.sh
Keys go to DIR (keep it outside the workspace: dossier refuses key files inside it). For
demonstrations only: real signing keys come from the company's CA or a token.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.pki import ThrowawayCA  # noqa: E402  (the same generator the tests use)


def main(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    ca = ThrowawayCA("示例医疗科技有限公司 Demo Root CA")
    ca.write_cert(directory / "root-ca.pem")
    lines = []
    for profile, name in (("AUTHOR", "张敏"), ("APPROVER", "王建国")):
        p12 = ca.issue(name).write_pkcs12(directory / f"{profile.lower()}.p12", "demo")
        lines += [f"export DOSSIER_{profile}_P12={p12}", f"export DOSSIER_{profile}_PASS=demo"]
    (directory / "env.sh").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {directory}/root-ca.pem, author.p12, approver.p12 and env.sh")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
