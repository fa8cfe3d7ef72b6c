"""netcore: the seed's two-layer network, its output pairings, data and runs. NumPy only."""

from netcore.activations import HIDDEN, SEED_HIDDEN, Activation, sigmoid
from netcore.datasets import BOX, NAMES, Dataset, grid, make_dataset, train_test_split
from netcore.gradcheck import gradient_check, numerical_grads
from netcore.network import Cache, Grads, Params, apply_update, backward, forward, init_params, predict, train_step
from netcore.pairings import CANONICAL, CE_SIGMOID, MISMATCHED, MSE_LINEAR, MSE_SIGMOID, PAIRINGS, Pairing
from netcore.runs import COLUMNS, HISTORY_CAP, SNAPSHOT_CAP, Divergence, History, Run, Twins

__all__ = [
    "BOX", "CANONICAL", "CE_SIGMOID", "COLUMNS", "HIDDEN", "HISTORY_CAP", "MISMATCHED", "MSE_LINEAR", "MSE_SIGMOID",
    "NAMES", "PAIRINGS", "SEED_HIDDEN", "SNAPSHOT_CAP",
    "Activation", "Cache", "Dataset", "Divergence", "Grads", "History", "Pairing", "Params", "Run", "Twins",
    "apply_update", "backward", "forward", "gradient_check", "grid", "init_params", "make_dataset",
    "numerical_grads", "predict", "sigmoid", "train_step", "train_test_split",
]
