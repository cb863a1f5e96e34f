"""Sharing (003 "Following the review process" to the end; spec section 6).

Each rule, each refusal path, the register, and the leak test: no withheld text in
any part of a partial copy, its cover letter, its file name or its PDF.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
import subprocess
import zipfile
import zlib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reviewdocs import codes
from reviewdocs.decision.rules import decide
from reviewdocs.disclosure.redaction import WITHHELD_MARK, redact, withhold_from_decision
from reviewdocs.disclosure.register import Register
from reviewdocs.disclosure.sharing import plan_sharing, share
from reviewdocs.errors import InputError, SharingError
from reviewdocs.intake.schemas import validate_review

ON = date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "example-carer-light-touch.json"


def recipient(rid: str, kind: str, **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"id": rid, "name": f"Name of {rid}", "kind": kind, "risk_concern": False}
    r.update(extra)
    return r


def make_review(
    raw: dict[str, Any], recipients: list[dict[str, Any]], *, consent: bool | None
) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    raw["subject"]["preferred_format"] = "standard"
    raw["sharing"] = {"recipients": recipients}
    if consent is not None:
        raw["sharing"]["consent_to_share"] = consent
    return validate_review(raw)


def joint(raw: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    raw["review"]["method"] = "joint"
    raw["review"]["joint_organisation"] = {
        "name": "Exampleton Housing",
        "contact": "Pat Reed",
        "address": ["1 High Street", "Exampleton"],
    }
    return raw


def plan_for(review: dict[str, Any], rid: str) -> Any:
    (plan,) = [p for p in plan_sharing(review, decide(review)) if p.recipient_id == rid]
    return plan


# --- the rules ------------------------------------------------------------------------


PROVIDER = {"involved_in_review": True, "responsible_for_support": True}

RULE_CASES = [
    # (id, recipient, consent, allowed, basis, partial)
    (
        "provider-involved-responsible-consent",
        recipient("p", "provider", **PROVIDER),
        True,
        True,
        "consent",
        False,
    ),
    (
        "provider-without-consent-gets-nothing",
        recipient("p", "provider", **PROVIDER),
        False,
        False,
        "",
        False,
    ),
    (
        "provider-consent-not-recorded-gets-nothing",
        recipient("p", "provider", **PROVIDER),
        None,
        False,
        "",
        False,
    ),
    (
        "provider-not-involved-even-with-consent",
        recipient("p", "provider", involved_in_review=False, responsible_for_support=True),
        True,
        False,
        "",
        False,
    ),
    (
        "provider-not-responsible-even-with-consent",
        recipient("p", "provider", involved_in_review=True, responsible_for_support=False),
        True,
        False,
        "",
        False,
    ),
    (
        "requested-relative-without-consent-flag",
        recipient("p", "requested_by_subject"),
        False,
        True,
        "request",
        False,
    ),
    (
        "requested-relative-risk-full",
        recipient("p", "requested_by_subject", risk_concern=True, manager_decision="full"),
        False,
        True,
        "manager_decision",
        False,
    ),
    (
        "requested-relative-risk-partial",
        recipient(
            "p",
            "requested_by_subject",
            risk_concern=True,
            manager_decision="partial",
            omit_sections=["safeguarding"],
        ),
        False,
        True,
        "manager_decision",
        True,
    ),
    (
        "requested-relative-risk-decline",
        recipient("p", "requested_by_subject", risk_concern=True, manager_decision="decline"),
        True,
        False,
        "",
        False,
    ),
    (
        "provider-risk-manager-full-but-no-consent",
        recipient("p", "provider", **PROVIDER, risk_concern=True, manager_decision="full"),
        False,
        False,
        "",
        False,
    ),
    (
        "provider-consent-but-risk-declined",
        recipient("p", "provider", **PROVIDER, risk_concern=True, manager_decision="decline"),
        True,
        False,
        "",
        False,
    ),
    (
        "other-consent-and-risk-partial",
        recipient(
            "p", "other", risk_concern=True, manager_decision="partial", omit_sections=["risk"]
        ),
        True,
        True,
        "manager_decision",
        True,
    ),
    ("other-with-consent", recipient("p", "other"), True, True, "consent", False),
    ("other-without-consent", recipient("p", "other"), False, False, "", False),
    (
        "joint-kind-but-review-not-joint-needs-consent",
        recipient("p", "joint_organisation"),
        False,
        False,
        "",
        False,
    ),
]


@pytest.mark.parametrize(
    ("rec", "consent", "allowed", "basis", "partial"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_each_recipient_gets_what_003_allows(
    example_raw: dict[str, Any],
    rec: dict[str, Any],
    consent: bool | None,
    allowed: bool,
    basis: str,
    partial: bool,
) -> None:
    plan = plan_for(make_review(example_raw, [rec], consent=consent), "p")
    assert (plan.allowed, plan.basis, plan.partial) == (allowed, basis, partial)
    assert plan.reason.endswith(")") or plan.reason.endswith(".")
    if not allowed:
        assert plan.reason.startswith("No copy for Name of p:")


def test_the_subject_always_gets_the_whole_record(example_raw: dict[str, Any]) -> None:
    plans = plan_sharing(make_review(example_raw, [], consent=False), None)
    assert [(p.is_subject, p.allowed, p.basis, p.partial) for p in plans] == [
        (True, True, "subject", False)
    ]


def test_a_joint_organisation_always_gets_a_copy_without_consent(
    example_raw: dict[str, Any],
) -> None:
    review = make_review(joint(example_raw), [recipient("h", "joint_organisation")], consent=False)
    plan = plan_for(review, "h")
    assert (plan.allowed, plan.basis) == (True, "joint_organisation")


def test_a_joint_organisation_nobody_listed_is_still_given_a_copy(
    example_raw: dict[str, Any],
) -> None:
    review = make_review(joint(example_raw), [], consent=False)
    plan = plan_for(review, "joint_organisation")
    assert (plan.allowed, plan.recipient_name) == (True, "Exampleton Housing")


def test_a_refusal_says_why_in_plain_words(example_raw: dict[str, Any]) -> None:
    review = make_review(example_raw, [recipient("p", "provider", **PROVIDER)], consent=False)
    assert "Maria has not consented" in plan_for(review, "p").reason
    declined = make_review(
        example_raw,
        [recipient("p", "requested_by_subject", risk_concern=True, manager_decision="decline")],
        consent=True,
    )
    reason = plan_for(declined, "p").reason
    assert "a manager decided not to provide a copy" in reason
    assert "can still choose to share their own copy" in reason


# --- redact ---------------------------------------------------------------------------


def test_an_omitted_section_loses_its_narrative_and_its_findings(
    example_raw: dict[str, Any],
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["narrative"]["risk"] = "Risk narrative RISKTEXT."
    raw["findings"]["risk"]["new_risks"] = ["NEWRISK from the neighbour"]
    review = make_review(raw, [], consent=False)
    out = redact(review, ["risk"], [])
    assert "risk" not in out["narrative"]
    assert out["findings"]["risk"]["new_risks"] == []
    assert out["findings"]["risk"]["managed"] is None
    assert review["narrative"]["risk"] == "Risk narrative RISKTEXT.", "the input is unchanged"


def test_a_redacted_address_takes_its_postcode_and_every_quotation_with_it(
    example_raw: dict[str, Any],
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["narrative"]["informal_support"] = "Her son visits her at 14 Orchard Row daily."
    review = make_review(raw, [], consent=False)
    out = redact(review, [], ["subject.address"])
    assert out["subject"]["address"] == []
    assert out["subject"]["postcode"] == ""
    assert out["narrative"]["informal_support"] == f"Her son visits her at {WITHHELD_MARK} daily."


def test_every_participant_view_can_be_withheld_with_the_list_syntax(
    example_raw: dict[str, Any],
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["participants"] = [
        {"name": "Ann", "role": "family", "consented": True, "view": "VIEWONE"},
        {"name": "Bob", "role": "family", "consented": True, "view": "VIEWTWO"},
    ]
    review = make_review(raw, [], consent=False)
    out = redact(review, [], ["participants[].view"])
    assert [p["view"] for p in out["participants"]] == ["", ""]
    assert out["participants"][0]["name"] == "Ann"


@pytest.mark.parametrize("path", ["review.id", "review.date"])
def test_what_identifies_the_record_cannot_be_withheld(
    example_raw: dict[str, Any], path: str
) -> None:
    review = make_review(example_raw, [], consent=False)
    with pytest.raises(InputError, match="identifies the record"):
        redact(review, [], [path])


def test_a_copy_never_lists_the_other_recipients(example_raw: dict[str, Any]) -> None:
    review = make_review(
        example_raw,
        [recipient("p", "requested_by_subject", risk_concern=True, manager_decision="decline")],
        consent=True,
    )
    assert redact(review, ["risk"], [])["sharing"]["recipients"] == []


def test_a_partial_decision_drops_the_omitted_sections_and_their_next_steps() -> None:
    decision = {
        "required_sections": ["risk", "safeguarding", "outcome_and_next_steps"],
        "actions": ["right_to_complain", "safeguarding_decision"],
        "warnings": ["for the practitioner"],
        "outcome": "plan_change",
    }
    out = withhold_from_decision(decision, ["safeguarding"])
    assert out["required_sections"] == ["risk", "outcome_and_next_steps"]
    assert out["actions"] == ["right_to_complain"]
    assert out["warnings"] == []


# --- share ----------------------------------------------------------------------------


def four_recipients(raw: dict[str, Any]) -> dict[str, Any]:
    """003's cases: a provider, a joint organisation, a relative the subject named and a
    relative with a risk concern (partial), plus one declined."""
    return make_review(
        joint(raw),
        [
            recipient("provider", "provider", **PROVIDER),
            recipient("housing", "joint_organisation"),
            recipient("sister", "requested_by_subject"),
            recipient(
                "brother",
                "requested_by_subject",
                risk_concern=True,
                manager_decision="partial",
                omit_sections=["plan_elements"],
                redact=["subject.address"],
            ),
            recipient(
                "uncle", "requested_by_subject", risk_concern=True, manager_decision="decline"
            ),
        ],
        consent=False,
    )


def test_share_gives_each_recipient_what_003_allows_and_registers_it(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = four_recipients(example_raw)
    with Register(tmp_path / "register.sqlite") as reg:
        result = share(review, tmp_path, register=reg, produced=ON)
        rows = reg.entries()
        refusals = reg.refusals()
    folder = tmp_path / "CR-2026-0417"
    assert sorted(p.name for p in folder.iterdir()) == [
        "review_record-brother.docx",
        "review_record-housing.docx",
        "review_record-sister.docx",
        "review_record.docx",
        "sharing_cover_letter-brother.docx",
        "sharing_cover_letter-housing.docx",
        "sharing_cover_letter-sister.docx",
    ]
    got = {(e.recipient_id, e.document): (e.version, e.basis, e.withheld) for e in rows}
    assert got[(None, "review_record")] == (1, "subject", ())
    assert got[("housing", "review_record")] == (1, "joint_organisation", ())
    assert got[("sister", "review_record")] == (1, "request", ())
    assert got[("brother", "review_record")] == (
        1,
        "manager_decision",
        ("plan_elements", "subject.address"),
    )
    assert ("provider", "review_record") not in got
    assert {r.recipient_id for r in refusals} == {"provider", "uncle"}
    assert "decided not to provide a copy" in result.summary()


def test_asking_for_an_unknown_recipient_names_it(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = four_recipients(example_raw)
    with Register(tmp_path / "r.sqlite") as reg, pytest.raises(SharingError, match="'cousin'"):
        share(review, tmp_path, recipients=["sister", "cousin"], register=reg, produced=ON)
    assert not (tmp_path / "CR-2026-0417").exists()


def test_share_for_one_recipient_makes_only_their_copy(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = four_recipients(example_raw)
    with Register(tmp_path / "r.sqlite") as reg:
        share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    assert sorted(p.name for p in (tmp_path / "CR-2026-0417").iterdir()) == [
        "review_record-sister.docx",
        "sharing_cover_letter-sister.docx",
    ]


def test_the_advocate_is_told_when_the_subject_is_given_the_record(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["advocate"] = {
        "name": "Jo Park",
        "organisation": "Voice Ability",
        "email": "jo@example.org",
    }
    review = make_review(raw, [], consent=False)
    with Register(tmp_path / "r.sqlite") as reg:
        first = share(review, tmp_path, register=reg, produced=ON)
        second = share(review, tmp_path, register=reg, produced=ON)
    assert "Tell Jo Park (Voice Ability) at jo@example.org" in first.summary()
    assert second.subject_already_had and not second.advocate_note


def test_a_planned_review_has_nothing_to_share(example_raw: dict[str, Any], tmp_path: Path) -> None:
    raw = copy.deepcopy(example_raw)
    raw["review"]["stage"] = "planned"
    del raw["findings"], raw["narrative"]
    review = make_review(raw, [], consent=False)
    with Register(tmp_path / "r.sqlite") as reg, pytest.raises(SharingError, match="planned"):
        share(review, tmp_path, register=reg, produced=ON)


def test_a_recipient_id_carrying_withheld_text_is_refused(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["participants"] = [{"name": "Kim Vale", "role": "family", "consented": True, "view": ""}]
    review = make_review(
        raw,
        [recipient("kim-vale-friend", "requested_by_subject", redact=["participants.0.name"])],
        consent=True,
    )
    with Register(tmp_path / "r.sqlite") as reg, pytest.raises(SharingError, match="file name"):
        share(review, tmp_path, recipients=["kim-vale-friend"], register=reg, produced=ON)


# --- the leak test --------------------------------------------------------------------


def docx_parts(path: Path) -> dict[str, str]:
    """Every part of the package, as text (undecodable bytes kept as replacement marks)."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8", "replace") for name in zf.namelist()}


