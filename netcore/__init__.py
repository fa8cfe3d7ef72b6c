"""netcore: the seed's two-layer network, its output pairings, data and runs. NumPy only."""

from netcore.activations import HIDDEN, Activation, sigmoid
from netcore.datasets import BOX, NAMES, Dataset, grid, make_dataset, train_test_split
from netcore.gradcheck import gradient_check, numerical_grads
from netcore.network import Cache, Grads, Params, apply_update, backward, forward, init_params, predict, train_step
from netcore.pairings import CANONICAL, PAIRINGS, Pairing
from netcore.runs import COLUMNS, HISTORY_CAP, SNAPSHOT_CAP, Divergence, History, Run, Twins

__all__ = [
    "BOX", "CANONICAL", "COLUMNS", "HIDDEN", "HISTORY_CAP", "NAMES", "PAIRINGS", "SNAPSHOT_CAP",
    "Activation", "Cache", "Dataset", "Divergence", "Grads", "History", "Pairing", "Params", "Run", "Twins",
    "apply_update", "backward", "forward", "gradient_check", "grid", "init_params", "make_dataset",
    "numerical_grads", "predict", "sigmoid", "train_step", "train_test_split",
]
