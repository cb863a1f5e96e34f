"""Commands at once on one review, then a consistency check (issue 12).

    python bench/stress.py [--rounds 5] [--runs 20] [--kill 4] [--keep DIR]

Each round, in a fresh output folder, starts at the same moment ``--runs`` single
commands on one review (sample 10: a joint review with four recipients, one with a
risk concern and a manager's partial decision), mixed: ``amend`` (three different
requests, each asked more than once, one not to be circulated), ``share`` (plain,
and naming the held-back recipient), ``render`` (the issued date, and a later date
that must be refused); and two ``batch`` runs into the same ``--out`` (the review and
four others). Then ``--kill`` new amendments, one at a time, each SIGKILLed at a random
moment of its run; what it left is counted before anything else runs (a half-done
amendment is expected there), then the same command is run again and must finish it.
Then it checks the register against the folder
(``reviewdocs.disclosure.audit``): every registered file on disk with its hash, every
file registered, no half-done amendment, no version made twice, every earlier
recipient holding the latest version or a recorded reason. It prints the count of
inconsistencies per round and over all rounds, and exits 1 if any, or if a command
failed other than as expected.

Documents are DOCX (no LibreOffice), so a round takes a minute on two busy cores;
the lock wait is raised (``REVIEWDOCS_LOCK_TIMEOUT``) so that every command gets its
turn rather than giving up after 10 s, which the unit tests cover.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ID = "CS-2026-1315"
ISSUED = "2026-11-20"
LATER = "2026-11-28"
REFUSED_RENDER = "An issued document is never overwritten"
EARLY_SHARE = "a copy cannot be dated before the version it is a copy of"


def _prepare(folder: Path) -> tuple[Path, Path, list[Path]]:
    """The review, a batch source holding it and four others, and the amendment files."""
    raw = json.loads((ROOT / "samples" / "10-joint-review-health-sharing.json").read_text())
    raw["subject"]["preferred_format"] = "standard"
    source = folder / "in"
    source.mkdir(parents=True)
    review = source / "review.json"
    review.write_text(json.dumps(raw), encoding="utf-8")
    other = json.loads((ROOT / "tests" / "data" / "example-carer-light-touch.json").read_text())
    other["subject"]["preferred_format"] = "standard"
    for n in range(4):
        record = copy.deepcopy(other)
        record["review"]["id"] = f"STRESS-{n}"
        (source / f"other-{n}.json").write_text(json.dumps(record), encoding="utf-8")
    amendments = []
    for name, section, circulate in (
        ("steps", "resolution_steps", True),
        ("views", "difference_of_views", False),
        ("budget", "budget_sufficiency", True),
    ):
        path = folder / f"amend-{name}.json"
        path.write_text(
            json.dumps(
                {
                    "requested_by": "Dorothy Evans",
                    "date": "2026-11-25",
                    "sections": {section: f"Corrected text ({name})."},
                    "reason": "The record is wrong here.",
                    "evidence": "The practitioner's notes.",
                    "decision": "accept",
                    "decision_reason": "The notes confirm it.",
                    "circulate": circulate,
                }
            ),
            encoding="utf-8",
        )
        amendments.append(path)
    return review, source, amendments


def _commands(
    review: Path, source: Path, amendments: list[Path], out: Path, runs: int
) -> list[tuple[str, list[str]]]:
    """(kind, arguments): the single commands in a fixed mix, then the two batches."""
    o = ["--out", str(out)]
    mix: list[tuple[str, list[str]]] = [
        ("share", ["share", str(review), *o, "--date", ISSUED]),
        ("amend", ["amend", str(review), str(amendments[0]), *o, "--date", LATER]),
        ("render", ["render", str(review), *o, "--date", ISSUED]),
        ("amend", ["amend", str(review), str(amendments[1]), *o, "--date", LATER]),
        ("share", ["share", str(review), *o, "--date", LATER]),
        ("render-later", ["render", str(review), *o, "--date", LATER]),
        ("amend", ["amend", str(review), str(amendments[2]), *o, "--date", LATER]),
        ("share-named", ["share", str(review), *o, "--date", LATER, "--recipient", "karen-evans"]),
    ]
    singles = [mix[n % len(mix)] for n in range(runs)]
    batch = ["batch", str(source), *o, "--jobs", "1", "--date", ISSUED]
    return [*singles, ("batch", batch), ("batch", batch)]


def _expected(kind: str, code: int, err: str, out: Path) -> bool:
    """Whether a command that failed was refused as it must be: one whose documents were
    already issued with another date (whichever ran first issued them; finding 7), or a
    share dated before the version it would copy. A batch says why in its report."""
    if code != 1 or "Traceback" in err or "internal error" in err:
        return False
    if kind in ("render", "render-later", "share", "share-named"):
        # A share may be refused likewise (naming a recipient issues their copy again,
        # and it was issued with another date), or because the version it would copy
        # was made after its --date.
        return REFUSED_RENDER in err or (kind.startswith("share") and EARLY_SHARE in err)
    if kind == "batch":
        with (out / "batch-report.csv").open(encoding="utf-8") as fh:
            failed = [row for row in csv.DictReader(fh) if row["status"] == "failed"]
        return bool(failed) and all(REFUSED_RENDER in row["error"] for row in failed)
    return False


def _kill_phase(
    review: Path,
    work: Path,
    out: Path,
    env: dict[str, str],
    kills: int,
    ended: list[tuple[str, Any, str, str]],
) -> tuple[int, int]:
    """``kills`` new amendments, one at a time, each SIGKILLed at a random moment of its
    run (timed against an amend run to the end first), what it left counted before any
    other command, then the same command run again. (inconsistencies left, runs killed
    before they finished)."""
    from reviewdocs.disclosure.audit import inconsistencies
    from reviewdocs.disclosure.register import Register

    def amend(path: Path) -> subprocess.Popen[str]:
        args = ["amend", str(review), str(path), "--out", str(out), "--date", LATER]
        return subprocess.Popen(
            [sys.executable, "-m", "reviewdocs", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    left = cut = 0
    took = None
    for n in range(kills + 1):
        path = work / f"amend-killed-{n}.json"
        raw = json.loads((work / "amend-steps.json").read_text())
        raw["sections"] = {"plan_elements": f"Corrected again ({n})."}
        path.write_text(json.dumps(raw), encoding="utf-8")
        began = time.monotonic()
        proc = amend(path)
        if took is not None:  # the first runs to the end: how long a run takes here
            time.sleep(random.uniform(0.2, took))
            proc.send_signal(signal.SIGKILL)
        out_text, err = proc.communicate()
        if took is None:
            took = time.monotonic() - began
        if proc.returncode == -signal.SIGKILL:
            with Register(out / "register.sqlite") as register:
                found = inconsistencies(out, register)
            cut += 1
            left += len(found)
            again = amend(path)
            ended.append(("amend (again, after a kill)", again, *again.communicate()))
        else:
            ended.append(("amend", proc, out_text, err))
    return left, cut


def _round(number: int, runs: int, kills: int, keep: Path | None) -> tuple[int, int]:
    from reviewdocs.disclosure.audit import inconsistencies
    from reviewdocs.disclosure.register import Register

    work = Path(tempfile.mkdtemp(prefix="reviewdocs-stress-"))
    try:
        review, source, amendments = _prepare(work)
        out = work / "out"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), REVIEWDOCS_LOCK_TIMEOUT="600")
        env.pop("REVIEWDOCS_FAULT", None)
        commands = _commands(review, source, amendments, out, runs)
        began = time.monotonic()
        procs = [
            (
                kind,
                subprocess.Popen(
                    [sys.executable, "-m", "reviewdocs", *args],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for kind, args in commands
        ]
        ended: list[tuple[str, Any, str, str]] = [
            (kind, proc, *proc.communicate()) for kind, proc in procs
        ]
        outcomes: Counter[str] = Counter()
        left, cut = _kill_phase(review, work, out, env, kills, ended)
        outcomes["amend SIGKILLed before it finished"] += cut
        unexpected = []
        for kind, proc, _, err in ended:
            if proc.returncode == 0:
                outcomes["exit 0"] += 1
            elif _expected(kind, proc.returncode, err, out):
                outcomes["refused as the rules require"] += 1
            else:
                unexpected.append(f"{kind} exit {proc.returncode}: {err.strip()[:300]}")
        took = time.monotonic() - began
        with Register(out / "register.sqlite") as register:
            problems = inconsistencies(out, register)
            versions = sorted(a.version or 0 for a in register.amendments(ID))
        done = ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items()))
        print(
            f"round {number}: {len(procs)} runs at once ({runs} single, 2 batch), then {kills} "
            f"amend SIGKILLed at random and each run again, in {took:.1f} s; {done}; "
            f"unexpected failures: {len(unexpected)}; amendment versions made: {versions}; "
            f"inconsistencies left by the kills: {left}; at the end: {len(problems)}"
        )
        for line in unexpected + problems:
            print(f"  {line}")
        if keep is not None:
            target = keep / f"round-{number}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(work, target)
        return len(problems), len(unexpected)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--runs", type=int, default=20, help="single commands per round")
    parser.add_argument("--kill", type=int, default=4, help="amend runs to SIGKILL per round")
    parser.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    parser.add_argument("--keep", type=Path, help="copy each round's folder here")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    random.seed(seed)
    print(f"seed {seed}")
    total_problems = total_unexpected = 0
    for number in range(1, args.rounds + 1):
        problems, unexpected = _round(number, args.runs, args.kill, args.keep)
        total_problems += problems
        total_unexpected += unexpected
    print(
        f"inconsistencies over {args.rounds} round(s): {total_problems}; "
        f"unexpected failures: {total_unexpected}"
    )
    return 1 if total_problems or total_unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
