"""bnlint: find batch-normalization mistakes in deep-learning code by reading it."""

__version__ = "0.1.0"
