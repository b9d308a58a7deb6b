"""`python -m dossier`: the command line."""

from dossier.launch import main

main()
