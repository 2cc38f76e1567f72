"""tutor: a terminal game that teaches PyTorch autograd by doing."""

__version__ = "0.1.0"
