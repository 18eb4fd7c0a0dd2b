"""Ranking: hand-worked pareto, impact, NPS, drivers, recency, roll-ups, quotes and rows."""

import json
from typing import ClassVar

import numpy as np
import pytest

import fishbone
from fishbone.exceptions import FeedbackError
from fishbone.graph import roll_up_sets, to_networkx
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.ranking import METHOD_FIELDS, rank
from fishbone.ranking_stats import kish_n
from fishbone.records import FeedbackTable, Mentions, Scale

Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture
def diagram():
    return Diagram(
        id="cx",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[
            Category(id="proc", label="Processes"),
            Category(id="sys", label="Systems"),
        ],
        causes=[
            Cause(id="refunds", label="Fast refunds", category="proc"),
            Cause(id="policy", label="Clear policy", category="proc", parent="refunds"),
            Cause(id="forms", label="Short forms", category="proc", parent="refunds"),
            Cause(id="app", label="Working app", category="sys"),
            Cause(id="login", label="Easy login", category="sys"),
        ],
    )


def table(scores=None, texts=None, n=10, scale="0-10", dates=None):
    rows = []
    for i in range(n):
        row = {"id": f"r{i}", "text": texts[i] if texts else f"comment {i}"}
        if scores is not None:
            row["score"] = scores[i]
        if dates is not None:
            row["date"] = dates[i]
        rows.append(row)
    return FeedbackTable.from_rows(rows, scale=Scale.parse(scale) if scale else None)


def mentions(sets, ids=("refunds", "policy", "forms", "app", "login")):
    return Mentions.from_sets(list(ids), sets)


# 10 records: policy 3 (r0-r2), forms 2 (r2, r3), app 4 (r4-r7), login 1 (r7)
SETS = [
    {"policy"},
    {"policy"},
    {"policy", "forms"},
    {"forms"},
    {"app"},
    {"app"},
    {"app"},
    {"app", "login"},
    set(),
    set(),
]


def by_id(rows):
    return {r.cause: r for r in rows}


class TestPareto:
    def test_shares_and_wilson_intervals(self, diagram):
        rows = by_id(rank(diagram, table(), mentions=mentions(SETS)))
        assert rows["app"].n == 4
        assert rows["app"].share == pytest.approx(0.4)
        assert rows["app"].share_ci == pytest.approx(wilson(4, 10))
        assert rows["login"].share_ci == pytest.approx(wilson(1, 10))

    def test_wilson_known_value(self):
        from fishbone.ranking_stats import wilson_interval

        lo, hi = wilson_interval(8, 10)
        # Wilson (1927) interval for 8/10 at 95 %, as given by R's prop.test(correct=FALSE)
        assert (float(lo), float(hi)) == pytest.approx((0.4901625, 0.9433178), abs=1e-6)

    def test_parent_counts_each_comment_once(self, diagram):
        rows = by_id(rank(diagram, table(), mentions=mentions(SETS)))
        # r2 mentions policy and forms: counted once for refunds
        assert rows["refunds"].n == 4
        assert rows["policy"].n == 3
        assert rows["forms"].n == 2

    def test_roll_up_matches_graph_roll_up_sets(self, diagram):
        rows = by_id(rank(diagram, table(), mentions=mentions(SETS)))
        members = {
            c: {i for i, s in enumerate(SETS) if c in s}
            for c in ("refunds", "policy", "forms", "app", "login")
        }
        rolled = roll_up_sets(to_networkx(diagram), members)
        for cause, row in rows.items():
            assert row.n == len(rolled[cause])

    def test_without_roll_up_a_parent_counts_only_itself(self, diagram):
        rows = by_id(rank(diagram, table(), mentions=mentions(SETS), roll_up=False))
        assert rows["refunds"].n == 0

    def test_order_and_ties_follow_document_order(self, diagram):
        rows = rank(diagram, table(), mentions=mentions(SETS))
        # refunds and app both 4: refunds first in the document
        assert [r.cause for r in rows] == ["refunds", "app", "policy", "forms", "login"]
        assert [r.rank for r in rows] == [1, 2, 3, 4, 5]

    def test_cumulative_counts_each_comment_once(self, diagram):
        rows = rank(diagram, table(), mentions=mentions(SETS))
        # 8 records mention something; refunds covers 4, app 4 more, the rest nothing new
        assert [r.cumulative for r in rows] == pytest.approx([0.5, 1.0, 1.0, 1.0, 1.0])
        assert [r.vital for r in rows] == [True, True, False, False, False]

    def test_vital_share_setting(self, diagram):
        rows = rank(diagram, table(), mentions=mentions(SETS), vital_share=0.5)
        assert [r.vital for r in rows] == [True, False, False, False, False]

    def test_categories_count_each_comment_once(self, diagram):
        rows = by_id(
            rank(diagram, table(), mentions=mentions(SETS), level="categories")
        )
        assert rows["proc"].n == 4
        assert rows["sys"].n == 4  # r7 mentions app and login: once
        assert rows["sys"].category == "sys"

    def test_top_level_rolls_in_sub_causes(self, diagram):
        rows = rank(diagram, table(), mentions=mentions(SETS), level="top")
        assert [(r.cause, r.n) for r in rows] == [
            ("refunds", 4),
            ("app", 4),
            ("login", 1),
        ]

    def test_works_without_scores(self, diagram):
        rows = rank(diagram, table(scale=None), mentions=mentions(SETS))
        assert all(r.impact is None and r.impact_ci is None for r in rows)

    def test_unmentioned_cause_is_last_and_not_vital(self, diagram):
        sets = [{"app"}] * 3 + [set()] * 7
        rows = rank(diagram, table(), mentions=mentions(sets))
        assert rows[0].cause == "app"
        assert rows[-1].n == 0
        assert rows[-1].vital is False


