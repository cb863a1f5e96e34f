"""Envelopes per minute: ``post`` of the outcome letter plus the review record (issue 14).

    python bench/post_bench.py [--records 24] [--jobs N] [--variants standard,large_print,easy_read]

For each variant, N synthetic completed reviews (the spec example, a different person
each time, asking for that format) are posted by ``post_review`` in ``--jobs`` spawned
worker processes, each with its own persistent LibreOffice: render both documents,
convert to PDF, put them in one envelope, register it and check it against Notify's
rules (render at 200 dpi, read the address). Prints envelopes per minute per variant
and the time 10,000 envelopes would take at that rate. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ON = date(2026, 11, 23)
GOAL = 10_000
GOAL_MINUTES = 30.0


def _records(count: int, variant: str) -> list[dict[str, Any]]:
    base = json.loads((ROOT / "tests" / "data" / "example-carer-light-touch.json").read_text())
    base["subject"]["preferred_format"] = variant
    base["review"]["method"] = "face_to_face"  # the letter and the record, nothing more
    base["sharing"]["recipients"] = []
    base.pop("advocate", None)
    out = []
    for n in range(count):
        raw = copy.deepcopy(base)
        raw["review"]["id"] = f"POST-{variant[:2].upper()}-{n:06d}"
        raw["subject"]["reference"] = f"CAR-{n:06d}"
        raw["subject"]["address"] = [f"{n % 200 + 1} Mill Lane", "Exampleton"]
        raw["subject"]["postcode"] = "EX4 2PL"
        out.append(raw)
    return out


def _worker(args: tuple[list[dict[str, Any]], str, str]) -> tuple[int, int, int, float]:
    """Post a share of the records; (envelopes, pages, failing, seconds)."""
    records, out_dir, register_path = args
    from reviewdocs.disclosure.register import Register
    from reviewdocs.intake.schemas import validate_review
    from reviewdocs.post.envelopes import post_review

    envelopes = pages = failing = 0
    start = time.perf_counter()
    with Register(Path(register_path)) as register:
        for raw in records:
            review = validate_review(raw)
            result = post_review(review, Path(out_dir), register=register, produced=ON)
            envelopes += len(result.envelopes)
            pages += sum(e.pages for e in result.envelopes)
            failing += len(result.failed)
    return envelopes, pages, failing, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=24, help="Reviews per variant.")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--variants", default="standard,large_print,easy_read")
    args = parser.parse_args()
    print(
        f"post bench: {args.records} reviews per variant, {args.jobs} worker(s), one "
        f"LibreOffice each, on {os.cpu_count()} core(s)"
    )
    context = multiprocessing.get_context("spawn")
    for variant in args.variants.split(","):
        records = _records(args.records, variant)
        shares = [records[i :: args.jobs] for i in range(args.jobs)]
        with tempfile.TemporaryDirectory(prefix="post-bench-") as tmp:
            register = str(Path(tmp) / "register.sqlite")
            # Start every worker (and its LibreOffice) on a warm-up record first, so the
            # figure is the steady rate a long batch sees.
            with context.Pool(args.jobs) as pool:
                warm = []
                for i in range(args.jobs):
                    record = _records(1, variant)[0]
                    record["review"]["id"] = f"WARM-{i}"
                    warm.append(([record], tmp, register))
                pool.map(_worker, warm)
                start = time.perf_counter()
                results = pool.map(_worker, [(s, tmp, register) for s in shares if s])
                wall = time.perf_counter() - start
        envelopes = sum(r[0] for r in results)
        pages = sum(r[1] for r in results)
        failing = sum(r[2] for r in results)
        per_minute = envelopes / wall * 60
        minutes = GOAL / per_minute if per_minute else float("inf")
        verdict = "PASS" if minutes < GOAL_MINUTES else "FAIL"
        print(
            f"  {variant:12s} {envelopes} envelopes, {pages} pages in {wall:.1f} s: "
            f"{per_minute:.0f} envelopes/min; {GOAL:,} would take {minutes:.0f} min "
            f"({verdict} against {GOAL_MINUTES:.0f} min); {failing} fail Notify's rules"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
