"""The extension point of the site: registries of page builders and of document-page sections.

A **page builder** turns the site data into pages (`@page(...)`): the master list, one page per
document, the validation status, the disinfectant products. It returns no pages when the
workspace has nothing for it (no plan, no products …): no file is written and the navigation
leaves it out. A **section** builder adds one block to every document page (`@section(...)`):
revision history, citations, issued copies, reviews, validation objects; it returns None for a
document it has nothing to say about. An **overdue source** (`@overdue(...)`) lists items past
their date for the dashboard (reviews, copies to recall, validation objects, expired
evaluations); each source is one tile of the dashboard's overdue panel, and a source that
returns None (nothing to watch in this workspace) has no tile.

A new page (say the GMP coverage matrix) is one module in `dossier/site/pages/` with a
`@page("coverage", "GMP条款对照", order=30)` function returning [] when the workspace declares
no coverage, its template in `templates/`, plus its import in `dossier/site/pages/__init__.py`.
Builders see the same `SiteData`; what one computes for others to use goes into `SiteData.extra`
(computed once: see `pages/validation.py`, `pages/products.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dossier.site.model import DocumentView, SiteData


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes in the site, its template, title and template values."""

    path: str  # '/'-separated, relative to the site root
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """One block of a document page: its heading, template (under templates/sections/) and values."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""


@dataclass(frozen=True)
class Overdue:
    """One item past its date: what it concerns, the page that shows it, what is due."""

    label: str
    link: str  # site path
    text: str


PageBuilder = Callable[[SiteData], list[Page]]
SectionBuilder = Callable[[SiteData, DocumentView], Section | None]
OverdueSource = Callable[[SiteData], "list[Overdue] | None"]


@dataclass(frozen=True)
class PageSet:
    """A registered page builder: its name, navigation label and order."""

    name: str
    label: str
    order: int
    build: PageBuilder
    nav: bool = True


@dataclass(frozen=True)
class SectionSet:
    """A registered document-page section builder and its order on the page."""

    name: str
    order: int
    build: SectionBuilder


@dataclass(frozen=True)
class OverdueSet:
    """A registered source of overdue items: its tile label and order on the dashboard."""

    name: str
    label: str
    order: int
    build: OverdueSource


PAGES: dict[str, PageSet] = {}
SECTIONS: dict[str, SectionSet] = {}
OVERDUE: dict[str, OverdueSet] = {}


def page(name: str, label: str, order: int, nav: bool = True) -> Callable[[PageBuilder], PageBuilder]:
    """Register a page builder under `name` (navigation `label`, ordered by `order`)."""
    def register(build: PageBuilder) -> PageBuilder:
        PAGES[name] = PageSet(name, label, order, build, nav)
        return build
    return register


def section(name: str, order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a document-page section builder under `name`, placed by `order`."""
    def register(build: SectionBuilder) -> SectionBuilder:
        SECTIONS[name] = SectionSet(name, order, build)
        return build
    return register


def page_sets() -> list[PageSet]:
    """The registered page builders in page order."""
    return sorted(PAGES.values(), key=lambda p: (p.order, p.name))


def document_sections(data: SiteData, view: DocumentView) -> list[Section]:
    """The sections of one document page, in order, leaving out those with nothing to show."""
    built = (s.build(data, view) for s in sorted(SECTIONS.values(), key=lambda s: (s.order, s.name)))
    return [s for s in built if s is not None]


def overdue(name: str, label: str, order: int) -> Callable[[OverdueSource], OverdueSource]:
    """Register a source of overdue items under `name` (its dashboard tile reads `label`)."""
    def register(build: OverdueSource) -> OverdueSource:
        OVERDUE[name] = OverdueSet(name, label, order, build)
        return build
    return register


def overdue_items(data: SiteData) -> list[tuple[OverdueSet, list[Overdue]]]:
    """Every source of overdue items in order, with its items on the site's day.

    A source that returns None has nothing to watch in this workspace (no products …) and is left out.
    """
    built = ((source, source.build(data)) for source in sorted(OVERDUE.values(), key=lambda s: (s.order, s.name)))
    return [(source, items) for source, items in built if items is not None]
