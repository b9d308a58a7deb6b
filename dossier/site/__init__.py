"""The document portal: a static, byte-reproducible site of the quality system (`dossier site`).

Modules, each importing only those above it:

- `model`: what the site shows, from `dossier status`, the ledger and the release archive;
- `registry`: the extension point — page builders, document-page sections, overdue sources;
- `dashboard`: the state of the system as inline SVG;
- `pages/`: the registered builders (master list, document pages, disinfectant products);
- `render`: Jinja's sandboxed environment over `templates/`, the assets in `static/`;
- `build`: the whole site into one folder, replaced as a whole; `serve`: a loopback server.
"""
