"""`dossier disinfectant export PRODUCT --json`: every field of Annex 3 and 4 as the form shows it,
for entry into the online filing platform.

Each field is {"label", "field", "value"}: the form's label, the product field it comes from
(formdata.FIELDS; null for a label with no product value) and the text the form prints ("" for
an empty field). Questions carry the options and the one chosen; materials the files bound.
"""

from __future__ import annotations

from dossier.disinfectant.documents.annex3 import answer_of
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.fields import NONE, field_text, field_values
from dossier.disinfectant.formdata import Field, Forms


def _field(field: Field, values: dict[str, str], forms: Forms, **extra) -> dict:
    text = field_text(field, values, forms)
    return {"label": field.label, "field": field.value, "value": "" if text == NONE else text, **extra}


def _relative(path, folder) -> str:
    try:
        return path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def export(evaluation: Evaluation) -> dict:
    """The JSON-ready fields of Annex 3 and Annex 4 of the evaluated product."""
    product = evaluation.product
    forms = product.rules.forms
    values = field_values(product, evaluation.plan.klass)
    a3, a4 = forms.annex3, forms.annex4
    annex3 = {
        "title": a3.title,
        "cover": [_field(f, values, forms) for f in a3.cover],
        "basic": [_field(f, values, forms) for row in a3.basic for f in row],
        "questions": [
            {
                "number": q.number,
                "label": q.label,
                "options": list(q.choices),
                "answer": answer_of(q, evaluation),
                "applies": evaluation.answers[q.number] is not None or q.decided_by == "class",
            }
            for q in a3.questions
        ],
        "materials": [
            {
                "number": m.number,
                "title": m.title,
                "applies": product.applies(m.scope),
                "files": [_relative(path, product.source.parent) for path in product.materials.get(m.key, ())],
            }
            for m in a3.materials
        ],
    }
    annex4 = {
        "title": a4.title,
        "fields": [
            {**_field(f, values, forms, group=g.heading), "label": f.label or g.heading}
            for g in a4.groups
            for line in g.lines
            for f in line
        ],
        "applicant": [_field(f, values, forms) for f in a4.applicant],
    }
    return {
        "product": product.shown,
        "rule_set": product.rules.name,
        "annex3": annex3,
        "annex4": annex4,
    }
