"""Client for an unoserver conversion server (XML-RPC, unoserver API version 3).

The document travels in the request and the PDF in the answer, so the server may run on
another machine. Indexes are not updated on the server (`update_index=False`): the table of
contents is filled by dossier itself, exactly as in the local pool, so both give the same pages.
"""

from __future__ import annotations

import http.client
import socket
import xmlrpc.client

from dossier.convert.errors import ConversionError, TimedOut, Unreachable

API_VERSION = "3"
PDF_FILTER = "writer_pdf_Export"


class _TimeoutTransport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout (the standard transport waits forever)."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def convert(host: str, port: int, data: bytes, timeout: float) -> bytes:
    """PDF bytes of the docx `data` converted by the unoserver at host:port; ConversionError if not."""
    proxy = xmlrpc.client.ServerProxy(f"http://{host}:{port}", transport=_TimeoutTransport(timeout), allow_none=True)
    try:
        info = proxy.info()
        if str(info.get("api")) != API_VERSION:
            raise ConversionError(f"server speaks unoserver API {info.get('api')}, dossier needs API {API_VERSION}")
        result = proxy.convert(None, xmlrpc.client.Binary(data), None, "pdf", PDF_FILTER, [], False, None, None)
    except socket.timeout:
        raise TimedOut(f"timed out after {timeout:g} s") from None
    except xmlrpc.client.Fault as exc:
        raise ConversionError(f"server error: {exc.faultString.strip().splitlines()[-1]}") from None
    except xmlrpc.client.ProtocolError as exc:
        raise ConversionError(f"HTTP {exc.errcode} {exc.errmsg}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise Unreachable(f"cannot reach server: {exc}") from None
    if not isinstance(result, xmlrpc.client.Binary):
        raise ConversionError("server returned no document")
    return result.data
