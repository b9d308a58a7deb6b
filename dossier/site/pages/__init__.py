"""The page and section builders of the site; importing this package registers them.

One module per page set. To add one (coverage matrix, validation plan, external documents,
issued copies): write the module with `@page(...)` / `@section(...)` builders, its templates in
`dossier/site/templates/`, and import it here.
"""

from dossier.site.pages import documents, master, products  # noqa: F401 (registers the builders)
