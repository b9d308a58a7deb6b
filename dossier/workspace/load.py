"""Load step: read dossier.yaml and content/*.yaml (+ Markdown bodies) into a Workspace.

Type errors are recorded here with file, line and field; semantic rules live in validate.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dossier.errors import Problems, UsageError
from dossier.workspace import definitions as defs
from dossier.workspace.definitions import CONFIG, CONFIG_FILE, DOCUMENT, FONT_ROLES
from dossier.workspace.external import load_externals
from dossier.workspace.fields import FieldReader
from dossier.workspace.inputs import outside_message, resolve_inside
from dossier.workspace.kinds import DEFAULT_NUMBERING, DEFAULT_REVIEW_MONTHS, KIND_FIELDS, KIND_LABELS
from dossier.workspace.model import DEFAULT_TIMEZONE, DUTIES, NUMBERING_STYLES, Config, Document, Signoff, Workspace
from dossier.workspace.retention import read_retention
from dossier.workspace.revisions import DEFAULT_SCHEME, SCHEME_NAMES
from dossier.workspace.spec import Field
from dossier.workspace.yamlsrc import SourceMap, illegal_xml_chars, load_yaml, read_utf8

MAX_TIMEOUT = defs.MAX_TIMEOUT  # seconds per document a converter may take at most
CONFIG_FIELDS = CONFIG.names
DOCUMENT_FIELDS = DOCUMENT.names | KIND_FIELDS


def find_root(start: Path) -> Path:
    """The workspace directory: `start` itself, which must hold dossier.yaml."""
    if not (start / CONFIG_FILE).is_file():
        raise UsageError(f"error: {start}: not a dossier workspace (no {CONFIG_FILE}); run `dossier init DIR` to create one")
    return start.resolve()


def workspace_zone(start: Path) -> ZoneInfo:
    """The time zone of the workspace at `start` (its `timezone:`); the default zone when `start`
    holds no dossier.yaml, or its `timezone:` is not a valid one (`check` reports that)."""
    if not (start / CONFIG_FILE).is_file():
        return ZoneInfo(DEFAULT_TIMEZONE)
    return load_config(start.resolve(), Problems()).zone


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _int_table(reader: FieldReader | None, field: Field, default: dict[str, int]) -> dict[str, int]:
    """A per-kind table of whole numbers (`field`: its keys, `default` and the kinds)."""
    table = dict(default)
    if reader is None:
        return table
    kinds = [key for key in field.keys if key != "default"]
    minimum = None if field.value.minimum is None else int(field.value.minimum)
    for key in reader.mapping:
        if key not in field.keys:
            reader.fail(str(key), f"unknown document kind (expected default or one of: {', '.join(kinds)})")
            continue
        table[str(key)] = reader.integer(str(key), minimum=minimum, default=table.get(str(key), default["default"]))
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
    top.unknown(CONFIG.names)
    config.raw = data
    company = top.section(defs.COMPANY)
    if company is None:
        top.fail("company", "is required (company.name)")
    else:
        config.company_name = company.read(defs.COMPANY["name"])
        config.company_address = company.read(defs.COMPANY["address"])
    config.revision_scheme = top.read(CONFIG["revision_scheme"], default=DEFAULT_SCHEME)
    if config.revision_scheme not in SCHEME_NAMES:
        top.fail("revision_scheme", f"unknown scheme {config.revision_scheme!r} (expected one of: {', '.join(SCHEME_NAMES)})")
        config.revision_scheme = DEFAULT_SCHEME
    numbering = top.child(defs.NUMBERING.name)
    if numbering is not None:
        for key in numbering.mapping:
            if key not in defs.NUMBERING.keys:
                numbering.fail(str(key), f"unknown document kind (expected one of: {', '.join(defs.NUMBERING.keys)})")
            else:
                pattern = numbering.text(key, default=DEFAULT_NUMBERING[key])
                try:
                    re.compile(pattern)
                    config.numbering[key] = pattern
                except re.error as exc:
                    numbering.fail(str(key), f"not a valid regular expression ({exc})")
    fonts = top.section(defs.FONTS)
    if fonts is not None:
        config.fonts = _font_settings(fonts)
    config.numbering_style = _numbering_style(top) or config.numbering_style
    config.review_interval_months = _int_table(top.child(defs.REVIEW_INTERVAL.name), defs.REVIEW_INTERVAL,
                                               {"default": DEFAULT_REVIEW_MONTHS})
    config.retention_years = read_retention(top, set(KIND_LABELS))
    registers = top.section(defs.REGISTERS)
    if registers is not None:  # the form number printed on each register (dossier register)
        numbers = {field.name: registers.read(field) for field in defs.REGISTERS.fields}
        config.register_numbers = {name: number for name, number in numbers.items() if number}
    _converter_settings(top, config)
    _control_settings(top, config)
    paths = top.section(defs.PATHS)
    if paths is not None:
        config.content_dir = paths.read(defs.PATHS["content"], default=config.content_dir)
        config.templates_dir = paths.read(defs.PATHS["templates"], default=config.templates_dir)
        config.build_dir = paths.read(defs.PATHS["build"], default=config.build_dir)
        config.releases_dir = paths.read(defs.PATHS["releases"], default=config.releases_dir)
        config.ledger_file = paths.read(defs.PATHS["ledger"], default=config.ledger_file)
        config.external_file = paths.read(defs.PATHS["external"], default=config.external_file)
        chosen = {"content": config.content_dir, "templates": config.templates_dir, "build": config.build_dir,
                  "releases": config.releases_dir, "ledger": config.ledger_file, "external": config.external_file}
        for key, value in chosen.items():
            if key in paths.mapping and (Path(value).is_absolute() or resolve_inside(root, value, root) in (None, root)):
                paths.fail(key, f"{value}: expected a path inside the workspace (relative to {CONFIG_FILE}, not the workspace itself)")
    return config


def _converter_settings(top: FieldReader, config: Config) -> None:
    """`converter:` a server URL, a list of them, or {servers: URL(s), timeout: seconds per document}."""
    converter = top.get("converter")
    if isinstance(converter, SourceMap):
        settings = top.child("converter")
        settings.unknown({"servers", "timeout"})
        converter = settings.get("servers")
        timeout = settings.get("timeout")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= MAX_TIMEOUT:
                settings.fail("timeout", f"expected seconds per document, from 1 to {MAX_TIMEOUT}, got {timeout!r}")
            else:
                config.converter_timeout = float(timeout)
        if converter is None:
            return
    urls = [converter] if isinstance(converter, str) else converter if isinstance(converter, list) else []
    if converter is not None and not urls:
        top.fail("converter", "expected a server URL or a list of them (unoserver://HOST:PORT, gotenberg+http://HOST:PORT), "
                 "or {servers: …, timeout: SECONDS}")
    config.converters = [str(url) for url in urls]  # their form is checked by validate (it knows the converters)


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
    for key in reader.mapping:
        if key in FONT_ROLES:
            settings[""][key] = reader.text(key, required=True)
        elif key in KIND_LABELS:
            per_kind = reader.section(defs.FONTS[key])
            if per_kind is not None:
                settings[key] = {role: per_kind.text(role, required=True) for role in FONT_ROLES if role in per_kind.mapping}
    return settings


def _numbering_style(reader: FieldReader) -> str:
    """`numbering_style:` (auto, none or chapter); "" when absent or not one of them (reported)."""
    style = reader.read(defs.NUMBERING_STYLE)
    if style and style not in NUMBERING_STYLES:
        reader.fail("numbering_style", f"unknown heading numbering {style!r} (expected one of: {', '.join(NUMBERING_STYLES)})")
        return ""
    return style


def _signoff(reader: FieldReader, field: Field) -> Signoff | None:
    person = reader.section(field)
    if person is None:
        return None
    return Signoff(person.read(field["name"]), person.read(field["date"]))


def _body(reader: FieldReader, path: Path, root: Path, problems: Problems) -> tuple[str | None, str, int]:
    """(markdown, file shown in messages, line offset) of the document body; None when it cannot be read."""
    inline = reader.get("body")
    sibling = path.parent / f"{path.stem}.md"
    if inline is not None and sibling.is_file() and reader.get("body_file") is None:
        reader.fail("body", f"both an inline body and {_display(root, sibling)} exist; keep one")
    if inline is not None:
        if not isinstance(inline, str):
            reader.fail("body", "expected Markdown text")
            return "", reader.mapping.path, 0
        # 0-based body line N is file line text_line + N (exact for `body: |`, for `>` and quoted text its first line)
        return inline, reader.mapping.path, reader.mapping.text_line("body") - 1
    name = reader.text("body_file") or f"{path.stem}.md"
    body_path = resolve_inside(path.parent, name, path.parent)
    if body_path is None:  # a sibling linked out of the folder is reported with the folder's files
        if reader.get("body_file") is not None:
            reader.fail("body_file", outside_message(name, _display(root, path.parent)))
        return None, reader.mapping.path, 0
    if not body_path.is_file():
        if reader.get("body_file") is not None:
            reader.fail("body_file", f"file not found: {_display(root, body_path)}")
        return "", reader.mapping.path, 0
    shown = _display(root, body_path)
    text = read_utf8(body_path, problems, shown, "body")
    if text is None:
        return None, shown, 0
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
    kind = reader.read(DOCUMENT["kind"])
    if kind and kind not in KIND_LABELS:
        reader.fail("kind", f"unknown document kind {kind!r} (expected one of: {', '.join(KIND_LABELS)})")
    body, body_source, offset = _body(reader, path, root, problems)
    doc = Document(
        id=reader.read(DOCUMENT["id"]),
        kind=kind,
        title=reader.read(DOCUMENT["title"]),
        revision=reader.read(DOCUMENT["revision"]),
        source=path,
        source_display=shown,
        effective_date=reader.read(DOCUMENT["effective_date"]),
        department=reader.read(DOCUMENT["department"]),
        prepared_by=_signoff(reader, defs.PREPARED_BY),
        reviewed_by=_signoff(reader, defs.REVIEWED_BY),
        approved_by=_signoff(reader, defs.APPROVED_BY),
        change=reader.read(DOCUMENT["change"]),
        body=body or "",
        body_unreadable=body is None,
        body_source=body_source,
        body_line_offset=offset,
        numbering_style=_numbering_style(reader),
        raw=data,
    )
    copy = defs.DISTRIBUTION
    for entry in reader.items(copy):
        doc.distribution.append({
            "copy": entry.read(copy["copy"]),
            "holder": entry.read(copy["holder"]),
            "department": entry.read(copy["department"]),
            "issued": entry.read(copy["issued"]),
            "withdrawn": entry.read(copy["withdrawn"]),
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
    files = []
    for path in sorted(content.iterdir()):
        if path.is_symlink() and resolve_inside(content, path.name, content) is None:
            problems.add(f"{config.content_dir}/{path.name}", None, "", outside_message(path.name, config.content_dir))
        elif path.is_file():
            files.append(path)
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
