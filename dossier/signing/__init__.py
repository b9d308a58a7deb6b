"""PAdES signing and verification of the PDFs dossier produces."""
