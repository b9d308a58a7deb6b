"""`dossier site --serve`: the written site on http://127.0.0.1:PORT/ for a local look (never on other interfaces)."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files of one folder; requests are not logged (the command says where to look)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".css": "text/css",
                      ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's signature
        """No access log."""


def site_server(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for `folder` on 127.0.0.1 (`port` 0: any free port; read it from `server_address`)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)
