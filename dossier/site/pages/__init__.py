"""The page and section builders of the site; importing this package registers them.

One module per page set. To add one (coverage matrix, external documents): write the module
with `@page(...)` / `@section(...)` / `@overdue(...)` builders that return nothing when the
workspace has nothing for them, its templates in `dossier/site/templates/`, and import it here.
"""

from dossier.site.pages import coverage, documents, external, master, products, validation  # noqa: F401 (registers the builders)
