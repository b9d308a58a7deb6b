"""docx -> PDF converters: a local LibreOffice pool and clients for remote conversion servers.

`dossier.convert.convert_batch` is the entry point; these modules are its parts.
"""


class ConversionError(Exception):
    """One conversion on one server failed; the message says why (no document name)."""


class Unreachable(ConversionError):
    """The server could not be reached at all: send it no further documents."""


class TimedOut(ConversionError):
    """The server took longer than the time per document: two in a row and it counts as hung."""
