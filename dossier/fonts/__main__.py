"""`python -m dossier.fonts --fontconfig`: print the font aliases as a fontconfig fragment for /etc/fonts/conf.d/."""

import sys

from dossier.fonts import fontconfig_xml

if sys.argv[1:] != ["--fontconfig"]:
    sys.exit("usage: python -m dossier.fonts --fontconfig")
sys.stdout.write(fontconfig_xml(include_system=False))