class TestImpact:
    SCORES: ClassVar[list[int]] = [2, 4, 3, 5, 9, 8, 10, 7, 6, 6]

    def test_identity_with_difference_of_means(self, diagram):
        t = table(self.SCORES)
        rows = by_id(rank(diagram, t, method="impact", mentions=mentions(SETS)))
        s = np.array(self.SCORES, dtype=float)
        for cause in ("policy", "app", "refunds"):
            mask = np.array(
                [
                    cause in m or (cause == "refunds" and bool(m & {"policy", "forms"}))
                    for m in SETS
                ]
            )
            diff_of_means = s.mean() - s[~mask].mean()
            n_c, N = mask.sum(), len(s)
            formula = n_c * (s[mask].mean() - s.mean()) / (N - n_c)
            assert rows[cause].impact == pytest.approx(diff_of_means)
            assert rows[cause].impact == pytest.approx(formula)
            assert rows[cause].mean_with == pytest.approx(s[mask].mean())
            assert rows[cause].mean_without == pytest.approx(s[~mask].mean())

    def test_hand_worked_value(self, diagram):
        rows = by_id(
            rank(diagram, table(self.SCORES), method="impact", mentions=mentions(SETS))
        )
        # all: 60/10 = 6; without policy (r3..r9): 51/7; impact = 6 - 51/7 = -9/7
        assert rows["policy"].impact == pytest.approx(-9 / 7)

    def test_most_negative_first(self, diagram):
        rows = rank(
            diagram, table(self.SCORES), method="impact", mentions=mentions(SETS)
        )
        impacts = [r.impact or 0.0 for r in rows if r.n_scored]
        assert impacts == sorted(impacts)
        assert rows[0].cause == "refunds"

    def test_nps_impact_uses_promoters_and_detractors(self, diagram):
        scores = [0, 3, 9, 10, 10, 10, 9, 7, 8, 5]
        sets = [{"app"}] * 4 + [set()] * 6
        t = table(scores, scale="nps")
        (app,) = [
            r
            for r in rank(diagram, t, method="impact", mentions=mentions(sets))
            if r.cause == "app"
        ]
        # all: 5 promoters, 3 detractors of 10 -> NPS 20; others: 3 P, 1 D of 6 -> 33.3
        assert app.impact == pytest.approx(20 - 100 * 2 / 6)
        assert app.mean_with == pytest.approx(0.0)  # 2 P, 2 D: NPS 0
        assert app.mean_without == pytest.approx(100 * 2 / 6)

    def test_bootstrap_is_deterministic_and_covers_the_estimate(self, diagram):
        rng = np.random.default_rng(0)
        n = 400
        scores = rng.integers(0, 11, n).tolist()
        sets = [{"app"} if rng.random() < 0.3 else set() for _ in range(n)]
        t = table(scores, n=n)
        m = mentions(sets)
        first = by_id(rank(diagram, t, method="impact", mentions=m))["app"]
        again = by_id(rank(diagram, t, method="impact", mentions=m))["app"]
        other = by_id(rank(diagram, t, method="impact", mentions=m, seed=1))["app"]
        assert first.impact_ci == again.impact_ci
        assert first.impact_ci != other.impact_ci
        lo, hi = first.impact_ci
        assert lo < first.impact < hi

    def test_bootstrap_interval_width_is_plausible(self, diagram):
        rng = np.random.default_rng(1)
        n = 2000
        scores = rng.normal(5, 2, n).round(1).clip(0, 10).tolist()
        sets = [{"app"} if i % 4 == 0 else set() for i in range(n)]
        t = table(scores, n=n)
        row = by_id(
            rank(diagram, t, method="impact", mentions=mentions(sets), n_boot=2000)
        )["app"]
        s = np.array(scores)
        mask = np.array([bool(x) for x in sets])
        # impact = f (S_c - S_rest); its standard error is about f * sqrt(v/n_c + v/n_rest)
        se = 0.25 * np.sqrt(s[mask].var() / mask.sum() + s[~mask].var() / (~mask).sum())
        lo, hi = row.impact_ci
        assert (hi - lo) == pytest.approx(2 * Z95 * se, rel=0.15)

    def test_small_n_flag(self, diagram):
        rows = by_id(
            rank(
                diagram,
                table(self.SCORES),
                method="impact",
                mentions=mentions(SETS),
                min_n=3,
            )
        )
        assert rows["policy"].small_n is False
        assert rows["login"].small_n is True

    def test_records_without_scores_are_left_out(self, diagram):
        scores = [*self.SCORES[:8], None, None]
        rows = by_id(
            rank(diagram, table(scores), method="impact", mentions=mentions(SETS))
        )
        s = np.array(self.SCORES[:8], dtype=float)
        assert rows["app"].n_scored == 4
        assert rows["app"].impact == pytest.approx(s.mean() - s[:4].mean())

    def test_needs_scores(self, diagram):
        with pytest.raises(FeedbackError, match="no feedback record has a score"):
            rank(diagram, table(scale=None), method="impact", mentions=mentions(SETS))

    def test_pareto_also_reports_impact_when_scored(self, diagram):
        rows = by_id(rank(diagram, table(self.SCORES), mentions=mentions(SETS)))
        assert rows["policy"].impact == pytest.approx(-9 / 7)
        assert "small_n" not in rows["policy"].as_row()


