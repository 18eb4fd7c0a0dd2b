"""Relative importance: LMG against relaimpo's published swiss shares, relative weights, groups."""

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

import fishbone
from fishbone.exceptions import FeedbackError
from fishbone.importance import (
    MAX_EXACT,
    correlations,
    group_lmg,
    lmg,
    relative_importance,
    relative_weights,
)

ANCHORS = Path(__file__).parent.parent / "data" / "anchors"
REGRESSORS = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]


@pytest.fixture(scope="module")
def swiss():
    with (ANCHORS / "swiss.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    X = np.array([[float(r[name]) for name in REGRESSORS] for r in rows])
    y = np.array([float(r["Fertility"]) for r in rows])
    return X, y


@pytest.fixture(scope="module")
def published():
    with (ANCHORS / "swiss_relaimpo_published.csv").open(newline="") as f:
        return {r["regressor"]: r for r in csv.DictReader(f)}


def test_lmg_reproduces_relaimpo_swiss(swiss, published):
    X, y = swiss
    shares = fishbone.relative_importance(X, y, method="lmg")
    expected = [float(published[name]["lmg"]) for name in REGRESSORS]
    assert shares.tolist() == pytest.approx(expected, abs=1e-6)


def test_first_and_last_match_relaimpo_swiss(swiss, published):
    """relaimpo's 'first' (r^2) and 'last' (R^2 drop) shares follow from the same R^2 table."""
    X, y = swiss
    R, r = correlations(X, y)
    first = r**2 / (r**2).sum()
    assert first.tolist() == pytest.approx(
        [float(published[n]["first"]) for n in REGRESSORS], abs=1e-6
    )
    full = float(r @ np.linalg.solve(R, r))
    drops = []
    for j in range(len(REGRESSORS)):
        keep = [k for k in range(len(REGRESSORS)) if k != j]
        drops.append(
            full - float(r[keep] @ np.linalg.solve(R[np.ix_(keep, keep)], r[keep]))
        )
    last = np.array(drops) / sum(drops)
    assert last.tolist() == pytest.approx(
        [float(published[n]["last"]) for n in REGRESSORS], abs=1e-6
    )


def test_lmg_sums_to_r2(swiss):
    X, y = swiss
    R, r = correlations(X, y)
    full_r2 = float(r @ np.linalg.solve(R, r))
    assert lmg(R, r).sum() == pytest.approx(full_r2)
    assert full_r2 == pytest.approx(
        0.7067, abs=1e-4
    )  # summary(lm(Fertility ~ ., swiss))


def test_relative_weights_sum_to_r2_and_are_nonnegative(swiss):
    X, y = swiss
    R, r = correlations(X, y)
    weights = relative_weights(R, r)
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(float(r @ np.linalg.solve(R, r)))


def test_relative_weights_track_lmg_on_swiss(swiss):
    X, y = swiss
    rw = relative_importance(X, y, method="weights")
    lm = relative_importance(X, y, method="lmg")
    assert np.abs(rw - lm).max() < 0.03
    assert list(np.argsort(-rw)) == list(np.argsort(-lm))


def test_orthogonal_predictors_get_their_squared_correlations():
    R = np.eye(3)
    r = np.array([0.5, 0.3, 0.1])
    expected = (r**2).tolist()
    assert lmg(R, r).tolist() == pytest.approx(expected)
    assert relative_weights(R, r).tolist() == pytest.approx(expected)


def test_two_equal_predictors_split_equally():
    R = np.array([[1.0, 0.5], [0.5, 1.0]])
    r = np.array([0.5, 0.5])
    # R^2 of one = 0.25, of both = 2 * 0.25 / 1.5 = 1/3: each gets 1/6
    assert lmg(R, r).tolist() == pytest.approx([1 / 6, 1 / 6])


def test_sparse_and_dense_agree():
    rng = np.random.default_rng(3)
    X = (rng.random((400, 6)) < 0.2).astype(float)
    y = X @ [2, 1, 0, 0, 0.5, 0] + rng.normal(size=400)
    dense = relative_importance(X, y)
    assert relative_importance(sparse.csr_array(X), y).tolist() == pytest.approx(
        dense.tolist()
    )


def test_weights_equal_to_repeated_rows():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 3))
    y = X @ [1, 2, 0] + rng.normal(size=50)
    w = rng.integers(1, 4, size=50)
    repeated = relative_importance(np.repeat(X, w, axis=0), np.repeat(y, w))
    assert relative_importance(X, y, weights=w).tolist() == pytest.approx(
        repeated.tolist()
    )


