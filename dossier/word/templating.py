"""docxtpl templates that prepare each distinct template part once per process, not once per render.

Blank subdocs likewise reuse one parsed copy of python-docx's default body.

Before rendering, docxtpl cleans every part's XML with a few dozen regular expressions
(`patch_xml`) and Jinja compiles the result; both depend only on the template, yet ran again for
every document (about 10 ms of a 65 ms render). Here both are memoised by their source text,
so a build of many documents from one template pays for them once. The output is unchanged.

A workspace may bring its own templates, so they are not trusted: they render in Jinja's
sandbox (no attribute starting with `_`, no Python internals, so `lipsum.__globals__['os']`
cannot run a command or read `DOSSIER_*_PASS`), without Jinja's global functions, with `*`
and `**` capped, and every value comes out literally: docxtpl turns `{_{` into `{{` after
rendering, so braces in values are written as character references that this step leaves alone
(`_literal`). `dossier.word.template_check` finds unsafe expressions before anything renders.
"""

from __future__ import annotations

import functools
from types import CodeType

import docx
from docx.document import Document as DocxDocument
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from docxtpl.subdoc import Subdoc
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

CACHED_SOURCES = 64  # distinct template parts (bodies, headers, footers) kept per process


@functools.lru_cache(maxsize=CACHED_SOURCES)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)  # patch_xml never uses self


MAX_REPEAT = 100_000  # characters or items a `*` may make; `**` exponents up to MAX_EXPONENT
MAX_EXPONENT = 64


def _braces(xml: str) -> str:
    """`xml` with its braces as character references: docxtpl's `{_{` → `{{` pass cannot touch them."""
    return xml.replace("{", "&#123;").replace("}", "&#125;")


def _literal(value: object) -> object:
    """What a `{{ value }}` writes: escaped text (or a subdoc's XML) whose braces survive docxtpl's clean-up."""
    if hasattr(value, "__html__"):
        return Markup(_braces(value.__html__()))
    if isinstance(value, str):
        return Markup(_braces(str(escape(value))))
    return value


class _CompilingOnce(ImmutableSandboxedEnvironment):
    """A sandboxed, autoescaping Jinja environment that compiles each distinct source once."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left, right):
        """`*` and `**` within limits: a template cannot make a gigabyte string or a huge number."""
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise self.security_error(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > MAX_REPEAT:
                    raise self.security_error(f"repetition makes more than {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def security_error(message: str):
        """The error the sandbox raises for an unsafe operation."""
        from jinja2.exceptions import SecurityError

        return SecurityError(message)

    @functools.lru_cache(maxsize=CACHED_SOURCES)  # noqa: B019 - one environment lives as long as the process
    def _compiled(self, source: str) -> CodeType:
        return super().compile(source)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[override]
        """Jinja's compile, memoised for plain template sources (what `from_string` passes)."""
        if isinstance(source, str) and name is None and filename is None and not raw and not defer_init:
            return self._compiled(source)
        return super().compile(source, name, filename, raw, defer_init)


ENVIRONMENT = _CompilingOnce(autoescape=True, finalize=_literal)
ENVIRONMENT.globals.clear()  # templates read the context only (no lipsum, cycler, range …)


@functools.cache
def _blank_document_xml() -> bytes:
    return etree.tostring(docx.Document().element)


class BlankSubdoc(Subdoc):
    """docxtpl's blank subdoc without parsing python-docx's default template again for each one.

    Like docxtpl's, its body starts as the default document's and everything else (styles,
    numbering, images) belongs to the template's document.
    """

    def __init__(self, tpl: DocxTemplate):
        self.tpl = tpl
        self.docx = tpl.get_docx()
        self.subdocx = DocxDocument(parse_xml(_blank_document_xml()), self.docx.part)


class Template(DocxTemplate):
    """A DocxTemplate whose XML clean-up is memoised; render with `render_autoescaped`."""

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's clean-up of a part's XML for Jinja, computed once per distinct source."""
        return _patched(src_xml)

    def new_subdoc(self, docpath: str | None = None) -> Subdoc:
        """A subdoc to fill with python-docx calls (blank: see BlankSubdoc) or made from `docpath`."""
        return super().new_subdoc(docpath) if docpath else BlankSubdoc(self)

    def render_autoescaped(self, context: dict) -> None:
        """Render in the sandbox with autoescaping (values never inject XML, braces stay braces).

        Raises jinja2's SecurityError for an unsafe operation, TemplateError for other failures.
        """
        self.render(context, jinja_env=ENVIRONMENT, autoescape=True)
