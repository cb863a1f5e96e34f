"""Claims of ids: two records with one id in a batch would write over each other's
letters, so each id is claimed once, and the first record in the source that claims it
is the one produced (``Claims`` in one process, ``OrderedClaims`` across workers)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from multiprocessing.connection import Connection


class Answer:
    """A claim's answer, heard once when first needed (the asking is done already)."""

    def __init__(self, hear: Callable[[], str | None]) -> None:
        self._hear: Callable[[], str | None] | None = hear
        self._first: str | None = None

    def __call__(self) -> str | None:
        if self._hear is not None:
            self._first = self._hear()
            self._hear = None
        return self._first


Claim = Callable[[str, str], Answer]
"""``claim(key, source)`` asks at once; its answer is None when ``source`` is the first
record with that id in this batch, else the first record's source. A worker renders
while the parent answers, and hears the answer before it writes anything."""


class DuplicateId(Exception):
    def __init__(self, first: str) -> None:
        super().__init__(first)
        self.first = first


class Claims:
    """The ids seen so far in this batch (kept by the parent: one place decides)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def __call__(self, key: str, source: str) -> str | None:
        first = self._first.setdefault(key, source)
        return None if first == source else first

    def release(self, key: str, source: str) -> None:
        """``source`` gives ``key`` back (it was held for it, and it never claimed it)."""
        if self._first.get(key) == source:
            del self._first[key]

    def at_once(self, key: str, source: str) -> Answer:
        first = self(key, source)
        return Answer(lambda: first)


class OrderedClaims:
    """Claims answered as in source order, so that of two records with one id the first
    in the source that claims it is produced, whichever worker gets there first (as with
    one worker).

    A claim for an id waits only for the earlier records still open (neither claimed
    nor finished) that could claim the same id: those whose id hint is that id, or
    unknown. Most records are answered when they are sent, because no earlier open
    record can take their id; the id is then held for the record until its row says
    whether it claimed it (a record that failed before claiming gives it back). Each
    worker takes its records in source order, so the earliest open record is always
    in hand or answerable, and no worker waits for ever.
    """

    def __init__(self) -> None:
        self._claims = Claims()
        self._open: dict[int, str | None] = {}  # seq -> the id it may claim (None: unknown)
        self._held: dict[int, tuple[str, str]] = {}  # seq -> (id, source) held for it
        self._waiting: dict[int, tuple[Connection, str, str]] = {}

    def sent(self, seq: int, hint: str | None, source: str) -> tuple[str, str | None] | None:
        """The record is open: its claim's answer now, when no earlier record can change it."""
        self._open[seq] = hint
        if hint is None or self._blocked(seq, hint):
            return None
        first = self._claims(hint, source)
        if first is None:
            self._held[seq] = (hint, source)
        return hint, first

    def asked(self, seq: int, conn: Connection, key: str, source: str) -> None:
        """A claim the record was not given with it, answered on ``conn`` in turn."""
        held = self._held.get(seq)
        if held is not None and held[0] != key:
            # The id read for it was not the one it validated with (its file changed
            # in between): that id was never its own, and nothing was written under it.
            del self._held[seq]
            self._claims.release(*held)
        self._waiting[seq] = (conn, key, source)
        self._open[seq] = key
        self._answer()

    def finished(self, seq: int, *, claimed: bool) -> None:
        """The record's row arrived; an id held for a record that never claimed it is freed."""
        held = self._held.pop(seq, None)
        if held is not None and not claimed:
            self._claims.release(*held)
        self.lost(seq)

    def lost(self, seq: int) -> None:
        """The record is done, or was lost with its worker (an id held for it stays held:
        it may have written files under that id before the worker stopped)."""
        self._held.pop(seq, None)
        self._open.pop(seq, None)
        self._waiting.pop(seq, None)
        self._answer()

    def _blocked(self, seq: int, key: str) -> bool:
        return any(m < seq and (k is None or k == key) for m, k in self._open.items())

    def _answer(self) -> None:
        answered = True
        while answered:
            answered = False
            for seq in sorted(self._waiting):
                conn, key, source = self._waiting[seq]
                if self._blocked(seq, key):
                    continue
                del self._waiting[seq]
                self._open.pop(seq, None)
                # A record sent again after its worker died may ask again: same answer.
                with contextlib.suppress(OSError):
                    conn.send(self._claims(key, source))
                answered = True
