"""Ranking statistics by hand: Wilson, Kish, recency, BH, two-proportion test, bootstrap, trends."""

import numpy as np
import pytest

import fishbone
from fishbone.exceptions import FeedbackError
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.ranking_stats import (
    benjamini_hochberg,
    bootstrap_impact,
    impact,
    kish_n,
    nps_points,
    recency_weights,
    score_levels,
    two_proportion_test,
    wilson_interval,
)
from fishbone.records import FeedbackTable, Mentions
from fishbone.trends import split_periods


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (
            8,
            10,
            (0.4901625, 0.9433178),
        ),  # R: prop.test(8, 10, correct = FALSE)$conf.int
        (0, 10, (0.0, 0.2775328)),
        (10, 10, (0.7224672, 1.0)),
        (50, 100, (0.4038315, 0.5961685)),
    ],
    ids=["8of10", "none", "all", "half"],
)
def test_wilson_known_values(k, n, expected):
    lo, hi = wilson_interval(k, n)
    assert (float(lo), float(hi)) == pytest.approx(expected, abs=1e-6)


def test_wilson_with_no_records_is_uninformative():
    lo, hi = wilson_interval(0, 0)
    assert (float(lo), float(hi)) == (0.0, 1.0)


def test_wilson_rejects_bad_confidence():
    with pytest.raises(FeedbackError, match=r"confidence 1\.5"):
        wilson_interval(1, 2, confidence=1.5)


def test_kish_effective_n():
    assert kish_n([1, 1, 1, 1]) == 4
    assert kish_n([1.0, 0.5, 0.25]) == pytest.approx(1.75**2 / 1.3125)
    assert kish_n([0.0, 0.0]) == 0.0


def test_recency_halves_per_half_life():
    dates = np.array(["2024-04-10", "2024-01-01", "2023-12-31"], "datetime64[D]")
    w = recency_weights(dates, half_life_days=50, now="2024-04-10")
    assert w.tolist() == pytest.approx([1.0, 2 ** (-100 / 50), 2 ** (-101 / 50)])


def test_recency_future_dates_count_as_now():
    dates = np.array(["2024-02-01"], "datetime64[D]")
    assert recency_weights(dates, half_life_days=10, now="2024-01-01").tolist() == [1.0]


def test_recency_rejects_bad_half_life():
    with pytest.raises(FeedbackError, match="half-life 0"):
        recency_weights(np.array(["2024-01-01"], "datetime64[D]"), half_life_days=0)


def test_benjamini_hochberg_hand_example():
    # sorted p: 0.005, 0.01, 0.03, 0.04 (m = 4); p * m / rank: 0.02, 0.02, 0.04, 0.04
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert q.tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_benjamini_hochberg_takes_running_minimum_from_the_top():
    # sorted 0.01, 0.03, 0.04 -> p * m / rank = 0.03, 0.045, 0.04: 0.045 is pulled to 0.04
    q = benjamini_hochberg([0.04, 0.01, 0.03])
    assert q.tolist() == pytest.approx([0.04, 0.03, 0.04])
    q = benjamini_hochberg([0.01, 0.02, 0.03])
    assert q.tolist() == pytest.approx([0.03, 0.03, 0.03])


def test_benjamini_hochberg_empty():
    assert benjamini_hochberg([]).tolist() == []


def test_two_proportion_test_hand_worked():
    # pooled 0.225; se = sqrt(0.225 * 0.775 * (1/100 + 1/100)) = 0.0590551
    z, p = two_proportion_test(30, 100, 15, 100)
    assert float(z) == pytest.approx(0.15 / 0.0590551, rel=1e-6)
    assert float(p) == pytest.approx(0.011080, abs=1e-5)


def test_two_proportion_test_degenerate():
    z, p = two_proportion_test(0, 10, 0, 10)
    assert (float(z), float(p)) == (0.0, 1.0)


def test_impact_formula():
    # with: 2 records summing 4 (mean 2); all: 4 records summing 16 (mean 4); rest mean 6
    assert impact([2], [4.0], 4, 16.0).tolist() == [-2.0]
    assert impact([4], [16.0], 4, 16.0).tolist() == [0.0]  # nobody else: no impact


def test_nps_points():
    assert nps_points([10, 9, 8, 7, 6, 0]).tolist() == [100, 100, 0, 0, -100, -100]


def test_score_levels_bins_many_values():
    scores = np.linspace(0, 100, 1001)
    idx, levels = score_levels(scores)
    assert levels.shape[0] <= 64
    assert (levels[idx] - scores).__abs__().max() < 100 / 64
    assert np.bincount(idx, weights=scores).sum() == pytest.approx(scores.sum())


