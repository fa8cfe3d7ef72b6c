import numpy as np
import pytest

from netcore import BOX, NAMES, make_dataset, train_test_split


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("noise", [0.0, 0.5, 1.0])
def test_datasets_live_in_the_box_with_binary_labels(name, noise):
    d = make_dataset(name, 301, noise, np.random.default_rng(4))
    assert d.X.shape == (2, 301) and d.Y.shape == (1, 301)
    assert np.abs(d.X).max() <= BOX
    assert set(np.unique(d.Y)) == {0.0, 1.0}
    assert min(d.class_counts()) >= 301 // 4   # no dataset is badly unbalanced


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data(name):
    a = make_dataset(name, 100, 0.3, np.random.default_rng(12))
    b = make_dataset(name, 100, 0.3, np.random.default_rng(12))
    c = make_dataset(name, 100, 0.3, np.random.default_rng(13))
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_xor_labels_follow_quadrants_without_noise():
    d = make_dataset("xor", 200, 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(d.Y[0], (d.X[0] * d.X[1] > 0).astype(float))


def test_split_is_deterministic_and_disjoint():
    d = make_dataset("moons", 100, 0.1, np.random.default_rng(0))
    tr, te = train_test_split(d, 0.25, seed=5)
    tr2, te2 = train_test_split(d, 0.25, seed=5)
    assert (tr.m, te.m) == (75, 25)
    np.testing.assert_array_equal(te.X, te2.X)
    both = np.hstack([tr.X, te.X])
    assert len({tuple(c) for c in both.T}) == 100
    assert train_test_split(d, 0.0, seed=5)[1].m == 0


def test_bad_arguments_raise_value_error():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown dataset"):
        make_dataset("nope", 10, 0, rng)
    with pytest.raises(ValueError):
        make_dataset("xor", 10, 2.0, rng)