def readings(xml: str) -> list[str]:
    """The ways a reader or a program could see a part's text: raw, unescaped, and as
    running text with the markup removed (a value split across runs joins up)."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", xml))
    forms = [xml, html.unescape(xml), plain]
    return forms + [re.sub(r"\s+", " ", f) for f in forms]


def leaks(needle: str, files: list[Path]) -> list[str]:
    """Where ``needle`` (or its XML-escaped form) survives: part names, file names."""
    found = []
    escaped = {needle, html.escape(needle, quote=False), html.escape(needle, quote=True)}
    squeezed = re.sub(r"\s+", " ", needle)
    for path in files:
        if needle in path.name:
            found.append(f"file name {path.name}")
        for part, xml in docx_parts(path).items():
            if needle in part:
                found.append(f"{path.name}: part name {part}")
            if any(e in form or squeezed in form for form in readings(xml) for e in escaped):
                found.append(f"{path.name}: {part}")
    return found


LEAKY_REVIEW_PLACES = (
    "an omitted section's narrative",
    "an omitted section's findings",
    "the redacted address",
    "a participant's view (quoting the address)",
    "the subject's quoted views (quoting the address)",
    "the narrative of a section still shown (quoting the address)",
)


def leaky_review(raw: dict[str, Any], secret: str) -> dict[str, Any]:
    """``secret`` in every place of LEAKY_REVIEW_PLACES, shared partially with 'brother'."""
    raw = copy.deepcopy(raw)
    raw["narrative"]["plan_elements"] = f"Plan notes {secret} end."
    raw["findings"]["plan"]["issues"] = [f"Issue {secret}"]
    raw["subject"]["address"] = [secret, "Exampleton"]
    raw["participants"] = [
        {"name": "Ann Lewis", "role": "family", "consented": True, "view": f"Visits {secret} ."}
    ]
    raw["findings"]["views"]["subject"] = f"I live at {secret} ."
    raw["narrative"]["informal_support"] = f"Support reaches {secret} ."
    return make_review(
        raw,
        [
            recipient(
                "brother",
                "requested_by_subject",
                risk_concern=True,
                manager_decision="partial",
                omit_sections=["plan_elements"],
                redact=["subject.address"],
            )
        ],
        consent=True,
    )


def share_brother(review: dict[str, Any], out: Path, fmt: str | None = None) -> list[Path]:
    with Register(out / "register.sqlite") as reg:
        result = share(review, out, recipients=["brother"], register=reg, produced=ON, fmt=fmt)
    return [item.path for item in result.produced]


@cache
def baseline_texts(tmp: str) -> tuple[str, ...]:
    """A partial copy made from a review that never held the secret: a generated secret
    that already appears here is part of the template, not a leak."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    files = share_brother(leaky_review(raw, "Placeholder Lane"), Path(tmp))
    texts = [f for path in files for xml in docx_parts(path).values() for f in readings(xml)]
    return (*texts, *(path.name for path in files))


