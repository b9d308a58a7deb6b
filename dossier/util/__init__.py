"""Utilities with no knowledge of documents: atomic writes, worker processes, the progress bar."""
