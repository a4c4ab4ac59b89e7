"""Built-in datasets, splits and mini-batches."""
import numpy as np
import pytest

from nn import data


@pytest.mark.parametrize("make,classes", [(data.make_moons, 2), (data.make_circles, 2), (data.make_blobs, 3),
                                          (data.make_spirals, 2), (data.make_xor, 2)])
def test_classification_sets(make, classes):
    X, y = make(n=60, seed=3) if make is not data.make_xor else make(n=60, noise=0.1, seed=3)
    assert X.shape == (60, 2) and X.dtype == np.float64 and y.shape == (60,)
    assert set(y.tolist()) == set(range(classes))
    X2, y2 = make(n=60, seed=3) if make is not data.make_xor else make(n=60, noise=0.1, seed=3)
    assert (X == X2).all() and (y == y2).all()
    X3, _ = make(n=60, seed=4) if make is not data.make_xor else make(n=60, noise=0.1, seed=4)
    assert not (X == X3).all()


def test_shapes_of_the_classics():
    X, y = data.make_xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]
    X, y = data.make_moons(200, noise=0.0)
    assert np.allclose(np.linalg.norm(X[y == 0], axis=1), 1.0)          # upper half circle
    assert np.allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0)
    X, y = data.make_circles(100, noise=0.0, factor=0.3)
    assert np.allclose(np.linalg.norm(X, axis=1), np.where(y == 0, 1.0, 0.3))
    X, y = data.make_curve(50, noise=0.0)
    assert X.shape == (50, 1) and np.allclose(y, np.sin(2 * np.pi * X[:, 0]))
    assert data.to_pm1([0, 1, 1]).tolist() == [-1, 1, 1]
    with pytest.raises(ValueError):
        data.to_pm1([0, 2])
    with pytest.raises(ValueError, match="positive whole number"):
        data.make_moons(0)


def test_split_partitions_the_data():
    X = np.arange(100.0).reshape(50, 2)
    y = list(range(50))
    split = data.train_val_test_split(X, y, val=0.2, test=0.1, seed=1)
    (Xtr, ytr), (Xv, yv), (Xte, yte) = split
    assert (len(ytr), len(yv), len(yte)) == (35, 10, 5)
    assert sorted(np.concatenate([ytr, yv, yte]).tolist()) == y
    assert (split.train[0][:, 0] == 2 * split.train[1]).all()  # rows stay with their labels
    with pytest.raises(ValueError, match="val \\+ test < 1"):
        data.train_val_test_split(X, y, val=0.6, test=0.5)


@pytest.mark.parametrize("batch_size,steps", [(1, 10), (3, 4), (None, 1), (10, 1), (50, 1)])
def test_batches_cover_each_epoch_once(batch_size, steps):
    X, y = np.arange(10.0).reshape(10, 1), np.arange(10)
    loader = data.DataLoader(X, y, batch_size=batch_size, shuffle=True, seed=0)
    assert len(loader) == steps
    epochs = [[yb.tolist() for _, yb in loader] for _ in range(3)]
    for ep in epochs:
        assert len(ep) == steps and sorted(sum(ep, [])) == list(range(10))
    if batch_size != 10 and batch_size is not None and batch_size < 10:
        assert epochs[0] != epochs[1]  # reshuffled every epoch
    assert [yb.tolist() for _, yb in data.batches(X, y, 4, shuffle=False)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(X, y, batch_size=0)
