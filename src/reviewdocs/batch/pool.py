"""The worker pool: worker processes fed a few records each, their claims answered in
source order, their rows handed back in source order, and a crashed worker's record
reported as that record's failure (see ``_Pool``)."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import selectors
import signal
import sys
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Final

from reviewdocs.batch.claims import Answer, OrderedClaims
from reviewdocs.batch.records import id_hint
from reviewdocs.batch.report import ReportRow
from reviewdocs.batch.worker import Job, Worker
from reviewdocs.errors import ReviewdocsError
from reviewdocs.intake.sources import Record

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

_GROUP: Final = 8
"""Records sent to a worker in one message, and their rows sent back in one: each
message wakes the process it goes to, and eight records a message cost 10-15% less CPU
per letter than one (docs/batch.md, "The pool")."""

_IN_FLIGHT_PER_WORKER: Final = 4 * _GROUP
"""Records sent ahead to each worker: a group in hand and three waiting, so that a
worker never waits for the parent, even when a busy machine leaves the parent
unscheduled for a while (two groups ran a third slower there: docs/batch.md), and few
enough that memory stays flat however long the source is."""


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_main(
    conn: Connection,
    claims: Connection,
    job: Job,
    in_hand: ctypes.c_longlong,
    inherited: Sequence[Connection] = (),
) -> None:
    """A worker process: groups of records in, their report rows out, until told to
    stop or orphaned.

    Claims and rows go to the parent on ``conn``, in the order they happen: the rows
    of a group together once it is done, or, when a record must ask for its claim,
    the rows finished so far first (the parent may be holding the claim until those
    records are done). A claim's answer comes back on a pipe of its own, so it never
    meets a record sent ahead. A record can arrive with its claim already answered
    (see ``OrderedClaims``): it then asks nothing, and its row says whether it
    claimed its id. ``in_hand`` tells the parent which record this worker is on,
    should it die with rows not yet sent.
    """

    current = 0
    told: tuple[str, str | None] | None = None
    claimed = False
    rows: list[tuple[int, ReportRow, bool]] = []

    def claim(key: str, source: str) -> Answer:
        nonlocal claimed
        claimed = True
        if told is not None and told[0] == key:
            first = told[1]
            return Answer(lambda: first)
        if rows:  # the group's rows so far (one list, emptied once sent)
            _put(conn, ("rows", rows))
            rows.clear()
        _put(conn, ("claim", current, key, source))
        return Answer(claims.recv)

    for end in inherited:  # a forked worker's copies of the parent's pipe ends
        end.close()
    # Ctrl-C reaches the whole process group: the parent decides, and stops the
    # workers after the record in hand, so no worker dies with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = Worker(job, claim)
    try:
        while True:
            # The parent gone shows as an end of file, or, on the socket pair a pipe is,
            # as a reset or broken pipe: any of them stops the worker quietly (a
            # traceback would land on the terminal the batch was started from).
            try:
                message = _get(conn)
            except (EOFError, OSError):  # the parent died: stop after the record in hand
                return
            if message is None:
                return
            for item in message:
                current, record, told = item  # ``claim`` reads current and told
                in_hand.value = current
                claimed = False
                row = worker.process(record)  # may send the rows so far, with a claim
                rows.append((current, row, claimed))
            try:
                _put(conn, ("rows", rows))
            except OSError:  # the parent died while the group was in hand
                return
            rows.clear()
    finally:
        worker.close()


@dataclass(eq=False)  # one per worker process, compared (and hashed) by identity
class _Handle:
    process: BaseProcess
    conn: Connection
    claims: Connection
    in_hand: ctypes.c_longlong  # the record the worker is on (shared memory)
    in_flight: deque[tuple[int, Record]] = field(default_factory=deque)


class _Pool:
    """Worker processes fed groups of records, with a crashed worker's record reported
    as that record's failure and the worker replaced.

    ``multiprocessing.Pool`` cannot do this: a task whose worker dies is lost and the
    batch would wait for it for ever. ``concurrent.futures.ProcessPoolExecutor``
    fails every task in flight and stops its other workers when one dies, leaves its
    forked workers running when the batch process is killed, and has no way for a
    task to ask the parent for its id claim. Measured against ours (docs/batch.md,
    "The pool"), it costs the same CPU per letter and was faster in wall time on a
    busy machine; moving to it means rebuilding those three first.

    On Linux, in a process with no other thread, workers are forked from this one once
    it has imported what a worker needs and compiled the batch's templates: a worker
    is then ready at once, where a spawned one spends about half a second importing
    and compiling before its first record (a sixth of a 2,000-letter batch). Forking
    needs care, taken here: the register is opened by the parent only after the first
    workers exist and is never used by a child (``Register`` reconnects after a fork),
    LibreOffice is never inherited (``pdf`` forgets it after a fork), each child
    closes the parent's ends of every pipe it inherited, so a worker still sees the
    parent go, and output buffers are flushed before forking so no line is printed
    twice. Anywhere else (another system, or threads that a fork could catch holding a
    lock) workers are spawned.
    """

    def __init__(self, job: Job, size: int) -> None:
        self.job = job
        method = start_method()
        if method == "fork":
            _prepare_for_workers(job)
        self.context = (
            multiprocessing.get_context("fork")
            if method == "fork"
            else multiprocessing.get_context("spawn")
        )
        self.claims = OrderedClaims()
        # One selector for the whole batch: multiprocessing's wait() builds and fills a
        # new one on every call, which cost the parent more than the rest of a record.
        self._selector = selectors.DefaultSelector()
        self.handles: list[_Handle] = []
        for _ in range(size):
            self.handles.append(self._start())
        self._deaths_in_a_row = 0

    def _start(self) -> _Handle:
        parent, child = self.context.Pipe()
        claims, child_claims = self.context.Pipe()
        # What a forked child must close: the parent's ends of its own pipes and of
        # every other worker's (a spawned child inherits none of them).
        inherited = [parent, claims] + [c for h in self.handles for c in (h.conn, h.claims)]
        forked = self.context.get_start_method() == "fork"
        if forked:
            sys.stdout.flush()
            sys.stderr.flush()
        # Written by the worker alone, read by the parent only once the worker is dead.
        in_hand = self.context.Value("q", -1, lock=False)
        process = self.context.Process(
            target=_worker_main,
            args=(child, child_claims, self.job, in_hand, inherited if forked else []),
            daemon=True,
        )
        process.start()
        child.close()
        child_claims.close()
        handle = _Handle(process, parent, claims, in_hand)
        self._selector.register(parent, selectors.EVENT_READ, handle)
        self._selector.register(process.sentinel, selectors.EVENT_READ, handle)
        return handle

    def send(self, handle: _Handle, group: Sequence[tuple[int, Record, str | None]]) -> None:
        """Records, each with its id hint (``id_hint``), to one worker in one message."""
        message = []
        for seq, record, hint in group:
            handle.in_flight.append((seq, record))
            message.append((seq, record, self.claims.sent(seq, hint, record.source)))
        # A worker that has died cannot take it: receive() sees that and replaces it.
        with contextlib.suppress(OSError):
            _put(handle.conn, message)

    def receive(self) -> Iterator[tuple[int, ReportRow]]:
        """Results from whichever workers have some (waiting until one does)."""
        events = self._selector.select()
        ready = {key.data for key, _ in events}
        stopped = {key.data for key, _ in events if key.fileobj == key.data.process.sentinel}
        for handle in [h for h in self.handles if h in ready]:
            # A stopped worker's pipe holds all it sent: read in full before its records
            # are counted lost.
            alive = handle not in stopped
            try:
                for message in _messages(handle.conn, drain=not alive):
                    if message[0] == "claim":
                        _, seq, key, source = message
                        self.claims.asked(seq, handle.claims, key, source)
                        continue
                    for seq, row, claimed in message[1]:
                        if not handle.in_flight:  # never: each row answers a record sent
                            break
                        handle.in_flight.popleft()
                        self._deaths_in_a_row = 0
                        self.claims.finished(seq, claimed=claimed)
                        yield seq, row
            except (EOFError, OSError):
                pass
            if not alive:
                yield from self._replace(handle)

    def _replace(self, dead: _Handle) -> Iterator[tuple[int, ReportRow]]:
        self._selector.unregister(dead.conn)
        self._selector.unregister(dead.process.sentinel)
        dead.process.join()
        dead.conn.close()
        dead.claims.close()
        code = dead.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        self._deaths_in_a_row += 1
        if self._deaths_in_a_row > 2 * len(self.handles):
            # Workers that die before finishing anything would otherwise fail the
            # whole source one record at a time, each after a fresh start.
            raise ReviewdocsError(
                f"Batch worker processes keep stopping ({how}) before finishing any record; "
                "run with --jobs 1 to see the problem."
            )
        replacement = self._start()
        self.handles[self.handles.index(dead)] = replacement
        # The record it was on, from the shared value: those before it in flight were
        # finished but their rows died with the worker (their files are not in the
        # register, so they are produced again); those after it never started. A
        # worker that died between groups is counted as dying on the next record.
        lost = next((item for item in dead.in_flight if item[0] >= dead.in_hand.value), None)
        if lost is not None:
            dead.in_flight.remove(lost)
            seq, record = lost
            self.claims.lost(seq)
            yield (
                seq,
                ReportRow(
                    "",
                    record.source,
                    "failed",
                    error=f"The worker process stopped while producing this record ({how}); "
                    "files it finished are complete, and running the batch again retries it.",
                ),
            )
        for start in range(0, len(dead.in_flight), _GROUP):
            group = list(dead.in_flight)[start : start + _GROUP]
            self.send(replacement, [(seq, record, id_hint(record)) for seq, record in group])

    def close(self) -> None:
        for handle in self.handles:
            with contextlib.suppress(OSError):
                _put(handle.conn, None)
            # A worker interrupted while waiting for a claim gets EOF, not a wait.
            handle.claims.close()
        for handle in self.handles:
            handle.process.join(timeout=30)
            if handle.process.is_alive():
                handle.process.kill()
                handle.process.join()
            handle.conn.close()
        self._selector.close()


def start_method() -> str:
    """``fork`` on Linux when this process runs no other thread, else ``spawn``
    (``REVIEWDOCS_BATCH_START=spawn`` forces spawning, to compare or to rule it out).

    Threads are counted by the kernel, not by ``threading``: a thread started by a C
    library or by ``_thread`` is invisible to ``threading.active_count()`` yet can hold a
    lock that a forked child would then wait on for ever (Python 3.12 warns of it)."""
    chosen = os.environ.get("REVIEWDOCS_BATCH_START", "")
    if chosen == "spawn" or sys.platform != "linux" or _os_threads() > 1:
        return "spawn"
    return "fork"


def _os_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc: assume the worst
        return 2


def _prepare_for_workers(job: Job) -> None:
    """Import what a worker needs and compile the batch's templates, once, before the
    workers are forked from this process."""
    import reviewdocs.decision.rules
    import reviewdocs.disclosure.production
    import reviewdocs.disclosure.register
    import reviewdocs.documents.accessible
    import reviewdocs.intake.schemas  # noqa: F401  (imported for the workers to inherit)
    from reviewdocs.documents import compiled

    if job.documents and not job.dry_run:
        variants = [job.variant] if job.variant else ["standard"]
        for document in job.documents:
            for variant in variants:
                with contextlib.suppress(ReviewdocsError):  # the record's row says why
                    compiled(document, variant, job.font_size)


def _put(conn: Connection, message: Any) -> None:
    """A message between the parent and a worker: records, rows, claims, plain data.

    Plain ``pickle`` rather than ``Connection.send``, whose pickler (made anew for
    each message, to carry sockets and pipes, which these never hold) cost the parent
    a tenth of its time per record."""
    conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _get(conn: Connection) -> Any:
    return pickle.loads(conn.recv_bytes())


def _messages(conn: Connection, *, drain: bool) -> Iterator[Any]:
    """One message from a pipe that is ready (the next ``select`` returns at once when
    more are queued: each ``poll`` would cost a ``wait`` of its own), or all of them."""
    if not drain:
        yield _get(conn)
        return
    while conn.poll():
        yield _get(conn)


def run_pool(records: Iterator[Record], job: Job, size: int) -> Generator[ReportRow, None, None]:
    """Every record's row, in source order, from ``size`` worker processes."""
    pool = _Pool(job, size)
    try:
        numbered = enumerate(records)
        exhausted = False
        waiting: dict[int, ReportRow] = {}
        next_seq = 0
        held: tuple[int, Record, str | None] | None = None
        while True:
            # A group of records at a time to the least busy worker. A record whose
            # id the parent cannot read (a PDF form) goes alone: its claim waits for
            # every earlier record's that could take the same id, and a worker sent a
            # run of such records would leave the others waiting on it.
            while not exhausted:
                handle = min(pool.handles, key=lambda h: len(h.in_flight))
                if len(handle.in_flight) >= _IN_FLIGHT_PER_WORKER:
                    break
                group: list[tuple[int, Record, str | None]] = []
                while len(group) < _GROUP:
                    if held is not None:
                        entry, held = held, None
                    else:
                        item = next(numbered, None)
                        if item is None:
                            exhausted = True
                            break
                        entry = (*item, id_hint(item[1]))
                    if entry[2] is None and group:
                        held = entry  # goes alone, in the next group
                        break
                    group.append(entry)
                    if entry[2] is None:
                        break
                if group:
                    pool.send(handle, group)
            if exhausted and not any(h.in_flight for h in pool.handles):
                break
            for seq, row in pool.receive():
                waiting[seq] = row
            # Held rows wait only for records still in flight, so this stays small.
            while next_seq in waiting:
                yield waiting.pop(next_seq)
                next_seq += 1
    finally:
        pool.close()
