#!/usr/bin/env python3
"""Make a throwaway PKI for trying signing by hand: a root CA and one signer per person the example names.

Usage: .venv/bin/python scripts/demo-pki.py DIR   then   . DIR/env.sh

Writes DIR/root-ca.pem, DIR/<name>.p12 for 张敏, 李强, 王建国, 陈静 and 赵磊 (passphrase `demo`),
DIR/people.yaml (their certificate fingerprints, for `signing.people` in dossier.yaml) and DIR/env.sh,
which points the example's profiles at 张敏 (author, 编制), 李强 (reviewer, 审核) and 王建国
(approver, 批准). A document prepared by someone else is signed with their key:
`DOSSIER_AUTHOR_P12=DIR/陈静.p12 dossier build --only QP-12 --sign author`.
Keep DIR outside the workspace (dossier refuses key files inside it). For demonstrations only:
real signing keys come from the company's CA or a token.
"""

import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.pki import ThrowawayCA  # noqa: E402  (the same generator the tests use)

PEOPLE = ("张敏", "李强", "王建国", "陈静", "赵磊")
PROFILES = {"AUTHOR": "张敏", "REVIEWER": "李强", "APPROVER": "王建国"}


def main(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    ca = ThrowawayCA("示例医疗科技有限公司 Demo Root CA")
    ca.write_cert(directory / "root-ca.pem")
    people = ["people:  # signing.people: each person's certificate fingerprint (SHA-256)"]
    for name in PEOPLE:
        identity = ca.issue(name)
        identity.write_pkcs12(directory / f"{name}.p12", "demo")
        people.append(f"  {name}: {identity.cert.fingerprint(hashes.SHA256()).hex()}")
    lines = []
    for profile, name in PROFILES.items():
        lines += [f"export DOSSIER_{profile}_P12={directory / f'{name}.p12'}", f"export DOSSIER_{profile}_PASS=demo"]
    (directory / "env.sh").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "people.yaml").write_text("\n".join(people) + "\n", encoding="utf-8")
    print(f"wrote {directory}/root-ca.pem, {', '.join(f'{n}.p12' for n in PEOPLE)}, people.yaml and env.sh "
          f"(author {PROFILES['AUTHOR']}, reviewer {PROFILES['REVIEWER']}, approver {PROFILES['APPROVER']})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