class TestDrivers:
    def test_mentions_as_predictors(self, diagram):
        rng = np.random.default_rng(2)
        n = 300
        sets = [
            {c for c in ("policy", "app", "login") if rng.random() < 0.3}
            for _ in range(n)
        ]
        scores = [
            8 - 4 * ("policy" in s) - 1 * ("app" in s) + rng.normal() for s in sets
        ]
        rows = rank(
            diagram,
            table(scores, n=n),
            method="drivers",
            mentions=mentions(sets),
            level="top",
        )
        assert rows[0].cause == "refunds"
        assert rows[0].direction == -1
        assert sum(r.importance or 0.0 for r in rows) == pytest.approx(1.0)
        assert all((r.importance or 0.0) >= 0 for r in rows)
        assert rows[0].importance_method == "lmg"
        assert rows[0].r2 == pytest.approx(sum(r.r2_part or 0.0 for r in rows))

    def test_matches_relative_importance_directly(self, diagram):
        rng = np.random.default_rng(3)
        n = 200
        X = (rng.random((n, 2)) < 0.4).astype(float)
        y = 5 - 3 * X[:, 0] - X[:, 1] + rng.normal(size=n)
        sets = [{c for c, on in zip(("app", "login"), x, strict=True) if on} for x in X]
        rows = by_id(
            rank(
                diagram,
                table(y.tolist(), n=n),
                method="drivers",
                mentions=mentions(sets),
                level="top",
            )
        )
        expected = fishbone.relative_importance(np.column_stack([np.zeros(n), X]), y)
        assert [
            rows[c].importance for c in ("refunds", "app", "login")
        ] == pytest.approx(expected.tolist())

    def test_attribute_ratings_are_predictors(self, diagram):
        rng = np.random.default_rng(4)
        n = 200
        wait = rng.integers(1, 6, n).astype(float)
        app = rng.integers(1, 6, n).astype(float)
        y = 2 * wait + 0.2 * app + rng.normal(size=n)
        wait[:10] = np.nan  # not rated: takes the mean
        rows = [
            {
                "id": str(i),
                "score": float(y[i]),
                "ratings": {"refunds": wait[i], "app": app[i]},
            }
            for i in range(n)
        ]
        t = FeedbackTable.from_rows(rows, scale=Scale.parse("0-20"))
        ranked = rank(
            diagram, t, method="drivers", mentions=mentions([set()] * n), level="top"
        )
        assert ranked[0].cause == "refunds"
        assert ranked[0].direction == 1
        only_mentions = rank(
            diagram,
            t,
            method="drivers",
            mentions=mentions([set()] * n),
            level="top",
            inputs="mentions",
        )
        assert all(r.importance == 0 for r in only_mentions)

    def test_ratings_with_unscored_records_and_mentions_mixed(self, diagram):
        rng = np.random.default_rng(8)
        n = 120
        wait = rng.integers(1, 6, n).astype(float)
        app = rng.random(n) < 0.3
        y = 2 * wait - 3 * app + rng.normal(size=n)
        rows = [
            {
                "id": str(i),
                "score": None if i % 10 == 0 else float(y[i]),
                "ratings": {"refunds": wait[i]},
            }
            for i in range(n)
        ]
        t = FeedbackTable.from_rows(rows, scale=Scale.parse("-10-20"))
        sets = [{"app"} if a else set() for a in app]
        ranked = by_id(
            rank(diagram, t, method="drivers", mentions=mentions(sets), level="top")
        )
        scored = np.arange(n) % 10 != 0
        X = np.column_stack([wait, app.astype(float), np.zeros(n)])[scored]
        expected = fishbone.relative_importance(X, y[scored])
        got = [ranked[c].importance for c in ("refunds", "app", "login")]
        assert got == pytest.approx(expected.tolist())
        assert ranked["app"].direction == -1

    def test_lmg_by_category_above_fifteen_causes(self):
        cats = [Category(id=f"k{i}", label=f"K{i}") for i in range(4)]
        causes = [
            Cause(id=f"c{j}", label=f"C{j}", category=f"k{j % 4}") for j in range(20)
        ]
        d = Diagram(id="big", effect=Effect(label="E"), categories=cats, causes=causes)
        rng = np.random.default_rng(5)
        n = 500
        X = rng.random((n, 20)) < 0.2
        y = 5 - 2 * X[:, 0] - X[:, 5] + rng.normal(size=n)
        sets = [{f"c{j}" for j in np.flatnonzero(x)} for x in X]
        m = Mentions.from_sets([c.id for c in causes], sets)
        rows = rank(d, table(y.tolist(), n=n), method="drivers", mentions=m)
        assert {r.importance_method for r in rows} == {"lmg by category"}
        assert sum(r.importance or 0.0 for r in rows) == pytest.approx(1.0)
        assert rows[0].cause == "c0"
        weights = rank(
            d, table(y.tolist(), n=n), method="drivers", mentions=m, drivers="weights"
        )
        assert weights[0].cause == "c0"
        assert weights[0].importance_method == "weights"

    def test_needs_scores(self, diagram):
        with pytest.raises(FeedbackError, match="drivers cannot be computed"):
            rank(diagram, table(scale=None), method="drivers", mentions=mentions(SETS))


