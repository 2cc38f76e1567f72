"""tutor: a terminal game that teaches PyTorch autograd by doing.

Published on the package index as ``autograd-tutor`` (``tutor`` there is another project);
the import package and the command are ``tutor``.
"""

DISTRIBUTION = "autograd-tutor"
__version__ = "0.1.0"
