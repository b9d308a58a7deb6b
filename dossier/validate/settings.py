"""Rules for what the workspace configures: templates in use, fonts, converter servers."""

from __future__ import annotations

from dossier.errors import Problems
from dossier.workspace.inputs import outside_message, resolve_inside
from dossier.workspace.kinds import KINDS
from dossier.workspace.model import Workspace
from dossier.workspace.yamlsrc import SourceMap


def validate_templates(ws: Workspace, problems: Problems) -> None:
    """Each template in use opens, parses as a docxtpl template and has the fields documents need."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    from dossier.word.templates import template_display, template_path

    for kind in sorted({doc.kind for doc in ws.documents.values() if doc.kind in KINDS}):
        path = template_path(ws, kind)
        shown = template_display(ws, path)
        if path.is_relative_to(ws.root) and resolve_inside(path.parent, path.name, ws.root) is None:
            problems.add(shown, None, "template", outside_message(path.name, ws.config.templates_dir))
            continue
        try:
            declared = DocxTemplate(str(path)).get_undeclared_template_variables()
        except TemplateSyntaxError as exc:
            problems.add(shown, exc.lineno, "template", f"Jinja syntax error: {exc.message}")
            continue
        except Exception as exc:  # python-docx raises several types for a file that is no docx
            problems.add(shown, None, "template", f"not a readable .docx template ({type(exc).__name__})")
            continue
        if not _template_safe(path, shown, problems):
            continue
        missing = sorted(KINDS[kind].template_fields - declared)
        if missing:
            problems.add(shown, None, "template", f"lacks the fields {', '.join(missing)} every {kind} needs "
                         "(compare with the default template)")


def _template_safe(path, shown: str, problems: Problems) -> bool:
    """Report every expression of the template the sandbox refuses (part and expression); True when none."""
    from jinja2 import TemplateSyntaxError

    from dossier.word.template_check import template_parts, unsafe_expressions

    safe = True
    for part, source in template_parts(path):
        try:
            found = unsafe_expressions(source)
        except TemplateSyntaxError as exc:
            problems.add(shown, None, "template", f"{part}: Jinja syntax error: {exc.message}")
            safe = False
            continue
        for expression in found:
            problems.add(shown, None, "template", f"{part}: unsafe expression {{{{ {expression} }}}}: templates may read "
                         "the document's fields only, not Python internals (names starting with _)")
            safe = False
    return safe


def validate_converters(ws: Workspace, problems: Problems) -> None:
    """Every `converter:` URL of dossier.yaml names a converter dossier can talk to."""
    from dossier.convert.remote import parse_endpoint
    from dossier.errors import UsageError

    raw = ws.config.raw if isinstance(ws.config.raw, SourceMap) else None
    for url in ws.config.converters:
        try:
            parse_endpoint(url)
        except UsageError as exc:
            problems.add(raw.path if raw is not None else "dossier.yaml", raw.line_of("converter") if raw is not None else None,
                         "converter", str(exc).removeprefix("error: "))


def validate_fonts(ws: Workspace, problems: Problems) -> None:
    """Every face named in `fonts:` can be drawn: known to the catalogue, or installed."""
    from dossier.fonts import font_problem

    block = ws.config.raw.get("fonts") if isinstance(ws.config.raw, dict) else None
    for scope, choices in ws.config.fonts.items():
        where = block.get(scope) if scope and isinstance(block, SourceMap) else block
        for role, face in choices.items():
            message = font_problem(face)
            if message and isinstance(where, SourceMap):
                problems.add(where.path, where.line_of(role), f"fonts.{scope + '.' if scope else ''}{role}", message)
