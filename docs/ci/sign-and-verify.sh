#!/usr/bin/env bash
# Build a dossier workspace, sign the built PDFs with keys from CI secrets (each key only the
# documents that name its holder for its role), verify the signatures, and leave the signed
# PDFs plus build/verify.json for the CI to upload.
#
# Usage: docs/ci/sign-and-verify.sh [WORKSPACE]        (default: the repository root)
#
# Environment (set from CI secrets; nothing here is ever printed):
#   DOSSIER_SIGN_PROFILES      profiles to sign with, in order (default: "author approver");
#                              each must exist under signing.profiles in dossier.yaml
#   DOSSIER_<NAME>_P12_BASE64  for each profile NAME (upper case, '-' -> '_'): its PKCS#12 key
#                              file, base64-encoded; decoded into a private temporary folder
#                              outside the workspace and exported as DOSSIER_<NAME>_P12
#   DOSSIER_<NAME>_PASS        its passphrase (dossier.yaml: passphrase_env: DOSSIER_<NAME>_PASS)
#   DOSSIER_TRUST_ROOT         the root CA certificate the signatures must chain to (public;
#                              commit it, e.g. certs/company-root-ca.pem)
# dossier.yaml then names the variables, e.g.
#   signing:
#     profiles:
#       author:   {role: 编制, pkcs12_env: DOSSIER_AUTHOR_P12, passphrase_env: DOSSIER_AUTHOR_PASS}
#       approver: {role: 批准, pkcs12_env: DOSSIER_APPROVER_P12, passphrase_env: DOSSIER_APPROVER_PASS}
set -euo pipefail
set +x  # never trace: the commands below handle secrets

repo=$(cd "$(dirname "$0")/../.." && pwd)
workspace=$(cd "${1:-$repo}" && pwd)
profiles=${DOSSIER_SIGN_PROFILES:-author approver}
: "${DOSSIER_TRUST_ROOT:?set DOSSIER_TRUST_ROOT to the root CA certificate to verify against}"

# 1. Install LibreOffice, the CJK fonts and dossier (skipped when dossier is already installed).
if ! command -v dossier >/dev/null; then
  "$repo/scripts/setup.sh"
  export PATH="$repo/.venv/bin:$PATH"
fi

# 2. Keys: decode each profile's PKCS#12 secret into a folder only this user can read.
secrets=$(mktemp -d)
trap 'rm -rf "$secrets"' EXIT
chmod 700 "$secrets"
for name in $profiles; do
  var=DOSSIER_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')
  encoded="${var}_P12_BASE64"
  if [ -z "${!encoded:-}" ]; then
    echo "error: secret $encoded is not set (PKCS#12 key of signing profile $name, base64)" >&2
    exit 2
  fi
  if ! (umask 077 && printf '%s' "${!encoded}" | base64 -d > "$secrets/$name.p12" 2>/dev/null); then
    echo "error: secret $encoded is not valid base64" >&2
    exit 2
  fi
  export "${var}_P12=$secrets/$name.p12"
done

# 3. Build, sign (each profile adds one incremental signature), verify.
dossier build "$workspace"
shopt -s nullglob
pdfs=("$workspace"/build/*.pdf)
if ((${#pdfs[@]} == 0)); then
  echo "error: the build produced no PDF under $workspace/build" >&2
  exit 1
fi
for name in $profiles; do
  # each key signs only the documents that name its holder for the profile's role (批准: released ones)
  dossier sign "${pdfs[@]}" --profile "$name" --workspace "$workspace" --matching
done
dossier verify "${pdfs[@]}" --trust "$DOSSIER_TRUST_ROOT" --json > "$workspace/build/verify.json"
dossier verify "${pdfs[@]}" --trust "$DOSSIER_TRUST_ROOT"
