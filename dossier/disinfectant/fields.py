"""The product's answers to the forms: the value of every field a form may name (formdata.FIELDS).

Empty fields print as ／. The 在华责任单位 fields (`china_unit.*`) are those of the product's
responsible unit for imports only; 第四条 defines that unit for imports, so for domestic products
they stay empty. Licence and import fields are empty where they do not apply.
"""

from __future__ import annotations

from dossier.disinfectant.formdata import FIELDS, Field, Forms
from dossier.disinfectant.model import Product

NONE = "／"


def cn_date(when) -> str:
    """2024年5月20日."""
    return f"{when.year}年{when.month}月{when.day}日"


def field_values(product: Product, klass: int) -> dict[str, str]:
    """{field name: text} for every name of formdata.FIELDS ("" where the product has no value)."""
    r, m, imported = product.responsible, product.manufacturer, product.import_info
    china = product.imported
    licence = product.licence
    values = {
        "product.name": product.name,
        "product.name_en": product.name_en,
        "product.form_model": product.form_model,
        "product.enterprise_standard": product.enterprise_standard,
        "evaluation.date": cn_date(product.evaluation_date),
        "class": str(klass),
        "manufacturer.country": m.country or ("" if product.imported else "中国"),
        "manufacturer.hygiene_licence": licence.number if licence and not product.imported else "",
        "import.customs_declaration": imported.customs_declaration if imported else "",
        "import.business_licence": imported.business_licence if imported else "",
        "china_unit.address_phone": "　".join(v for v in (r.address, r.phone) if v) if china else "",
    }
    for key in ("name", "address", "legal_representative", "phone", "postcode", "fax", "contact"):
        values[f"responsible.{key}"] = getattr(r, key)
        values.setdefault(f"china_unit.{key}", getattr(r, key) if china else "")
    for key in ("name", "name_en", "address", "legal_representative", "phone", "contact"):
        values[f"manufacturer.{key}"] = getattr(m, key)
    missing = FIELDS - set(values)
    assert not missing, missing  # every field a form may name has a value
    return {k: v for k, v in values.items() if k in FIELDS}


def chosen(field: Field, values: dict[str, str]) -> str | None:
    """The option of a choice field the product's value selects (class 1 → the first option)."""
    raw = values.get(field.value or "", "")
    if raw.isdigit() and 1 <= int(raw) <= len(field.choices):
        return field.choices[int(raw) - 1]
    return raw if raw in field.choices else None


def field_text(field: Field, values: dict[str, str], forms: Forms) -> str:
    """What the form shows for `field`: the value (named as the form asks), the marked choices,
    ／ when empty, "" for a field left blank for handwriting."""
    if field.value is None:
        return ""
    if field.choices:
        return forms.ticked(field.choices, chosen(field, values))
    raw = values[field.value]
    return dict(field.names).get(raw, raw) or NONE
