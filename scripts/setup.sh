#!/usr/bin/env bash
# Set up dossier on Debian/Ubuntu: system packages (LibreOffice, Noto CJK and Liberation fonts,
# poppler, qpdf), the font aliases that draw 宋体/黑体/Times New Roman with them, and a virtual
# environment in .venv with dossier installed. `--test` adds the test dependencies (and Debian's
# chromium and chromium-driver for the site's browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-liberation2 fonts-dejavu-core poppler-utils qpdf
          python3-venv python3-pip)
# the site's browser tests drive Debian's Chromium (never a downloaded browser) through Selenium
if [ "${1:-}" = "--test" ]; then packages+=(chromium chromium-driver); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
if ((${#missing[@]})); then
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

# 宋体/黑体/Times New Roman in a .docx are drawn with Noto CJK / Liberation by LibreOffice. The local
# converter pool sets this up itself; installing the aliases system-wide gives a converter server
# (unoserver) on this machine the same fonts.
conf=/etc/fonts/conf.d/65-dossier-fonts.conf
.venv/bin/python -m dossier.fonts --fontconfig > .venv/dossier-fonts.conf
if ! cmp -s .venv/dossier-fonts.conf "$conf" 2>/dev/null; then
  "${sudo_cmd[@]}" install -m 644 .venv/dossier-fonts.conf "$conf" && fc-cache -f >/dev/null 2>&1 || \
    echo "note: could not install $conf (a converter server on this machine will substitute fonts)" >&2
fi
