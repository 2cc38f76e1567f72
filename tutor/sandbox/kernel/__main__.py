"""``python -m tutor.sandbox.kernel [--paths]``: what this kernel offers a sandboxed child
(the lines a ``tutor doctor`` command shows), and with ``--paths`` what a child may read."""

from __future__ import annotations

import sys

from tutor.sandbox.kernel import readable_paths, support


def main(argv: list[str]) -> int:
    for line in support().describe():
        print(line)
    if "--paths" in argv:
        print("readable by a sandboxed child (no secrets given):")
        for path in readable_paths([]):
            print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
