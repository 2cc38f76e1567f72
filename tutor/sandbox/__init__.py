"""Run untrusted torch code in a separate, limited process and get plain data back.

Importing this package does not import torch: only the server process does.
"""

from tutor.sandbox.client import SandboxError, SandboxPool, SandboxServer
from tutor.sandbox.protocol import ErrorInfo, Job, RunResult

__all__ = ["ErrorInfo", "Job", "RunResult", "SandboxError", "SandboxPool", "SandboxServer"]
