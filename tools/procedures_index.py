"""Write docs/procedures.md: the five procedures, their headings, and where the code cites them.

    python tools/procedures_index.py            (rewrite docs/procedures.md)
    python tools/procedures_index.py --check    (exit 1 if it is out of date)

Every rule cites the procedure it comes from by number and heading (or the opening
words of the passage it rests on), e.g. ``003 "Broadly there are 3 possible
outcomes"``. The index lists, for each procedure, what it is about (written here, in
our own words), its headings (or the opening words of its parts), and, read from the
code itself, each heading or phrase the code cites with the modules that cite it.
tests/test_docs.py fails when the page no longer matches the code (a module added,
split or renamed, a citation added): run this script and commit the page.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "procedures.md"
SOURCES = ("src/reviewdocs/**/*.py", "tools/*.py")
HERE = Path(__file__).resolve()


@dataclass(frozen=True)
class Procedure:
    number: str
    title: str
    about: tuple[str, ...]
    headings: tuple[str, ...]


PROCEDURES = (
    Procedure(
        "000",
        "The Light Touch Review Conversation (Carers)",
        (
            "When a carer's review may be light touch (the plan works, nothing has "
            "changed, no change to the plan or the budget is needed) and when it must "
            "become a full review instead.",
            "The few simple questions a light touch conversation asks about the plan, "
            "outcomes, needs, risk and the budget, and what the answers must establish.",
            "A short-term change in need that the current plan already meets, and a "
            "change in need that calls for a proportionate reassessment.",
            "What happens to a review when there is a safeguarding concern (three "
            "options: carry on, pause, or pause with urgent interim support) and when "
            "care may deprive someone of their liberty.",
            "For a carer in work: checking they know about unpaid carer's leave "
            "(Carers Leave Act 2023).",
        ),
        (
            "1. When to use this Procedure",
            "2. Families",
            "3. Reviewing what is Working and Not Working (Light Touch Review)",
            "4. Talking about Individual Wellbeing (Light Touch Review)",
            "5. Reviewing Outcomes (Light Touch Review)",
            "6. Talking about Needs (Light Touch Review)",
            "7. Reviewing Risk (Light Touch Review)",
            "8. Good Information and Advice and Prevention",
            "9. Safeguarding and Deprivation of Liberty",
            "10. Making Notes",
        ),
    ),
    Procedure(
        "001",
        "The Full Review Conversation (Carers)",
        (
            "The fuller conversation held when a light touch review is not enough: what "
            "working and not working must establish, and resolving what does not work "
            "from the carer's strengths.",
            "Outcomes (achieved, still important, new ones), needs (changed, short term, "
            "met by the plan) and risk, to the carer and to the plan itself.",
            "Urgent and interim support when needs have changed; safeguarding and "
            "deprivation of liberty as in 000, including a cared-for person who lacks "
            "capacity.",
            "Specialist information and advice given during the review.",
        ),
        (
            "A light touch review is normally appropriate and proportionate whenever",
            "The conversation about what is working and not working must broadly establish whether",
            "Powerful questions; Appreciative Enquiry; The use of tools",
            "The conversation about outcomes must broadly establish whether",
            "If there has been a change in need you should explore",
            "It is important to talk about risk during a review",
            "There are 3 possible options (safeguarding)",
            "You must consider any appropriate action required to authorise deprivations "
            "of liberty whenever",
        ),
    ),
    Procedure(
        "002",
        "Preparing to Carry out a Care and Support Plan Review",
        (
            "Contacting the person (or their representative) before a review, and what "
            "to do and write when the review cannot be arranged at that first contact "
            "(the delay letter).",
            "What the information sent before a review must contain (its purpose, what "
            "to expect, the format, the timeframe, complaints, advocacy, the financial "
            "assessment notice, the questions to be asked).",
            "When reviews fall due: 6-8 weeks after a new plan or change starts, then at "
            "least every 12 months, and as needed to monitor a situation.",
            "The methods of review (face to face, telephone, online, combined, joint, "
            "supported self, delegated), and that a telephone conversation is confirmed "
            "by a follow-up letter as its formal record.",
            "Capacity, substantial difficulty and advocacy; involving carers; joint or "
            "integrated reviews; communicating in the way the person asks for.",
        ),
        (
            "You should let the person themselves know that you will be carrying out the "
            "review unless",
            "If you are not able to arrange the review at this first contact",
            "Legally you must have regard to the following when arranging a review",
            "The information that should be provided is as follows",
            "It is important that everyone who is to be involved in a review is aware of",
            "When a person has not consented to the carer being a part of the review",
            "Possible review methods include",
            "When making a decision about the method of review you must have regard to",
            "Joint or integrated review",
        ),
    ),
    Procedure(
        "003",
        "Deciding the Outcome of a Support Plan Review and Making a Formal Record",
        (
            "The three outcomes of a review: no change; a change to the plan but not the "
            "budget; a change to the plan and the budget.",
            "Deciding on evidence, with regard to the carer's views, their wellbeing and "
            "others' views; recording a difference of opinion and the right to complain.",
            "The formal record: the eleven things always recorded and the ten recorded "
            "where relevant, in a format the carer can understand.",
            "Who gets a copy (the carer always, a joint reviewer, a provider with "
            "consent, anyone the carer asks for unless a manager decides a copy would "
            "put someone at risk: full, partial or declined).",
            "Amendments: considering a request, the amended version that says which "
            "version it supersedes, circulation to the original recipients, and a "
            "decline with reasons and the right to complain.",
        ),
        (
            "Broadly there are 3 possible outcomes following review",
            "When determining the outcome of the review you must give regard to",
            "There may be times when the carer or another person involved disagrees",
            "The following information must be clearly but proportionately recorded in "
            "all cases (the 11 items)",
            "The following information should be clearly recorded where relevant (the 10 items)",
            "Following the review process the carer must be given a written record",
            "Concerns about a request",
            "Sometimes the carer or anyone else that was involved in the review may ask "
            "for amendments",
        ),
    ),
    Procedure(
        "004",
        "Actions and Next Steps (Review Teams)",
        (
            "Following up information and advice given at a review.",
            "When a plan may be revised, and reviews that need no allocated worker.",
            "Raising a safeguarding concern.",
            "The advocacy duty: when an independent advocate must be made available, "
            "and not going on without one where the duty applies.",
            "What decides the priority of allocating a case for support or review.",
        ),
        (
            "1. Using this Procedure",
            "2. Providing Information and Advice",
            "3. Following up on Information and Advice",
            "4. Providing Information about a Person",
            "5. Transferring a Contact",
            "6. Accessing a Prevention Service",
            "7. Revising a Care and Support Plan",
            "8. Safeguarding Concern",
            "9. Using Independent Advocacy",
            "10. Transferring a Case",
            "11. Joint Work",
            "12. Allocation for Support or Review",
        ),
    ),
)

_NUMBER = re.compile(r"(?<![\w.,/-])(00[0-4])(?![\w])")
_QUOTED = re.compile(r'(?<![\w.,/-])(00[0-4])[:,]?\s*\(?\s*"([^"]{3,300})"')
_BROKEN = re.compile(r"""['"]\s*f?['"]|['"]\s*$""")  # a quote split across string literals


def _sources() -> list[Path]:
    found = {path for pattern in SOURCES for path in ROOT.glob(pattern)}
    return sorted(found - {HERE})


def _name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "src":
        return "/".join(relative.parts[1:])
    return str(relative)


def _flat(text: str) -> str:
    """Comments and docstrings as one line, so a quote broken over lines reads whole."""
    return re.sub(r"\s*\n\s*(?:#\s*)?", " ", text)


def citations() -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    """(procedure -> modules that cite it, procedure -> cited phrase -> modules)."""
    modules: dict[str, set[str]] = defaultdict(set)
    phrases: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    broken: list[tuple[str, str, str]] = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        name = _name(path)
        for match in _NUMBER.finditer(text):
            modules[match.group(1)].add(name)
        for match in _QUOTED.finditer(_flat(text)):
            number, phrase = match.groups()
            cut = _BROKEN.search(phrase)
            phrase = phrase[: cut.start()] if cut else phrase
            phrase = " ".join(phrase.split()).rstrip(". ")
            if cut:
                broken.append((number, phrase, name))
            else:
                phrases[number][phrase].add(name)
    for number, start, name in broken:  # counted under the whole quote it begins
        whole = [phrase for phrase in phrases[number] if phrase.startswith(start)]
        phrases[number][min(whole, key=len) if whole else start].add(name)
    return modules, phrases


def _opening(phrase: str) -> str:
    return phrase.split(" ...")[0].lower()


def _grouped(phrases: dict[str, set[str]]) -> list[tuple[str, set[str]]]:
    """Phrases that begin another (a heading and the sentence it opens) as one row."""
    rows: dict[str, set[str]] = {}
    for phrase in sorted(phrases, key=len):
        opening = _opening(phrase)
        head = next((row for row in rows if opening.startswith(_opening(row))), None)
        rows.setdefault(head or phrase, set()).update(phrases[phrase])
    return sorted(rows.items(), key=lambda row: row[0].lower())


def render() -> str:
    modules, phrases = citations()
    lines = [
        "# The five procedures",
        "",
        "reviewdocs encodes five written practice procedures for statutory reviews of "
        "care and support plans and carers' support plans (Care Act 2014, England). They "
        "are not part of this repository; this page says what each is about, in our own "
        "words, lists its headings, and shows where the code relies on it.",
        "",
        "A rule cites its procedure by number and by the heading, or the opening words, "
        'of the passage it rests on: `003 "Broadly there are 3 possible outcomes"`. The '
        "tables below are read from the code by `tools/procedures_index.py` (the "
        "templates' wording is cited in `tools/build_templates.py`, which generates "
        "them); `tests/test_docs.py` fails when this page and the code disagree.",
        "",
        "| number | procedure |",
        "|---|---|",
    ]
    lines += [f"| {p.number} | {p.title} |" for p in PROCEDURES]
    for procedure in PROCEDURES:
        number = procedure.number
        lines += ["", f"## {number}: {procedure.title}", "", "What it gives reviewdocs:", ""]
        lines += [f"- {line}" for line in procedure.about]
        lines += ["", "Its headings (where its text has none, the opening words of its parts):", ""]
        lines += [f"- {heading}" for heading in procedure.headings]
        lines += ["", "Cited in the code as:", "", "| heading or opening words | cited in |"]
        lines += ["|---|---|"]
        for phrase, where in _grouped(phrases[number]):
            lines.append(f'| "{phrase}" | {", ".join(f"`{m}`" for m in sorted(where))} |')
        lines += ["", f"Every module that cites {number}: "]
        lines[-1] += ", ".join(f"`{m}`" for m in sorted(modules[number])) + "."
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run python tools/procedures_index.py")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
