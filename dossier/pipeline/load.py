"""Load and validate steps: the one way every command opens a workspace.

`load_checked` reads dossier.yaml and every document, runs every rule of `dossier.validate`,
checks the signing profiles and the disinfectant products, the sign-offs of every unreleased
revision (`control.signoffs`) and (unless told not to) that no released revision's own sources
were edited; all problems of all files are raised together (InputErrors). Warnings (among them
plain-text numbers of no document and citations of outdated external documents) go to the
`warnings` collector. `workspace_warnings` adds what the loaded workspace warns about from its
ledger (one list for check and build).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.control.citations import stale_citations
from dossier.control.controls import ledger_of
from dossier.control.integrity import check_released_unchanged
from dossier.control.signoffs import check_signoffs
from dossier.control.validation_status import validation_warnings
from dossier.disinfectant.workspace import load_products
from dossier.errors import InputErrors, Problems, UsageError, Warnings
from dossier.signing.profiles import load_profiles
from dossier.validate import validate_workspace
from dossier.workspace.load import load_workspace
from dossier.workspace.model import Document, Workspace


def load_checked(root: Path, released_unchanged: bool = True, settings: bool = True,
                 warnings: Warnings | None = None) -> Workspace:
    """The workspace at `root`, loaded and validated (see module docstring).

    Warnings of the rules (see `dossier.errors.Warnings`) go to `warnings` when given.

    `released_unchanged=False` leaves out the check that released revisions were not edited
    (status reports it as a flag; revise is how an edit is legitimised); `settings=False` leaves
    out signing profiles and disinfectant products (commands that use neither).
    """
    problems = Problems(warnings)
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    if settings:
        check_settings(ws, problems)
    if not problems:
        entries = ledger_of(ws).entries()
        check_signoffs(ws, entries, problems)
        if released_unchanged:
            check_released_unchanged(ws, entries, problems)
    problems.raise_if_any()
    return ws


def workspace_warnings(ws: Workspace, warnings: Warnings, today: date | None = None) -> Warnings:
    """Add to `warnings` what a loaded workspace warns about from its ledger, on `today` (default:
    the workspace's today): effective or approved documents citing drafts or withdrawn documents
    (device GMP 2025 Art. 43(3)), draft validation reports judged against a protocol that is not
    released (Art. 76). `check`, `build` and `build --json` show these with the loader's warnings
    (the rules', the products'); every one is `FILE:LINE: FIELD: message`. Returns `warnings`.
    """
    entries = ledger_of(ws).entries()
    for item in [*stale_citations(ws, entries, today or ws.config.today()), *validation_warnings(ws, entries)]:
        warnings.add(item.path, item.line, item.field, item.message)
    return warnings


def load_valid(root: Path) -> Workspace:
    """The workspace at `root`, loaded and its documents validated, nothing more: no settings, no
    sign-offs against the ledger, no release-integrity check (what revise and status read; status
    reports an edited release as a flag). InputErrors (exit 2) with every problem."""
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    problems.raise_if_any()
    return ws


def check_settings(ws: Workspace, problems: Problems) -> None:
    """Problems of the signing profiles and of the disinfectant products, reported with the rest."""
    load_profiles(ws.config.raw, problems, ws.root)
    try:
        load_products(ws.root, problems.warnings)
    except InputErrors as exc:
        problems.items.extend(exc.problems)


def select(ws: Workspace, only: tuple[str, ...] | list[str]) -> list[Document]:
    """The documents to build: all, or those named with --only (unknown ids are a usage error)."""
    unknown = [doc_id for doc_id in only if doc_id not in ws.documents]
    if unknown:
        raise UsageError("\n".join(ws.no_such_document(doc_id, "--only") for doc_id in unknown))
    return [ws.documents[d] for d in sorted(set(only))] if only else list(ws.documents.values())
