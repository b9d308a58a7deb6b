"""`python -m dossier`: the command line."""

from dossier.cli import main

main()