def test_the_leak_test_finds_text_that_is_there(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = leaky_review(example_raw, "9 Secret Close")
    files = share_brother(review, tmp_path)
    assert leaks("9 Secret Close", files) == []
    # The same search over the subject's own full record finds the secret: the test can fail.
    with Register(tmp_path / "register.sqlite") as reg:
        share(review, tmp_path, register=reg, produced=ON)
    assert leaks("9 Secret Close", [tmp_path / "CR-2026-0417" / "review_record.docx"])


def test_the_copy_and_its_cover_letter_say_information_was_withheld(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    files = share_brother(leaky_review(example_raw, "9 Secret Close"), tmp_path)
    for path in files:
        text = " ".join(readings(docx_parts(path)["word/document.xml"]))
        assert "Some information has been withheld from this copy." in text, path.name


WORD = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=2, max_size=10
)
SECRETS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(secret=SECRETS)
def test_no_withheld_text_survives_anywhere_in_a_partial_copy(
    example_raw: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, secret: str
) -> None:
    baseline = baseline_texts(str(tmp_path_factory.mktemp("baseline")))
    assume(not any(secret in form for form in baseline))
    review = leaky_review(example_raw, secret)
    files = share_brother(review, tmp_path_factory.mktemp("copy"))
    assert len(files) == 2
    assert leaks(secret, files) == []


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated where compressed (metadata, fonts, pages)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_no_withheld_text_survives_in_a_partial_pdf(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    secret = "9 Secret Close & <Hideaway>"
    files = share_brother(leaky_review(example_raw, secret), tmp_path, fmt="pdf")
    assert [p.suffix for p in files] == [".pdf", ".pdf"]
    for path in files:
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "withheld" in text
        data = path.read_bytes()
        assert pdf_streams(data), "the stream search must have something to search"
        for needle in (secret, "9 Secret Close", "Hideaway"):
            assert needle not in text
            assert needle.encode() not in data
            assert not any(needle.encode() in stream for stream in pdf_streams(data))
        assert secret.lower() not in path.name.lower()


def test_a_withheld_name_goes_from_every_part_including_the_title_property(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["participants"] = [
        {
            "name": "Tom Lewis",
            "role": "family",
            "consented": True,
            "view": "Maria Lewis works too hard; Maria needs a break.",
        }
    ]
    review = make_review(
        raw,
        [recipient("bro", "requested_by_subject", redact=["subject.name", "cared_for.name"])],
        consent=True,
    )
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["bro"], register=reg, produced=ON)
    files = [item.path for item in result.produced]
    # The narrative says "Maria confirmed" and "Tom's GP": each word of a name goes.
    for needle in ("Maria", "Lewis", "Tom"):
        assert leaks(needle, files) == [], needle
    with zipfile.ZipFile(files[0]) as zf:
        assert "docProps/core.xml" in zf.namelist(), "the title property was searched too"


def test_a_second_share_sends_nothing_twice_unless_a_recipient_is_named(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = four_recipients(example_raw)
    with Register(tmp_path / "r.sqlite") as reg:
        share(review, tmp_path, register=reg, produced=ON)
        again = share(review, tmp_path, register=reg, produced=ON)
        named = share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    assert [item.relpath for item in again.produced] == []
    assert again.subject_already_had
    assert {p.recipient_id for p in again.already_had} == {"housing", "sister", "brother"}
    assert [item.path.name for item in named.produced] == [
        "review_record-sister.docx",
        "sharing_cover_letter-sister.docx",
    ]


def test_a_recipient_copy_is_a_docx_whatever_format_the_subject_prefers(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    raw = copy.deepcopy(example_raw)
    review = make_review(raw, [recipient("sister", "requested_by_subject")], consent=False)
    review["subject"]["preferred_format"] = "pdf"
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    assert {item.fmt for item in result.produced} == {"docx"}


SECRET = "Quill & <Harbour> 77"


def with_secret_at(raw: dict[str, Any], path: str, secret: str) -> dict[str, Any]:
    """``raw`` with ``secret`` at the dotted ``path`` (and the optional people present)."""
    raw = copy.deepcopy(raw)
    raw.setdefault("advocate", {"name": "Jo Park", "organisation": "Voice", "email": None})
    raw["subject"].setdefault("appropriate_person", {"name": "Sue Bell", "relationship": "sister"})
    raw["participants"] = [
        {"name": "Ann Hill", "role": "family", "consented": True, "view": "Fine."}
    ]
    *parents, leaf = path.split(".")
    node: Any = raw
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    old = node[leaf]
    node[leaf] = [secret, *old[1:]] if isinstance(old, list) else secret
    # Quoted elsewhere too, where the redaction must follow it.
    raw["narrative"]["informal_support"] = f"Ann said {secret} matters."
    return raw


REDACTABLE = [
    "subject.address",
    "subject.email",
    "subject.phone",
    "subject.communication_needs",
    "subject.appropriate_person.name",
    "cared_for.name",
    "advocate.name",
    "participants.0.name",
    "participants.0.view",
    "findings.needs.evidence",
    "findings.views.subject",
    "findings.outcomes.work_education_training_recreation",
    "findings.information_and_advice",
    "narrative.plan_elements",
]


@pytest.mark.parametrize("path", REDACTABLE)
def test_a_redacted_value_leaves_no_trace(
    example_raw: dict[str, Any], tmp_path: Path, path: str
) -> None:
    secret = "quill.harbour@example.org" if path.endswith("email") else SECRET
    raw = with_secret_at(example_raw, path, secret)
    review = make_review(
        raw, [recipient("sister", "requested_by_subject", redact=[path])], consent=False
    )
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    files = [item.path for item in result.produced]
    assert leaks(secret, files) == []
    assert leaks("arbour", files) == []


@pytest.mark.parametrize(
    ("secret_at", "withheld"),
    [
        ("advocate.name", "advocate"),
        ("subject.appropriate_person.name", "subject.appropriate_person"),
        ("cared_for.name", "cared_for"),
        ("participants.0.name", "participants.0"),
        ("participants.0.view", "participants[]"),
    ],
    ids=["advocate", "appropriate-person", "cared-for", "one-participant", "every-participant"],
)
def test_a_whole_person_withheld_is_absent_not_an_empty_entry(
    example_raw: dict[str, Any], tmp_path: Path, secret_at: str, withheld: str
) -> None:
    raw = with_secret_at(example_raw, secret_at, SECRET)
    review = make_review(
        raw, [recipient("rel-1", "requested_by_subject", redact=[withheld])], consent=False
    )
    copy_review = redact(review, [], [withheld])
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["rel-1"], register=reg, produced=ON)
    assert leaks("arbour", [item.path for item in result.produced]) == []
    if withheld.startswith("participants"):
        assert copy_review["participants"] == []
    else:
        *parents, leaf = withheld.split(".")
        node = copy_review
        for part in parents:
            node = node[part]
        assert node[leaf] is None


@pytest.mark.parametrize("code", sorted(codes.SECTIONS))
def test_an_omitted_section_leaves_no_trace(
    example_raw: dict[str, Any], tmp_path: Path, code: str
) -> None:
    raw = copy.deepcopy(example_raw)
    raw["narrative"][code] = f"Narrative {SECRET} here."
    review = make_review(
        raw, [recipient("sister", "requested_by_subject", omit_sections=[code])], consent=False
    )
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    files = [item.path for item in result.produced]
    assert leaks("Harbour", files) == []


SAMPLE_JOINT = ROOT / "samples" / "10-joint-review-health-sharing.json"


def test_the_share_command_lists_copies_and_refusals_and_registers_them(
    runner: Any, tmp_path: Path
) -> None:
    from reviewdocs.cli import main

    out = tmp_path / "out"
    result = runner.invoke(main, ["share", str(SAMPLE_JOINT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "copy for Michael Evans (some information withheld)" in result.output
    listed = runner.invoke(main, ["register", "list", "--register", str(out / "register.sqlite")])
    assert listed.exit_code == 0
    assert "review_record v1 standard/docx -> Michael Evans (manager_decision)" in listed.output
    exported = runner.invoke(
        main, ["register", "export", "--csv", "-", "--register", str(out / "register.sqlite")]
    )
    assert exported.output.splitlines()[0].startswith("status,review_id,document,version")


def test_the_share_command_names_an_unknown_recipient(runner: Any, tmp_path: Path) -> None:
    from reviewdocs.cli import main

    result = runner.invoke(
        main, ["share", str(SAMPLE_JOINT), "--out", str(tmp_path), "--recipient", "cousin"]
    )
    assert result.exit_code == 1
    assert "Unknown recipient 'cousin'" in result.output
    assert "Traceback" not in result.output


def test_a_copy_that_cannot_be_made_stops_share_before_any_file_is_written(
    example_raw: dict[str, Any], tmp_path: Path
) -> None:
    review = make_review(
        example_raw,
        [
            recipient("sister", "requested_by_subject"),
            recipient("aunt", "requested_by_subject", redact=["subject.email", "review.date"]),
        ],
        consent=False,
    )
    with Register(tmp_path / "r.sqlite") as reg, pytest.raises(InputError) as caught:
        share(review, tmp_path, register=reg, produced=ON)
    assert caught.value.errors == {
        "sharing.recipients.1.redact.1": [
            "'review.date' identifies the record and cannot be withheld."
        ]
    }
    assert not (tmp_path / "CR-2026-0417").exists()


def test_an_omitted_safeguarding_section_is_not_named_anywhere_else(tmp_path: Path) -> None:
    raw = json.loads((ROOT / "samples" / "07-carer-safeguarding-pause.json").read_text())
    assert raw["review"]["trigger"] == "safeguarding"
    review = make_review(
        raw,
        [
            recipient(
                "sister",
                "requested_by_subject",
                risk_concern=True,
                manager_decision="partial",
                omit_sections=["safeguarding"],
            )
        ],
        consent=True,
    )
    with Register(tmp_path / "r.sqlite") as reg:
        result = share(review, tmp_path, recipients=["sister"], register=reg, produced=ON)
    for item in result.produced:
        for part, xml in docx_parts(item.path).items():
            assert "safeguard" not in readings(xml)[2].lower(), (item.path.name, part)
        assert "SA-26-3318" not in " ".join(docx_parts(item.path).values())


def test_a_withheld_appropriate_persons_address_takes_its_postcode() -> None:
    review = {
        "review": {"id": "R1"},
        "subject": {
            "appropriate_person": {"name": "Sue", "address": ["1 Lane"], "postcode": "EX1 1ZZ"}
        },
        "narrative": {"risk": "Post to EX1 1ZZ."},
        "sharing": {},
    }
    out = redact(review, [], ["subject.appropriate_person.address"])
    assert out["subject"]["appropriate_person"]["postcode"] == ""
    assert out["narrative"]["risk"] == f"Post to {WITHHELD_MARK}."


def blocks(path: Path) -> dict[str, list[str]]:
    """The record's paragraphs grouped under their headings (Heading 1 and 2)."""
    out: dict[str, list[str]] = {}
    heading = ""
    for paragraph in docx.Document(str(path)).paragraphs:
        if paragraph.style is not None and paragraph.style.name.startswith(("Heading", "Title")):
            heading = paragraph.text
            out.setdefault(heading, [])
        elif paragraph.text.strip():
            out.setdefault(heading, []).append(paragraph.text)
    return out


DIFFERENTIAL_SAMPLES = [
    "03-julie-and-peter-reassessment",
    "04-ahmed-combined-review-disagreement",
    "07-carer-safeguarding-pause",
    "08-carer-liberty-cared-for-lacks-capacity",
]


@pytest.mark.parametrize("sample", DIFFERENTIAL_SAMPLES)
def test_what_only_an_omitted_section_said_appears_nowhere_in_the_copy(
    sample: str, tmp_path: Path
) -> None:
    """For each section of the full copy: omit it, and none of the sentences that only
    that section carried may appear anywhere in the partial copy."""
    raw = json.loads((ROOT / "samples" / f"{sample}.json").read_text(encoding="utf-8"))
    full_review = make_review(raw, [recipient("x", "requested_by_subject")], consent=True)
    decision = decide(full_review)
    with Register(tmp_path / "full.sqlite") as reg:
        (full, _) = share(full_review, tmp_path / "full", recipients=["x"], register=reg).produced
    full_blocks = blocks(full.path)
    checked = 0
    for code in decision["required_sections"]:
        review = make_review(
            raw, [recipient("x", "requested_by_subject", omit_sections=[code])], consent=True
        )
        with Register(tmp_path / f"{code}.sqlite") as reg:
            made = share(review, tmp_path / code, recipients=["x"], register=reg).produced
        copy_blocks = blocks(made[0].path)
        # The section's heading goes (with the outcome, its steps and the next review
        # date go the parts of the record that repeat them).
        gone = set(full_blocks) - set(copy_blocks)
        assert gone, code
        elsewhere = {line for h, lines in full_blocks.items() if h not in gone for line in lines}
        only_here = [line for h in gone for line in full_blocks[h] if line not in elsewhere]
        text = " ".join(readings(docx_parts(item.path)["word/document.xml"])[2] for item in made)
        for line in only_here:
            assert line not in text, (code, line)
        checked += len(only_here)
    assert checked, "the omitted sections carried sentences of their own"
