"""dossier: controlled regulatory documents from YAML + Markdown to .docx and PDF."""

__version__ = "0.1.0"
