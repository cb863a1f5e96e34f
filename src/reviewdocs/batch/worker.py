"""One record through the pipeline, in a worker process (or in the parent with
``--jobs 1``): read, validate, decide, claim the id, plan the files, produce what is
not already produced (see :mod:`reviewdocs.batch.resume`), and answer with the
record's report row and the register entries of the files it wrote."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewdocs.batch.claims import Answer, Claim, DuplicateId
from reviewdocs.batch.records import raw_id, read_record
from reviewdocs.batch.report import ReportRow
from reviewdocs.batch.resume import Folder, Planned, unfinished
from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import output_name, safe_id
from reviewdocs.intake.sources import Record, validate_record

if TYPE_CHECKING:
    from reviewdocs.disclosure.register import EntryRow, Register


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, picklable for a spawned process."""

    out_dir: Path
    register_path: Path
    documents: tuple[str, ...] | None
    fmt: str | None
    variant: str | None
    font_size: int | None
    produced: date | None
    dry_run: bool


def duplicate_id(review_id: str, first: str) -> str:
    return (
        f"review.id: {review_id} is also the id of {first}; each record needs its own id "
        "(the same id would write over the other record's letters). Nothing was produced "
        "for this record."
    )


@dataclass
class Worker:
    """The per-process side of a batch: the register connection and, through the
    documents module, this process's compiled templates and PDF converter."""

    job: Job
    claim: Claim
    _register: Register | None = field(default=None, init=False)
    _template_sha256: dict[tuple[str, str], str] = field(default_factory=dict, init=False)
    _written: list[EntryRow] = field(default_factory=list, init=False)

    def register(self) -> Register:
        """The register, read here (what earlier runs produced, who owns a folder);
        the parent adds this worker's files to it (see ``Journal``)."""
        if self._register is None:
            from reviewdocs.disclosure.register import Register

            self._register = Register(self.job.register_path, synchronous="NORMAL")
        return self._register

    def close(self) -> None:
        if self._register is not None:
            self._register.close()

    def process(self, record: Record) -> ReportRow:
        """The record's row, with the register entries of every file it wrote (a
        failure part-way still hands over the files finished before it)."""
        self._written = []
        row = self._process(record)
        return dataclasses.replace(row, entries=tuple(self._written)) if self._written else row

    def _process(self, record: Record) -> ReportRow:
        review_id = record.review_id
        try:
            raw, input_sha256 = read_record(record)
            review_id = raw_id(raw)
            return self._validated(record, raw, input_sha256)
        except InputError as err:
            error = "; ".join(err.messages())
        except ReviewdocsError as err:
            error = _one_line(err.message)
        except Exception as err:  # a bug of ours must cost one record, not the batch
            error = f"internal error: {type(err).__name__}: {_one_line(str(err))}"
        return ReportRow(review_id, record.source, "failed", error=error, notes=record.notes)

    def _validated(self, record: Record, raw: dict[str, Any], input_sha256: str) -> ReportRow:
        from reviewdocs.decision.rules import decide, planned_warnings, warnings_for
        from reviewdocs.disclosure.production import is_planned, production_date

        review = validate_record(record, raw)
        review_id = review["review"]["id"]
        decision = None if is_planned(review) else decide(review)
        # What render prints, in the report's notes: the decision's warnings and the
        # timely-recording check for the date these documents carry.
        if decision is None:
            warnings = planned_warnings(review)
        else:
            warnings = warnings_for(review, decision, production_date(review, self.job.produced))
        notes = record.notes + tuple(warnings)
        plan = self._plan(review, decision)
        documents = tuple(item.relpath for item in plan)
        if self.job.dry_run:
            # Everything the real run does short of writing: a template that cannot be
            # filled from this record fails here, not in the real run.
            self._rehearse(review, decision, plan)
        # Ids are compared as folder names (A/1 and A_1 share one): two records in one
        # folder would write over each other's letters.
        answer = self.claim(safe_id(review_id), record.source)
        missing: list[Planned] = []
        folder = Folder()
        try:
            if not self.job.dry_run:
                # Only reads (the folder, the register, the files' hashes) before the
                # answer is heard.
                folder = Folder.read(self.job.out_dir / safe_id(review_id))
                missing = self._missing(review_id, plan, input_sha256, folder)
                if missing:
                    self._produce(review, decision, plan, missing, input_sha256, answer, folder)
            first = answer()
        except DuplicateId as dup:
            first = dup.first
        except Exception:
            # A repeated id is said first, as when the claim came before rendering.
            first = answer()
            if first is None:
                raise
        finally:
            answer()  # heard whatever happened: the next record's answer follows it
        if first is not None:
            error = duplicate_id(review_id, first)
            return ReportRow(review_id, record.source, "failed", error=error, notes=notes)
        if self.job.dry_run:
            return ReportRow(review_id, record.source, "valid", documents, notes=notes)
        if not missing:
            folder.remove_leftovers()
            return ReportRow(review_id, record.source, "skipped", documents, notes=notes)
        return ReportRow(review_id, record.source, "produced", documents, notes=notes)

    def _rehearse(
        self, review: Mapping[str, Any], decision: Mapping[str, Any] | None, plan: list[Planned]
    ) -> None:
        """Render each planned document in memory, as ``produce`` would (the same date,
        variant and font size), and let the bytes go. A PDF is not converted: that is
        LibreOffice's work on a finished document, not this record's content."""
        from reviewdocs.disclosure.production import production_date
        from reviewdocs.documents import render_document

        on = production_date(review, self.job.produced)
        for document, variant in dict.fromkeys((item.document, item.variant) for item in plan):
            render_document(
                review,
                decision,
                document,
                variant=variant,
                produced=on,
                font_size=self.job.font_size,
            )

    def _plan(self, review: Mapping[str, Any], decision: Mapping[str, Any] | None) -> list[Planned]:
        """The files the record calls for, as ``produce`` will name them."""
        from reviewdocs.disclosure.production import check_documents, documents_for
        from reviewdocs.documents import compiled
        from reviewdocs.documents.accessible import plan_outputs

        job = self.job
        docs = list(job.documents) if job.documents else documents_for(review, decision)
        check_documents(review, docs)
        plan = []
        for document in docs:
            for var, ext in plan_outputs(review, document, variant=job.variant, fmt=job.fmt):
                relpath = output_name(review["review"]["id"], document, ext, variant=var)
                sha = self._template_sha256.get((document, var))
                if sha is None:
                    sha = compiled(document, var, job.font_size).sha256
                    self._template_sha256[document, var] = sha
                plan.append(Planned(document, var, ext, relpath, sha))
        return plan

    def _missing(
        self, review_id: str, plan: list[Planned], input_sha256: str, folder: Folder
    ) -> list[Planned]:
        """The planned files not already produced from this input and template, intact."""
        return unfinished(
            plan,
            input_sha256,
            folder,
            out_dir=self.job.out_dir,
            produced=self.job.produced,
            entries=lambda: self.register().entries(review_id),
        )

    def _produce(
        self,
        review: Mapping[str, Any],
        decision: Mapping[str, Any] | None,
        plan: list[Planned],
        missing: list[Planned],
        input_sha256: str,
        answer: Answer,
        folder: Folder,
    ) -> None:
        from reviewdocs.disclosure.production import produce
        from reviewdocs.disclosure.register import Deferred

        job = self.job
        leftovers = [True]
        register = Deferred(self.register())
        self._written = register.rows

        def before_write() -> None:
            # Nothing is written, and no leftover removed, until this record holds its id.
            first = answer()
            if first is not None:
                raise DuplicateId(first)
            if leftovers:
                folder.remove_leftovers()
                leftovers.clear()

        common: dict[str, Any] = {
            "decision": decision,
            "produced": job.produced,
            "font_size": job.font_size,
            "register": register,
            "input_sha256": input_sha256,
            # Each file is renamed into place whole; run_batch syncs them all at the end.
            "durable": False,
            "before_write": before_write,
        }
        if len(missing) == len(plan):
            produce(
                review,
                job.out_dir,
                documents=job.documents,
                fmt=job.fmt,
                variant=job.variant,
                **common,
            )
            return
        # Only what an interrupted run left undone: a finished file is not made twice.
        for item in missing:
            produce(
                review,
                job.out_dir,
                documents=[item.document],
                fmt=item.fmt,
                variant=item.variant,
                **common,
            )


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())
