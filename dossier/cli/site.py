"""`dossier site`: the static document portal (master list, a page per document, dashboard)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from dossier.site.build import build_site
from dossier.site.serve import site_server


def _day(value: str | None) -> date | None:
    if value is None:
        return None  # today in the workspace time zone
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}", param_hint="--as-of") from None


@click.command("site")
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder to write the site into (default build/site).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The day the site describes (states, reviews due; default today).")
@click.option("--serve", is_flag=True, help="Then serve it on http://127.0.0.1:PORT/ until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port for --serve (0: any free port).")
def site_command(workspace: Path, out: Path | None, as_of: str | None, serve: bool, port: int) -> None:
    """Write the static site: master list, one page per document, disinfectant products, dashboard.

    It works opened from disk (index.html) and from any web server, and makes no external
    requests. Each document page links only the archived PDF of the revision in force; older
    revisions are offered as 作废-marked copies.
    """
    result = build_site(workspace, _day(as_of), out)
    shown = result.out.resolve()
    click.echo(f"wrote {len(result.pages)} pages and {len(result.files)} files to {shown} (as of {result.as_of}); "
               f"open {shown / 'index.html'}")
    if not serve:
        return
    server = site_server(result.out, port)
    host, bound = server.server_address[:2]
    click.echo(f"serving on http://{host}:{bound}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