def test_bootstrap_matches_record_resampling():
    """The histogram bootstrap has the same distribution as resampling records."""
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, 200).astype(float)
    mention = rng.random(200) < 0.3
    levels = np.arange(5.0)
    hist_with = np.bincount(scores[mention].astype(int), minlength=5)[None, :].astype(
        float
    )
    hist_all = np.bincount(scores.astype(int), minlength=5).astype(float)
    lo, hi = bootstrap_impact(hist_with, hist_all, levels, n_boot=4000)
    draws = []
    for _ in range(4000):
        pick = rng.integers(0, 200, 200)
        s, m = scores[pick], mention[pick]
        draws.append(s.mean() - s[~m].mean())
    ref_lo, ref_hi = np.percentile(draws, [2.5, 97.5])
    assert float(lo[0]) == pytest.approx(ref_lo, abs=0.06)
    assert float(hi[0]) == pytest.approx(ref_hi, abs=0.06)


def test_bootstrap_large_groups_use_gaussian_means():
    hist_with = np.array([[30_000.0, 20_000.0]])
    hist_all = np.array([60_000.0, 60_000.0])
    lo, hi = bootstrap_impact(hist_with, hist_all, np.array([0.0, 1.0]))
    f = 50_000 / 120_000
    point = f * (0.4 - 40_000 / 70_000)
    assert float(lo[0]) < point < float(hi[0])
    assert float(hi[0] - lo[0]) < 0.01


@pytest.fixture
def diagram():
    return Diagram(
        id="d",
        effect=Effect(label="E"),
        categories=[Category(id="p", label="P")],
        causes=[
            Cause(id="a", label="A", category="p"),
            Cause(id="b", label="B", category="p"),
            Cause(id="c", label="C", category="p", parent="a"),
        ],
    )


def test_split_periods_default_is_the_last_period_days():
    dates = np.array(["2024-03-31", "2024-03-02", "2024-03-01", "NaT"], "datetime64[D]")
    now, before = split_periods(dates, period_days=30)
    assert now.tolist() == [True, True, False, False]
    assert before.tolist() == [False, False, True, False]
    _, short = split_periods(dates, since="2024-03-31", baseline_days=1)
    assert short.tolist() == [False, False, False, False]


def test_trend_flags_rising_causes_with_bh(diagram):
    before = [{"date": "2024-01-15"}] * 200
    now = [{"date": "2024-03-15"}] * 200
    t = FeedbackTable.from_rows(before + now)
    sets = (
        [{"a"}] * 20
        + [{"b"}] * 40
        + [set()] * 140  # before: a 10 %, b 20 %
        + [{"c"}] * 60
        + [{"b"}] * 42
        + [set()] * 98  # now: a (via c) 30 %, b 21 %
    )
    m = Mentions.from_sets(["a", "b", "c"], sets)
    rows = {
        r.cause: r for r in fishbone.trend(diagram, t, mentions=m, since="2024-03-01")
    }
    assert rows["a"].rising
    assert not rows["a"].falling
    assert rows["a"].share_before == pytest.approx(0.1)
    assert rows["a"].share_now == pytest.approx(0.3)
    assert not rows["b"].rising
    _z, p = two_proportion_test([60, 42, 60], 200, [20, 40, 0], 200)
    assert [rows[c].p for c in "abc"] == pytest.approx(p.tolist())
    assert [rows[c].q for c in "abc"] == pytest.approx(benjamini_hochberg(p).tolist())
    ordered = fishbone.trend(diagram, t, mentions=m, since="2024-03-01")
    assert [r.z for r in ordered] == sorted((r.z for r in ordered), reverse=True)


def test_trend_needs_both_periods(diagram):
    t = FeedbackTable.from_rows([{"date": "2024-01-15"}])
    with pytest.raises(FeedbackError, match="earlier period"):
        fishbone.trend(diagram, t, mentions=Mentions.from_sets(["a"], [set()]))
    with pytest.raises(FeedbackError, match="no feedback record has a date"):
        fishbone.trend(
            diagram,
            FeedbackTable.from_rows([{}]),
            mentions=Mentions.from_sets(["a"], [set()]),
        )


def test_score_levels_many_whole_numbers_are_binned():
    scores = np.arange(0.0, 101.0)
    idx, levels = score_levels(scores)
    assert levels.shape[0] <= 64
    assert np.bincount(idx, weights=scores).sum() == pytest.approx(scores.sum())


def test_trend_matches_when_mentions_are_not_given():
    d = Diagram(
        id="d",
        effect=Effect(label="E"),
        categories=[Category(id="p", label="P")],
        causes=[Cause(id="r", label="Refunds", category="p", signals=["refund"])],
    )
    rows = [{"date": "2024-01-01", "text": "ok"}] * 5 + [
        {"date": "2024-03-01", "text": "refund"}
    ] * 5
    (tr,) = fishbone.trend(d, FeedbackTable.from_rows(rows), since="2024-02-01")
    assert (tr.n_before, tr.n_now) == (0, 5)


def test_score_levels_keeps_few_fractional_values():
    idx, levels = score_levels(np.array([0.5, 1.5, 0.5]))
    assert (idx.tolist(), levels.tolist()) == ([0, 1, 0], [0.5, 1.5])
