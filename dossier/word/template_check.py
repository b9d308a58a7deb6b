"""Find what a docxtpl template would do that the sandbox refuses, before anything renders.

A workspace template is untrusted input: `check` reads every part docxtpl renders (the body,
headers, footers, footnotes and the core properties it renders: author, comments, identifier,
language, subject, title), parses each as Jinja and reports every expression that reaches for
Python internals: an attribute or item whose name starts with `_` (`lipsum.__globals__['os']`),
one of the sandbox's internal attributes (`gi_frame`, `mro`, …), or the `attr` filter with
such a name. The sandbox (`dossier.word.templating`) refuses them at render time as well; this
check says where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jinja2 import nodes

from dossier.word.templating import ENVIRONMENT, Template

HEADER_FOOTER = ("header", "footer")
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl's render_properties
INTERNAL_NAMES = frozenset({"mro", "func_globals", "func_code", "f_globals", "f_builtins", "f_locals", "tb_frame",
                            "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "im_func", "im_self"})
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def template_parts(path: Path) -> Iterator[tuple[str, str]]:
    """(part name, Jinja source as docxtpl renders it) of every part of the template at `path`."""
    tpl = Template(str(path))
    tpl.init_docx()
    yield "word/document.xml", tpl.patch_xml(tpl.get_xml())
    for rel in tpl.docx.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(HEADER_FOOTER):
            continue
        part = rel.target_part
        yield str(part.partname).lstrip("/"), tpl.patch_xml(tpl.get_part_xml(part))
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES:
            yield str(part.partname).lstrip("/"), tpl.patch_xml(part.blob.decode("utf-8"))
    core = tpl.docx.core_properties
    for name in RENDERED_PROPERTIES:
        value = getattr(core, name) or ""
        if "{" in value:
            yield f"docProps/core.xml ({name})", value


def unsafe_expressions(source: str) -> list[str]:
    """The expressions of a Jinja source that reach for Python internals, as written (roughly).

    Raises jinja2's TemplateSyntaxError when the source does not parse.
    """
    found = []
    for root in _expressions(ENVIRONMENT.parse(source)):
        if any(_unsafe(node) for node in (root, *root.find_all(nodes.Expr))):
            text = _written(root)
            if text not in found:
                found.append(text)
    return found


def _expressions(node: nodes.Node) -> Iterator[nodes.Expr]:
    """The outermost expressions under `node` (what one `{{ }}` or one `{% %}` clause holds)."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Expr):
            yield child
        else:
            yield from _expressions(child)


def _bad_name(name: object) -> bool:
    return isinstance(name, str) and (name.startswith("_") or name in INTERNAL_NAMES)


def _unsafe(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Getattr):
        return _bad_name(node.attr)
    if isinstance(node, nodes.Getitem):
        return isinstance(node.arg, nodes.Const) and _bad_name(node.arg.value)
    if isinstance(node, nodes.Filter) and node.name == "attr":
        return not node.args or not isinstance(node.args[0], nodes.Const) or _bad_name(node.args[0].value)
    return False


def _written(node: nodes.Node) -> str:
    """A Jinja expression written back as source (the common forms; `…` for the rest)."""
    match node:
        case nodes.Name():
            return node.name
        case nodes.Const():
            return repr(node.value)
        case nodes.Getattr():
            return f"{_written(node.node)}.{node.attr}"
        case nodes.Getitem():
            return f"{_written(node.node)}[{_written(node.arg)}]"
        case nodes.Call():
            args = [_written(arg) for arg in node.args] + [f"{kw.key}={_written(kw.value)}" for kw in node.kwargs]
            return f"{_written(node.node)}({', '.join(args)})"
        case nodes.Filter():
            args = f"({', '.join(_written(arg) for arg in node.args)})" if node.args else ""
            return f"{_written(node.node) if node.node is not None else ''}|{node.name}{args}"
        case nodes.BinExpr():
            return f"{_written(node.left)} {node.operator} {_written(node.right)}"
        case nodes.Tuple() | nodes.List():
            return ", ".join(_written(item) for item in node.items)
        case _:
            return "…"
