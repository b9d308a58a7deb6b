"""Load step: read dossier.yaml and content/*.yaml (+ Markdown bodies) into a Workspace.

Type errors are recorded here with file, line and field; semantic rules live in validate.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dossier.errors import Problems, UsageError
from dossier.workspace.external import load_externals
from dossier.workspace.fields import FieldReader
from dossier.workspace.kinds import DEFAULT_NUMBERING, DEFAULT_REVIEW_MONTHS, KIND_FIELDS, KIND_LABELS
from dossier.workspace.model import DEFAULT_TIMEZONE, DUTIES, NUMBERING_STYLES, REGISTER_NAMES, Config, Document, Signoff, Workspace
from dossier.workspace.retention import read_retention
from dossier.workspace.revisions import DEFAULT_SCHEME, SCHEME_NAMES
from dossier.workspace.yamlsrc import SourceMap, illegal_xml_chars, load_yaml

CONFIG_FILE = "dossier.yaml"
CONFIG_FIELDS = {
    "company", "revision_scheme", "numbering", "review_interval_months", "retention_years",
    "paths", "signing", "disinfectant", "converter", "fonts", "coverage", "timezone", "require_signed_releases",
    "approval_authority", "numbering_style", "device_lifetime_years", "product_expiry_months", "registers",
}
FONT_ROLES = ("body", "heading", "latin")
DOCUMENT_FIELDS = {
    "id", "kind", "title", "revision", "effective_date", "department", "prepared_by",
    "reviewed_by", "approved_by", "change", "body", "body_file", "distribution", "numbering_style", "covers", "record_type",
    *KIND_FIELDS,
}


def find_root(start: Path) -> Path:
    """The workspace directory: `start` itself, which must hold dossier.yaml."""
    if not (start / CONFIG_FILE).is_file():
        raise UsageError(f"error: {start}: not a dossier workspace (no {CONFIG_FILE}); run `dossier init DIR` to create one")
    return start.resolve()


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _int_table(reader: FieldReader | None, default: dict[str, int]) -> dict[str, int]:
    table = dict(default)
    if reader is None:
        return table
    for key in reader.mapping:
        if str(key) != "default" and key not in KIND_LABELS:
            reader.fail(str(key), f"unknown document kind (expected default or one of: {', '.join(KIND_LABELS)})")
            continue
        table[str(key)] = reader.integer(str(key), minimum=1, default=table.get(str(key), default["default"]))
    return table


def load_config(root: Path, problems: Problems) -> Config:
    """Parse dossier.yaml; problems are recorded, a usable Config is always returned."""
    data = load_yaml(root / CONFIG_FILE, problems, CONFIG_FILE)
    config = Config(root=root, company_name="")
    if data is None:
        if not problems:
            problems.add(CONFIG_FILE, 1, "company", "is required: the file is empty (company.name at least)")
        return config
    if not isinstance(data, SourceMap):
        problems.add(CONFIG_FILE, 1, "", "expected a mapping of settings")
        return config
    top = FieldReader(data, problems)
    top.unknown(CONFIG_FIELDS)
    config.raw = data
    company = top.child("company")
    if company is None:
        top.fail("company", "is required (company.name)")
    else:
        company.unknown({"name", "address"})
        config.company_name = company.text("name", required=True)
        config.company_address = company.text("address")
    config.revision_scheme = top.text("revision_scheme", default=DEFAULT_SCHEME)
    if config.revision_scheme not in SCHEME_NAMES:
        top.fail("revision_scheme", f"unknown scheme {config.revision_scheme!r} (expected one of: {', '.join(SCHEME_NAMES)})")
        config.revision_scheme = DEFAULT_SCHEME
    numbering = top.child("numbering")
    if numbering is not None:
        for key in numbering.mapping:
            if key not in KIND_LABELS:
                numbering.fail(str(key), f"unknown document kind (expected one of: {', '.join(KIND_LABELS)})")
            else:
                pattern = numbering.text(key, default=DEFAULT_NUMBERING[key])
                try:
                    re.compile(pattern)
                    config.numbering[key] = pattern
                except re.error as exc:
                    numbering.fail(str(key), f"not a valid regular expression ({exc})")
    fonts = top.child("fonts")
    if fonts is not None:
        config.fonts = _font_settings(fonts)
    config.numbering_style = _numbering_style(top) or config.numbering_style
    config.review_interval_months = _int_table(top.child("review_interval_months"), {"default": DEFAULT_REVIEW_MONTHS})
    config.retention_years = read_retention(top, set(KIND_LABELS))
    registers = top.child("registers")
    if registers is not None:  # the form number printed on each register (dossier register)
        registers.unknown(set(REGISTER_NAMES))
        numbers = {name: registers.text(name) for name in REGISTER_NAMES}
        config.register_numbers = {name: number for name, number in numbers.items() if number}
    converter = top.get("converter")
    urls = [converter] if isinstance(converter, str) else converter if isinstance(converter, list) else []
    if converter is not None and not urls:
        top.fail("converter", "expected a server URL or a list of them (unoserver://HOST:PORT, gotenberg+http://HOST:PORT)")
    config.converters = [str(url) for url in urls]  # their form is checked by validate (it knows the converters)
    _control_settings(top, config)
    paths = top.child("paths")
    if paths is not None:
        paths.unknown({"content", "templates", "build", "releases", "ledger", "external"})
        config.content_dir = paths.text("content", default=config.content_dir)
        config.templates_dir = paths.text("templates", default=config.templates_dir)
        config.build_dir = paths.text("build", default=config.build_dir)
        config.releases_dir = paths.text("releases", default=config.releases_dir)
        config.ledger_file = paths.text("ledger", default=config.ledger_file)
        config.external_file = paths.text("external", default=config.external_file)
    return config


def _control_settings(top: FieldReader, config: Config) -> None:
    """`timezone`, `require_signed_releases` and `approval_authority` (see Config)."""
    config.timezone = top.text("timezone", default=config.timezone)
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        top.fail("timezone", f"unknown time zone {config.timezone!r} (an IANA name such as Asia/Shanghai)")
        config.timezone = DEFAULT_TIMEZONE
    required = top.get("require_signed_releases")
    if required is not None and not isinstance(required, bool):
        top.fail("require_signed_releases", "must be true or false")
    config.require_signed_releases = required is True
    authority = top.child("approval_authority")
    if authority is None:
        return
    for key in authority.mapping:
        if str(key) != "default" and key not in KIND_LABELS:
            authority.fail(str(key), f"unknown document kind (expected default or one of: {', '.join(KIND_LABELS)})")
            continue
        duties = authority.child(str(key))
        if duties is None:
            continue
        duties.unknown(set(DUTIES))
        config.approval_authority[str(key)] = {duty: duties.text_list(duty, required=True) for duty in DUTIES if duty in duties.mapping}


def _font_settings(reader: FieldReader) -> dict[str, dict[str, str]]:
    """`fonts:` as {"": workspace faces, kind: that kind's faces}; each {role: face name}.

    Only what the workspace writes is kept: those roles override a template's own faces.
    Whether a face can be drawn is checked by validate (it needs the font catalogue).
    """
    settings: dict[str, dict[str, str]] = {"": {}}
    reader.unknown({*FONT_ROLES, *KIND_LABELS})
    for key in reader.mapping:
        if key in FONT_ROLES:
            settings[""][key] = reader.text(key, required=True)
        elif key in KIND_LABELS:
            per_kind = reader.child(key)
            if per_kind is not None:
                per_kind.unknown(set(FONT_ROLES))
                settings[key] = {role: per_kind.text(role, required=True) for role in FONT_ROLES if role in per_kind.mapping}
    return settings


def _numbering_style(reader: FieldReader) -> str:
    """`numbering_style:` (auto, none or chapter); "" when absent or not one of them (reported)."""
    style = reader.text("numbering_style")
    if style and style not in NUMBERING_STYLES:
        reader.fail("numbering_style", f"unknown heading numbering {style!r} (expected one of: {', '.join(NUMBERING_STYLES)})")
        return ""
    return style


def _signoff(reader: FieldReader, key: str) -> Signoff | None:
    person = reader.child(key)
    if person is None:
        return None
    person.unknown({"name", "date"})
    return Signoff(person.text("name", required=True), person.date("date"))


def _body(reader: FieldReader, path: Path, root: Path, problems: Problems) -> tuple[str, str, int]:
    """(markdown, file shown in messages, line offset) of the document body."""
    inline = reader.get("body")
    sibling = path.parent / f"{path.stem}.md"
    if inline is not None and sibling.is_file() and reader.get("body_file") is None:
        reader.fail("body", f"both an inline body and {_display(root, sibling)} exist; keep one")
    if inline is not None:
        if not isinstance(inline, str):
            reader.fail("body", "expected Markdown text")
            return "", reader.mapping.path, 0
        # a `body: |` block starts on the line after the key
        return inline, reader.mapping.path, reader.mapping.line_of("body")
    name = reader.text("body_file") or f"{path.stem}.md"
    body_path = path.parent / name
    if not body_path.is_file():
        if reader.get("body_file") is not None:
            reader.fail("body_file", f"file not found: {_display(root, body_path)}")
        return "", reader.mapping.path, 0
    shown = _display(root, body_path)
    try:
        text = body_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(shown, None, "body", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return "", shown, 0
    for line, char in illegal_xml_chars(text):
        problems.add(shown, line, "body", f"character {char} cannot appear in a document (XML forbids it)")
    if not text.strip():
        problems.add(shown, 1, "body", "the Markdown body file is empty")
    return text.removeprefix("\ufeff"), shown, 0


def load_document(path: Path, root: Path, problems: Problems) -> Document | None:
    """Parse one content/<ID>.yaml; None when it cannot be used at all."""
    shown = _display(root, path)
    before = len(problems.items)
    data = load_yaml(path, problems, shown)
    if data is None:
        if len(problems.items) == before:
            problems.add(shown, 1, "", "the file is empty (expected id, kind, title, revision, …)")
        return None
    if not isinstance(data, SourceMap):
        problems.add(shown, 1, "", "expected a mapping of document fields")
        return None
    if isinstance(data.get("revision"), float):
        problems.add(shown, data.line_of("revision"), "revision",
                     f"write numeric revisions in quotes (\"{data['revision']}\" loses trailing zeros otherwise)")
    reader = FieldReader(data, problems)
    reader.unknown(DOCUMENT_FIELDS)
    kind = reader.text("kind", required=True)
    if kind and kind not in KIND_LABELS:
        reader.fail("kind", f"unknown document kind {kind!r} (expected one of: {', '.join(KIND_LABELS)})")
    body, body_source, offset = _body(reader, path, root, problems)
    doc = Document(
        id=reader.text("id", required=True),
        kind=kind,
        title=reader.text("title", required=True),
        revision=reader.text("revision", required=True),
        source=path,
        source_display=shown,
        effective_date=reader.date("effective_date"),
        department=reader.text("department"),
        prepared_by=_signoff(reader, "prepared_by"),
        reviewed_by=_signoff(reader, "reviewed_by"),
        approved_by=_signoff(reader, "approved_by"),
        change=reader.text("change"),
        body=body,
        body_source=body_source,
        body_line_offset=offset,
        numbering_style=_numbering_style(reader),
        raw=data,
    )
    for entry in reader.mappings("distribution"):
        entry.unknown({"copy", "holder", "department", "issued", "withdrawn"})
        doc.distribution.append({
            "copy": entry.integer("copy", required=True, minimum=1),
            "holder": entry.text("holder", required=True),
            "department": entry.text("department"),
            "issued": entry.date("issued"),  # an issue recorded before the ledger held them (control/copies.py)
            "withdrawn": entry.date("withdrawn"),
            "line": entry.mapping.line,
        })
    doc.form = data.get("form")
    doc.validation = data.get("validation")
    return doc


def document_files(config: Config, problems: Problems) -> list[Path]:
    """Every document YAML directly in the content directory, sorted.

    Files that look like documents but would be ignored (`.yml`, `.YAML`, a Markdown body with
    no YAML) are problems: nothing in content/ is skipped silently.
    """
    content = config.root / config.content_dir
    if not content.is_dir():
        return []
    files = sorted(p for p in content.iterdir() if p.is_file())
    stems = {p.stem for p in files if p.suffix == ".yaml"}
    for path in files:
        shown = f"{config.content_dir}/{path.name}"
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            problems.add(shown, None, "", f"document files end in .yaml; rename it to {path.stem}.yaml")
        elif path.suffix == ".md" and path.stem not in stems and not _referenced_body(content, path.name):
            problems.add(shown, None, "", f"Markdown body without a document: add {path.stem}.yaml or remove it")
    return [p for p in files if p.suffix == ".yaml"]


def _referenced_body(content: Path, name: str) -> bool:
    """True when some document names `name` as its body_file."""
    return any(f"body_file: {name}" in p.read_text(encoding="utf-8", errors="replace") for p in content.glob("*.yaml"))


def load_workspace(start: Path, problems: Problems) -> Workspace:
    """Load step: the whole workspace index. Problems are collected, not raised."""
    root = find_root(start)
    config = load_config(root, problems)
    documents: dict[str, Document] = {}
    unreadable: set[str] = set()
    for path in document_files(config, problems):
        doc = load_document(path, root, problems)
        if doc is None or not doc.id:
            unreadable.add(path.stem)
            continue
        if doc.id in documents:
            first = documents[doc.id].source_display
            problems.add(doc.source_display, doc.raw.line_of("id"), "id", f"document id {doc.id} is already used by {first}")
            continue
        documents[doc.id] = doc
    externals = load_externals(root, config.external_file, problems)
    return Workspace(config, dict(sorted(documents.items())), unreadable, externals)
