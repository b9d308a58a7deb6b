"""Statistics and capability indices against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from dossier.validation import stats


def test_mean_sd_rsd_range() -> None:
    values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
    assert stats.mean(values) == 5.0
    assert stats.sd(values) == pytest.approx(math.sqrt(32 / 7))
    assert stats.rsd(values) == pytest.approx(math.sqrt(32 / 7) / 5 * 100)
    assert stats.value_range(values) == 7.0


def test_one_value_has_no_spread() -> None:
    assert stats.sd([3.0]) is None
    assert stats.rsd([3.0]) is None
    assert stats.cpk([3.0], 1.0, 5.0) is None
    with pytest.raises(ValueError):
        stats.mean([])


def test_ppk_uses_overall_sd_and_the_nearer_limit() -> None:
    values = [10.0, 12.0, 14.0]  # mean 12, sd 2
    assert stats.ppk(values, lsl=6.0, usl=20.0) == pytest.approx(1.0)  # (12 - 6) / 6
    assert stats.ppk(values, lsl=None, usl=15.0) == pytest.approx(0.5)  # (15 - 12) / 6


def test_cpk_uses_the_average_moving_range() -> None:
    values = [10.0, 11.0, 10.0, 11.0]  # moving ranges 1, 1, 1: sigma = 1 / 1.128
    sigma = 1 / 1.128
    assert stats.sigma_within(values) == pytest.approx(sigma)
    assert stats.cpk(values, lsl=7.0, usl=None) == pytest.approx((10.5 - 7.0) / (3 * sigma))


def test_zero_spread_gives_infinity_inside_the_limits() -> None:
    assert stats.ppk([4.0, 4.0], lsl=1.0, usl=5.0) == math.inf
    assert stats.ppk([6.0, 6.0], lsl=1.0, usl=5.0) == -math.inf
