"""Fault injection for the crash tests and ``bench/stress.py``: never set in normal use.

``REVIEWDOCS_FAULT="<point>[#<n>]=<action>[,...]"`` makes the ``n``-th time (default
the first) this process reaches ``point(name)`` do ``action``:

- ``kill``: SIGKILL this process (a power cut or ``kill -9`` at that step);
- ``enospc``: raise ``OSError(ENOSPC)`` (the disk filled up at that step);
- ``sleep:S``: wait S seconds (to make two processes overlap there).

The points are named where they are called (``amend.recorded``, ``produce.write``, ...).
"""

from __future__ import annotations

import errno
import os
import signal
import time
from typing import Final

ENV: Final = "REVIEWDOCS_FAULT"

_seen: dict[str, int] = {}


def point(name: str) -> None:
    """Do what ``REVIEWDOCS_FAULT`` asks at this step, if anything."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    _seen[name] = count = _seen.get(name, 0) + 1
    for item in spec.split(","):
        where, _, action = item.partition("=")
        target, _, nth = where.strip().partition("#")
        if target != name or count != (int(nth) if nth else 1):
            continue
        action = action.strip()
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "enospc":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        elif action.startswith("sleep:"):
            time.sleep(float(action.split(":", 1)[1]))
