#!/usr/bin/env bash
# Set up dossier on Debian/Ubuntu: system packages (LibreOffice, Noto CJK fonts, poppler) and a
# virtual environment in .venv with dossier installed. `--test` adds the test dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils python3-venv python3-pip)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
