"""Stage 5, batch: many records through the same pipeline, resumable, with a report.

- ``run``: ``run_batch``, ``terminal_progress``, ``BatchResult``
"""

from reviewdocs.batch.run import BatchResult, run_batch, terminal_progress

__all__ = ["BatchResult", "run_batch", "terminal_progress"]