def test_duplicate_predictors_share_without_error():
    rng = np.random.default_rng(5)
    x = rng.normal(size=100)
    X = np.column_stack([x, x, rng.normal(size=100)])
    y = x + rng.normal(size=100)
    shares = relative_importance(X, y)
    assert shares[0] == pytest.approx(shares[1])
    assert shares.sum() == pytest.approx(1.0)


def test_constant_predictor_takes_nothing():
    rng = np.random.default_rng(6)
    X = np.column_stack([rng.normal(size=60), np.ones(60)])
    y = X[:, 0] + rng.normal(size=60)
    assert relative_importance(X, y).tolist() == pytest.approx([1.0, 0.0])


def test_group_lmg_with_singleton_groups_is_lmg(swiss):
    X, y = swiss
    R, r = correlations(X, y)
    assert group_lmg(R, r, [0, 1, 2, 3, 4]).tolist() == pytest.approx(
        lmg(R, r).tolist()
    )


def test_group_lmg_gives_each_group_its_shapley_value(swiss):
    X, y = swiss
    R, r = correlations(X, y)
    groups = [0, 0, 1, 1, 2]
    values = group_lmg(R, r, groups)
    assert values.sum() == pytest.approx(float(r @ np.linalg.solve(R, r)))

    def r2(cols):
        return (
            float(r[cols] @ np.linalg.solve(R[np.ix_(cols, cols)], r[cols]))
            if cols
            else 0.0
        )

    # three players: Shapley by hand over the 3! orders
    players = {0: [0, 1], 1: [2, 3], 2: [4]}
    import itertools

    shapley = dict.fromkeys(players, 0.0)
    for order in itertools.permutations(players):
        cols: list[int] = []
        for g in order:
            before = r2(cols)
            cols = cols + players[g]
            shapley[g] += (r2(sorted(cols)) - before) / 6
    assert values[0] + values[1] == pytest.approx(shapley[0])
    assert values[2] + values[3] == pytest.approx(shapley[1])
    assert values[4] == pytest.approx(shapley[2])


def test_lmg_above_the_exact_limit_asks_for_groups():
    rng = np.random.default_rng(7)
    p = MAX_EXACT + 1
    X = rng.normal(size=(200, p))
    y = X.sum(axis=1) + rng.normal(size=200)
    with pytest.raises(FeedbackError, match="group them"):
        relative_importance(X, y)
    shares = relative_importance(X, y, groups=[j % 4 for j in range(p)])
    assert shares.sum() == pytest.approx(1.0)
    assert (shares >= 0).all()


def test_constant_scores_are_a_clear_error():
    with pytest.raises(FeedbackError, match="scores that vary"):
        relative_importance([[1.0], [2.0]], [3.0, 3.0])


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(FeedbackError, match="one of each per record"):
        relative_importance([[1.0], [2.0]], [3.0, 4.0, 5.0])


def test_unnormalised_values_are_r2_parts(swiss):
    X, y = swiss
    parts = relative_importance(X, y, normalize=False)
    assert parts.sum() == pytest.approx(0.7067, abs=1e-4)


def test_exactly_singular_predictors_fall_back_to_least_squares():
    R = np.array([[1.0, 1.0], [1.0, 1.0]])
    r = np.array([0.5, 0.5])
    assert lmg(R, r).tolist() == pytest.approx([0.125, 0.125])
    assert group_lmg(R, r, [0, 0]).tolist() == pytest.approx([0.125, 0.125])


def test_no_predictors():
    assert lmg(np.zeros((0, 0)), np.zeros(0)).tolist() == []


def test_too_many_groups():
    p = MAX_EXACT + 1
    with pytest.raises(FeedbackError, match="groups is too costly"):
        group_lmg(np.eye(p), np.full(p, 0.1), list(range(p)))
