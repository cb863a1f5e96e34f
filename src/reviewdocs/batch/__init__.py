"""Stage 5, batch: many records through the same pipeline, resumable, with a report.

- ``run``: ``run_batch`` (the whole batch), ``terminal_progress``, ``BatchResult``
- ``records``: one record read (raw review and input hash), the id it will claim
- ``claims``: each id claimed once, by the first record in the source
- ``worker``: one record validated, decided, planned and produced
- ``resume``: which planned files are already produced, intact
- ``pool``: the worker processes, fed in order, a crashed one replaced
- ``report``: the journal and ``batch-report.csv``
- ``progress``: the progress bar on a terminal
"""

from reviewdocs.batch.report import BatchResult
from reviewdocs.batch.run import run_batch, terminal_progress

__all__ = ["BatchResult", "run_batch", "terminal_progress"]