class TestRecency:
    def test_weights_and_effective_n(self, diagram):
        dates = ["2024-03-01", "2024-01-31", "2024-01-01"] + ["2024-03-01"] * 7
        sets = [{"app"}, {"app"}, {"app"}] + [set()] * 7
        t = table(dates=dates)
        rows = by_id(
            rank(
                diagram, t, mentions=mentions(sets), half_life_days=30, now="2024-03-01"
            )
        )
        w = np.array([1.0, 2 ** (-30 / 30), 2 ** (-60 / 30)] + [1.0] * 7)
        assert rows["app"].share == pytest.approx(w[:3].sum() / w.sum())
        assert rows["app"].n == 3
        assert rows["app"].n_eff == pytest.approx(kish_n(w[:3]))
        assert kish_n(w[:3]) == pytest.approx(1.75**2 / 1.3125)

    def test_now_defaults_to_latest_date(self, diagram):
        dates = ["2024-03-01", "2024-01-31"] + ["2024-02-01"] * 8
        t = table(dates=dates)
        m = mentions([{"app"}] + [set()] * 9)
        default = rank(diagram, t, mentions=m, half_life_days=30)
        explicit = rank(diagram, t, mentions=m, half_life_days=30, now="2024-03-01")
        assert default == explicit

    def test_no_dates_is_a_clear_error(self, diagram):
        with pytest.raises(FeedbackError, match="no feedback record has a date"):
            rank(diagram, table(), mentions=mentions(SETS), half_life_days=30)


