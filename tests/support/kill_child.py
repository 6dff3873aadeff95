"""Run the real ``toolkit`` command and SIGKILL it between a temp write and its rename.

    python tests/support/kill_child.py SUFFIX [N [pause]] -- publish --root SHOW ...

The N-th time (default 1) the atomic writer of :mod:`toolkit.fsutil` is about to
rename a fully written temporary file onto a target whose path ends with
``SUFFIX``, the process kills itself with SIGKILL -- the one moment in which an
atomic write leaves something behind (the temporary file).  With ``pause`` it
prints ``paused`` instead and waits for a line on its standard input, then
goes on (a real run held in the middle, e.g. to start a second one beside it).
Nothing else is changed: the command, the engines and the files are the real ones.
"""

from __future__ import annotations

import os
import signal
import sys


def main(argv: list[str]) -> None:
    sep = argv.index("--")
    suffix, nth = argv[0], int(argv[1]) if sep > 1 else 1
    pause = sep > 2 and argv[2] == "pause"
    import toolkit.fsutil as fsutil

    real_replace = os.replace
    seen = {"n": 0}

    def replace(src: str, dst: str, *args: object, **kwargs: object) -> None:
        if str(dst).endswith(suffix) and str(src).endswith(".tmp"):
            seen["n"] += 1
            if seen["n"] == nth and pause:
                print("paused", flush=True)
                sys.stdin.readline()
            elif seen["n"] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    fsutil.os.replace = replace  # type: ignore[assignment]  # os.replace, for this process
    from toolkit.cli import main as toolkit_main

    sys.argv = ["toolkit", *argv[sep + 1:]]
    toolkit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
