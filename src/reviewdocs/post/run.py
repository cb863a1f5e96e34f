"""``reviewdocs post``: the envelopes of many reviews, each on its own, and the print pack.

One bad input never stops the others: it is named with its problem and the command
ends with exit code 1. Everything written is registered in the output's register.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reviewdocs.errors import ReviewdocsError
from reviewdocs.post.envelopes import PostResult, post_review


@dataclass
class PostOutcome:
    results: list[PostResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pack_lines: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(r.failed for r in self.results)

    def summary(self) -> str:
        lines = [r.summary() for r in self.results]
        lines += self.errors
        lines += self.pack_lines
        envelopes = sum(len(r.envelopes) for r in self.results)
        failing = sum(len(r.failed) for r in self.results)
        lines.append(
            f"{envelopes} envelope(s) for {len(self.results)} review(s); "
            f"{failing} fail Notify's rules; {len(self.errors)} input(s) could not be posted."
        )
        return "\n".join(lines)


def post_inputs(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    register_path: Path | None = None,
    produced: date | None = None,
    font_size: int | None = None,
    pack: bool = False,
    check: bool = True,
) -> PostOutcome:
    from reviewdocs.disclosure.register import Register
    from reviewdocs.files import sha256_file
    from reviewdocs.intake.read import load_review

    outcome = PostOutcome()
    out_dir.mkdir(parents=True, exist_ok=True)
    with Register(register_path or out_dir / "register.sqlite") as register:
        for path in inputs:
            try:
                review = load_review(path)
                result = post_review(
                    review,
                    out_dir,
                    register=register,
                    produced=produced,
                    font_size=font_size,
                    input_sha256=sha256_file(path),
                    check=check,
                )
            except ReviewdocsError as err:
                outcome.errors += [
                    line if line.startswith(str(path)) else f"{path}: {line}"
                    for line in err.lines()
                ]
                continue
            except OSError as err:
                outcome.errors.append(f"{path}: {err.strerror or err}")
                continue
            outcome.results.append(result)
    if pack:
        from reviewdocs.post.pack import write_pack

        envelopes = [e for r in outcome.results for e in r.envelopes if not e.problems]
        held = sum(len(r.failed) for r in outcome.results)
        outcome.pack_lines = write_pack(envelopes, out_dir, left_out=held)
    return outcome