class TestQuotes:
    def test_typical_then_most_negative(self, diagram):
        texts = [
            "refund took ages",  # 2
            "never got my refund back, awful",  # 0
            "refund fine",  # 6
            "refund came after two weeks",  # 5
        ] + ["x"] * 6
        scores = [2, 0, 6, 5] + [9] * 6
        sets = [{"policy"}] * 4 + [set()] * 6
        row = by_id(rank(diagram, table(scores, texts), mentions=mentions(sets)))[
            "policy"
        ]
        # mean 3.25: closest score is 2 -> "refund took ages"; most negative is r1
        assert row.quotes[:2] == ("refund took ages", "never got my refund back, awful")
        assert row.quote_ids[:2] == ("r0", "r1")
        assert len(row.quotes) == 3

    def test_quotes_skip_empty_and_repeat_texts(self, diagram):
        texts = ["", "same", "same", "other"] + ["x"] * 6
        sets = [{"app"}] * 4 + [set()] * 6
        row = by_id(
            rank(diagram, table(scale=None, texts=texts), mentions=mentions(sets))
        )["app"]
        assert sorted(row.quotes) == ["other", "same"]


class TestRowsAndErrors:
    def test_row_json_has_the_design_fields(self, diagram):
        rows = rank(
            diagram, table(TestImpact.SCORES), method="impact", mentions=mentions(SETS)
        )
        row = json.loads(json.dumps(rows[0].as_row()))
        base = [
            "cause",
            "label",
            "category",
            "rank",
            "n",
            "share",
            "share_ci",
            "impact",
            "impact_ci",
            "quotes",
        ]
        assert list(row)[: len(base)] == base
        assert set(METHOD_FIELDS["impact"]) <= set(row)
        assert len(row["share_ci"]) == 2
        assert len(row["impact_ci"]) == 2

    def test_public_api(self, diagram):
        assert fishbone.rank is rank
        assert isinstance(
            rank(diagram, table(), mentions=mentions(SETS))[0], fishbone.RankedCause
        )

    def test_unknown_method(self, diagram):
        with pytest.raises(FeedbackError, match="unknown ranking method 'best'"):
            rank(diagram, table(), method="best", mentions=mentions(SETS))  # type: ignore[arg-type]

    def test_unknown_level(self, diagram):
        with pytest.raises(FeedbackError, match="unknown level"):
            rank(diagram, table(), mentions=mentions(SETS), level="bones")  # type: ignore[arg-type]

    def test_mentions_of_unknown_cause(self, diagram):
        m = Mentions.from_sets(["ghost"], [set()] * 10)
        with pytest.raises(FeedbackError, match="'ghost'"):
            rank(diagram, table(), mentions=m)

    def test_mentions_of_other_feedback(self, diagram):
        with pytest.raises(FeedbackError, match="cover 2 records"):
            rank(diagram, table(), mentions=mentions([set(), set()]))

    def test_bad_vital_share(self, diagram):
        with pytest.raises(FeedbackError, match="vital share"):
            rank(diagram, table(), mentions=mentions(SETS), vital_share=1.5)

    def test_mentions_columns_in_any_order(self, diagram):
        ids = ("login", "app", "forms", "policy", "refunds")
        shuffled = rank(diagram, table(), mentions=mentions(SETS, ids=ids))
        assert [r.as_row() for r in shuffled] == [
            r.as_row() for r in rank(diagram, table(), mentions=mentions(SETS))
        ]

    def test_matches_when_mentions_are_not_given(self):
        d = Diagram(
            id="d",
            effect=Effect(label="E"),
            categories=[Category(id="p", label="P")],
            causes=[
                Cause(id="refunds", label="Refunds", category="p", signals=["refund"])
            ],
        )
        t = FeedbackTable.from_rows([{"text": "slow refund"}, {"text": "nice staff"}])
        (row,) = rank(d, t)
        assert (row.n, row.quotes) == (1, ("slow refund",))


