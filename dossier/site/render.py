"""Rendering the site's pages: Jinja's sandboxed environment over the templates shipped in the package.

Values from the workspace (titles, names, reasons) are escaped by autoescaping; the dashboard's
SVG, drawn by `dossier.site.dashboard` with its text escaped, is the only markup passed through.
Links are relative (`root` is `""` or `"../"`), so the site works from disk and from any server.
"""

from __future__ import annotations

import posixpath
from importlib import resources
from typing import Any

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from dossier.site.registry import Page, PageSet

STATIC_FILES = ("favicon.svg", "site.css", "site.js")


def environment() -> SandboxedEnvironment:
    """The sandboxed Jinja environment over dossier/site/templates (autoescaped, undefined is an error)."""
    return SandboxedEnvironment(
        loader=PackageLoader("dossier.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def root_of(path: str) -> str:
    """The relative way back to the site root from the page at `path` ('' or '../' …)."""
    depth = posixpath.dirname(path).count("/") + (1 if posixpath.dirname(path) else 0)
    return "../" * depth


def navigation(built: list[tuple[PageSet, list[Page]]], path: str) -> list[dict[str, Any]]:
    """The navigation entries (page sets with pages and a label), the one containing `path` active."""
    return [{"label": page_set.label, "path": pages[0].path, "active": any(p.path == path for p in pages)}
            for page_set, pages in built if page_set.nav and pages]


def render_pages(built: list[tuple[PageSet, list[Page]]], common: dict[str, Any]) -> dict[str, bytes]:
    """Every page as UTF-8 HTML by site path; `common` holds the values every page gets (company, as_of)."""
    env = environment()
    out = {}
    for _, pages in built:
        for page in pages:
            template = env.get_template(page.template)
            html = template.render(**common, **page.context, title=page.title, root=root_of(page.path),
                                   nav=navigation(built, page.path))
            out[page.path] = html.encode("utf-8")
    return out


def static_files() -> dict[str, bytes]:
    """The stylesheet and script, as site paths under assets/."""
    folder = resources.files("dossier.site") / "static"
    return {f"assets/{name}": (folder / name).read_bytes() for name in STATIC_FILES}
