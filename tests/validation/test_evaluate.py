"""One criterion judged from its readings: verdicts, computed figures, findings that point at the value."""

from __future__ import annotations

from dossier.validation.evaluate import Reading, evaluate, judged
from dossier.validation.values import Where, value_of
from tests.validation.support import PROTOCOL, criteria

BY_ID = {c.id: c for c in criteria(PROTOCOL)[0]}


def readings(*values, names=None) -> list[Reading]:
    names = names or [f"#{i}" for i in range(1, len(values) + 1)]
    return [Reading(name, value_of(v), Where("content/VR-99.yaml", 10 + i, f"report.results.X.values[{i + 1}]"))
            for i, (name, v) in enumerate(zip(names, values))]


def figures(evaluation) -> dict[str, str]:
    return dict(evaluation.figures)


def test_limits_on_every_result_point_at_the_failing_one() -> None:
    ok = evaluate(BY_ID["AC-03"], readings(44.6, 45.3, 43.9, names=["H01", "H02", "H03"]))
    assert ok.passed and ok.verdict_label == "符合" and ok.findings == ()
    assert figures(ok) == {"结果数": "3", "平均值": "44.60 ℃", "标准差": "0.70 ℃", "范围": "43.9～45.3 ℃"}
    bad = evaluate(BY_ID["AC-03"], readings(44.6, 50.4, 39.9, names=["H01", "H02", "H03"]))
    assert not bad.passed and bad.verdict_label == "不符合"
    assert [f.text for f in bad.findings] == ["H02：50.4 ℃（应在 40 ℃～50 ℃）", "H03：39.9 ℃（应在 40 ℃～50 ℃）"]
    assert bad.findings[0].where.line == 11 and bad.findings[0].where.field == "report.results.X.values[2]"


def test_limits_are_inclusive() -> None:
    assert evaluate(BY_ID["AC-03"], readings(40, 50.0, 45, names=["H01", "H02", "H03"])).passed


def test_mean_rule() -> None:
    passing = evaluate(BY_ID["AC-02"], readings(42, 57, 38, 61, 100))
    assert passing.passed and figures(passing)["平均值"] == "59.6 CFU/支"
    assert evaluate(BY_ID["AC-02"], readings(142, 57, 138, 61, 102)).passed  # mean exactly 100


def test_mean_rule_fails_above_the_limit() -> None:
    failing = evaluate(BY_ID["AC-02"], readings(142, 57, 138, 61, 110))
    assert [f.text for f in failing.findings] == ["平均值 101.6 CFU/支（应不大于 100 CFU/支）"]
    assert failing.findings[0].where is None


def test_equality_of_text() -> None:
    assert evaluate(BY_ID["AC-04"], readings("无菌生长", "无菌生长", "无菌生长", names=["B1", "B2", "B3"])).passed
    bad = evaluate(BY_ID["AC-04"], readings("无菌生长", "有菌生长", "无菌生长", names=["B1", "B2", "B3"]))
    assert [f.text for f in bad.findings] == ["B2：有菌生长"]


def test_ppk_computed_and_judged() -> None:
    good = evaluate(BY_ID["AC-05"], readings(2.31, 2.18, 2.45, 2.27))
    assert good.passed and figures(good)["Ppk"] == "2.38"  # (2.3025 - 1.5) / (3 × 0.1124)
    poor = evaluate(BY_ID["AC-05"], readings(1.9, 1.6, 2.4, 1.7))
    assert not poor.passed
    assert [f.text for f in poor.findings] == [f"Ppk {figures(poor)['Ppk']}（应不小于 1.33）"]


def test_count_of_failed_runs_with_pass_fail_words() -> None:
    assert evaluate(BY_ID["AC-06"], readings("合格", "pass", True)).passed
    bad = evaluate(BY_ID["AC-06"], readings("合格", "不合格", "FAIL"))
    assert figures(bad)["“fail”计数"] == "2"
    assert bad.findings[0].text == "“fail” 2 个（应不大于 0）" and bad.findings[0].where.line == 11


def test_reviewer_judgement() -> None:
    free = BY_ID["1"]
    assert judged(free, True, "证书有效").verdict_label == "符合"
    assert not judged(free, False).passed