class TestEdges:
    def test_empty_feedback(self, diagram):
        t = FeedbackTable.from_rows([])
        rows = rank(diagram, t, mentions=mentions([]))
        assert [r.n for r in rows] == [0] * 5
        assert all(r.share_ci == (0.0, 1.0) and r.vital is False for r in rows)

    def test_cause_every_comment_mentions_has_no_impact(self, diagram):
        sets = [{"app"}] * 10
        rows = by_id(
            rank(
                diagram,
                table(TestImpact.SCORES),
                method="impact",
                mentions=mentions(sets),
            )
        )
        assert rows["app"].impact == 0.0
        assert rows["app"].impact_ci == (0.0, 0.0)
        assert rows["app"].mean_without is None

    def test_diagram_without_causes(self):
        d = Diagram(id="d", effect=Effect(label="E"))
        assert rank(d, table(), mentions=Mentions.from_sets([], [set()] * 10)) == []


class TestOptionErrors:
    def test_unknown_drivers_method_and_inputs(self, diagram):
        t = table(TestImpact.SCORES)
        with pytest.raises(FeedbackError, match="unknown drivers method 'best'"):
            rank(diagram, t, method="drivers", mentions=mentions(SETS), drivers="best")  # type: ignore[arg-type]
        with pytest.raises(FeedbackError, match="unknown drivers inputs 'tea'"):
            rank(diagram, t, method="drivers", mentions=mentions(SETS), inputs="tea")  # type: ignore[arg-type]

    def test_exact_lmg_refused_when_too_costly(self):
        cats = [Category(id=f"k{i}", label="K") for i in range(16)]
        causes = [Cause(id=f"c{j}", label="C", category=f"k{j}") for j in range(16)]
        d = Diagram(id="d", effect=Effect(label="E"), categories=cats, causes=causes)
        m = Mentions.from_sets(
            [c.id for c in causes], [{f"c{i % 16}"} for i in range(40)]
        )
        t = table(list(range(10)) * 4, n=40)
        with pytest.raises(
            FeedbackError, match="exact LMG over 16 causes in 16 categories"
        ):
            rank(d, t, method="drivers", mentions=m, drivers="lmg")
        assert (
            rank(d, t, method="drivers", mentions=m)[0].importance_method == "weights"
        )

    def test_mentions_with_a_cause_twice(self, diagram):
        m = Mentions.from_sets(["app", "app"], [set()] * 10)
        with pytest.raises(FeedbackError, match="two columns"):
            rank(diagram, table(), mentions=m)
