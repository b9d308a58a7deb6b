"""Blocks a body asks the build to generate: a `{coverage}` fence becomes the article table of the rule set.

The expansion is computed from the workspace's declarations (every document's `covers:`, the
Art. 130 list), so the quality manual's 条款对照表 and `dossier coverage` read the same data. The
expansions are part of the document's build key (pipeline.cache), so editing a document's
articles rebuilds the manual.
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.coverage.declarations import read_declarations
from dossier.coverage.table import DIRECTIVE, coverage_markdown, parse_options
from dossier.errors import Problems
from dossier.markdown import fenced_blocks
from dossier.workspace.model import Document, Workspace


def expansions(ws: Workspace, doc: Document) -> dict[str, str]:
    """{block content: generated Markdown} of every `{coverage}` block in the document's body ({} when none)."""
    blocks = fenced_blocks(doc.body, DIRECTIVE)
    if not blocks:
        return {}
    decl = read_declarations(ws, Problems())  # problems were reported by validate
    titles = {doc_id: other.title for doc_id, other in ws.documents.items()}
    return {content: coverage_markdown(parse_options(content)[0], decl, titles) for _, content in blocks}


def directive_hooks(generated: dict[str, str]) -> dict[str, Callable[[str], str]]:
    """The renderer's hooks: a `{coverage}` block's content -> its generated Markdown."""
    return {DIRECTIVE: generated.__getitem__} if generated else {}
