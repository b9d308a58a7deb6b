"""What a run takes from the company's workspace: company, fonts, converters, ledger versions."""

from __future__ import annotations

import json
from pathlib import Path

from dossier.qualify.context import Context
from dossier.qualify.run import _workspace_settings
from tests.conftest import run_cli


def test_workspace_settings_and_the_versions_that_wrote_its_ledger(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root), "--company", "某某医疗器械有限公司").exit_code == 0
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fonts: {body: 仿宋, work_instruction: {body: 楷体}}\n", encoding="utf-8")
    entries = [{"seq": 1, "tool": "dossier 0.1.0"}, {"seq": 2}, {"seq": 3, "tool": "dossier 0.1.0"}, {"seq": 4, "tool": "dossier 0.2.0"}]
    (root / "ledger.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    ctx = Context(out=tmp_path / "out", scratch=tmp_path / "scratch")
    _workspace_settings(ctx, root)
    assert ctx.company == "某某医疗器械有限公司" and ctx.workspace == root.resolve()
    assert {"仿宋", "楷体", "宋体", "黑体", "Times New Roman"} <= set(ctx.faces)
    rows = dict(ctx.environment)
    assert rows["账本记录的软件版本"] == "dossier 0.1.0：2 条；dossier 0.2.0：1 条；（未记录版本）：1 条"


def test_workspace_without_ledger(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    ctx = Context(out=tmp_path / "out", scratch=tmp_path / "scratch")
    _workspace_settings(ctx, root)
    assert dict(ctx.environment)["账本记录的软件版本"] == "无发布记录" and ctx.converters == []
