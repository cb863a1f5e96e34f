"""Progress on a terminal: a bar on stderr when it is one, else nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from reviewdocs.batch.report import ReportRow

ProgressCallback = Callable[[ReportRow], None]
ProgressFactory = Callable[[int | None], ProgressCallback]
"""Called once with the number of records (None when unknown); the callback it returns
is called once per finished record, and its ``close()`` (when it has one) at the end."""


class _Bar:
    def __init__(self, total: int | None) -> None:
        from tqdm import tqdm

        # No monitor thread: the workers are forked only from a process without threads.
        tqdm.monitor_interval = 0
        # A terminal that reports no size (some CI and `script` sessions) gets 80x24:
        # tqdm draws nothing at all in a terminal of width or height 0.
        try:
            size = os.get_terminal_size(sys.stderr.fileno())
        except OSError:
            size = os.terminal_size((0, 0))
        self._bar = tqdm(
            total=total,
            unit="record",
            file=sys.stderr,
            dynamic_ncols=size.columns > 0 and size.lines > 0,
            ncols=size.columns or 80,
            nrows=size.lines or 24,
        )
        self._failed = 0

    def __call__(self, row: ReportRow) -> None:
        if row.status == "failed":
            self._failed += 1
            self._bar.set_postfix(failed=self._failed, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _quiet(_row: ReportRow) -> None:
    """No progress output when stderr is not a terminal (logs, pipes, cron)."""


def terminal_progress(total: int | None) -> ProgressCallback:
    """A progress bar (done, rate, time left) on stderr when it is a terminal; else silent."""
    if sys.stderr.isatty():
        return _Bar(total)
    return _quiet
