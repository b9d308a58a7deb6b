"""Client for a Gotenberg server: `POST /forms/libreoffice/convert`, one document per request.

One document per request makes the answer the PDF itself (several give a ZIP) and lets a
work queue spread documents over servers. `updateIndexes=false`: dossier fills the table of
contents itself, as in the local pool.
"""

from __future__ import annotations

import urllib3

from dossier.convert.errors import ConversionError, TimedOut, Unreachable

ROUTE = "/forms/libreoffice/convert"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def convert(base_url: str, name: str, data: bytes, timeout: float) -> bytes:
    """PDF bytes of the docx `data` (sent as file `name`) converted by the Gotenberg at `base_url`."""
    try:
        response = urllib3.request(
            "POST",
            base_url.rstrip("/") + ROUTE,
            fields={"files": (name, data, DOCX_TYPE), "updateIndexes": "false"},
            timeout=urllib3.Timeout(connect=min(timeout, 10.0), read=timeout),
            retries=False,
        )
    except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
        raise Unreachable(f"cannot reach server: {exc}") from None
    except urllib3.exceptions.ReadTimeoutError:
        raise TimedOut(f"timed out after {timeout:g} s") from None
    except urllib3.exceptions.HTTPError as exc:
        raise Unreachable(f"cannot reach server: {exc}") from None
    if response.status != 200:
        detail = response.data.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(f"HTTP {response.status}" + (f": {detail[0][:200]}" if detail else ""))
    return response.data
