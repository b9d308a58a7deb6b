"""Helpers: YAML text as the loader reads it, and criteria or results parsed from it."""

from __future__ import annotations

from textwrap import dedent

from dossier.errors import Problems
from dossier.validation.criteria import Criterion, read_criteria
from dossier.workspace.fields import FieldReader
from dossier.workspace.yamlsrc import SourceMap, load_yaml_text


def yaml_map(text: str, path: str = "content/VP-99.yaml") -> SourceMap:
    problems = Problems()
    data = load_yaml_text(dedent(text), path, problems)
    assert not problems, problems.items
    return data


def criteria(text: str) -> tuple[list[Criterion], list[str]]:
    """Criteria of a `validation:` block given as YAML text; problems as `LINE: FIELD: message`."""
    problems = Problems()
    block = FieldReader(yaml_map(text)["validation"], problems, "validation.")
    found = read_criteria(block)
    return found, [f"{p.line}: {p.field}: {p.message}" for p in problems.items]


PROTOCOL = """\
validation:
  acceptance_criteria:
    - 所用仪表均在校准有效期内
    - id: AC-02
      quantity: 初始污染菌
      unit: CFU/支
      samples: 5
      mean: {max: 100}
    - id: AC-03
      text: 温度在 40 ℃～50 ℃
      quantity: 温度
      unit: ℃
      samples: H01..H03
      each: {min: 40, max: 50}
    - id: AC-04
      quantity: PCD 培养结果
      samples: [B1, B2, B3]
      each: {equals: 无菌生长}
    - id: AC-05
      quantity: 密封强度
      unit: N/15 mm
      samples: 4
      each: {min: 1.5}
      ppk: {lsl: 1.5, min: 1.33}
    - id: AC-06
      quantity: 连续运行
      samples: 3
      count: {of: fail, max: 0}
"""
