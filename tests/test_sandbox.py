"""Templates are edited and uploaded by admin staff: they may print data, never run code.

Issue 12 finding 5: ``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` printed
``uid=0(root)`` into a letter and ``templates check`` passed it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewdocs.cli import main
from reviewdocs.documents.engine import CompiledTemplate, check_template
from reviewdocs.errors import TemplateError
from test_engine import KNOWN, make_template, texts

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def _write(tmp_path: Path, data: bytes, name: str = "letter.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_issues_payload_prints_nothing_and_the_render_fails() -> None:
    template = CompiledTemplate.from_bytes(
        make_template(["Dear {{ subject.name }}", PAYLOAD]), name="letter.docx"
    )
    with pytest.raises(TemplateError) as caught:
        template.render({"subject": {"name": "Ann"}})
    assert "uid=" not in str(caught.value)
    assert str(caught.value).startswith("letter.docx: word/document.xml, line 3")


@pytest.mark.parametrize(
    "tag",
    [
        "{{ subject.name.__class__ }}",
        "{{ subject.name.__class__.__mro__[1].__subclasses__() }}",
        "{{ subject['__class__'] }}",
        "{{ (subject.name|attr('__class__')) }}",
        "{{ subject.name.format.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ review.participants.append(1) }}",
        "{{ ('_' ~ '_class__') and subject.name|attr('_' ~ '_class__') }}",
        "{{ subject.name[('_' ~ '_class__')] }}",
        "{{ subject[('_' ~ '_class__')].__name__ }}",
        "{{ range.__self__ }}",
        "{{ lipsum.__globals__ }}",
    ],
)
def test_no_tag_reaches_python_internals_at_render_time(tag: str) -> None:
    # Refused when compiled (a filter reviewdocs does not provide) or when rendered.
    with pytest.raises(TemplateError, match=r"^letter\.docx: word/document\.xml, line 2"):
        template = CompiledTemplate.from_bytes(make_template([tag]), name="letter.docx")
        template.render({"subject": {"name": "Ann"}, "review": {"participants": []}})


def test_data_with_underscore_keys_still_prints() -> None:
    template = CompiledTemplate.from_bytes(make_template(["{{ a.b }}"]), name="letter.docx")
    assert texts(template.render({"a": {"b": "fine"}}))[0] == "fine"


def test_check_refuses_the_payload_naming_file_part_and_line(tmp_path: Path) -> None:
    problems = check_template(_write(tmp_path, make_template(["ok", PAYLOAD])), KNOWN)
    where = 'letter.docx: word/document.xml, line 3 (near "{{ cycler.__init__.__globals__'
    where += ".os.popen('id').read() }}\"): "
    assert problems == [
        where + "'__globals__' starts with '_': templates may not reach Python's internals",
        where + "'__init__' starts with '_': templates may not reach Python's internals",
        where + "cycler is not a name templates can use",
    ]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ subject.name._private }}", "'_private' starts with '_'"),
        ("{{ subject['_x'] }}", "'_x' starts with '_'"),
        ("{{ subject.name|attr('x') }}", "the filter attr is not one reviewdocs provides"),
        ("{{ subject.name|nosuchfilter }}", "the filter nosuchfilter is not one reviewdocs"),
        ("{% if subject.name is nosuchtest %}x{% endif %}", "the test nosuchtest is not one"),
        ("{{ lipsum() }}", "lipsum is not a name templates can use"),
        ("{{ joiner() }}", "joiner is not a name templates can use"),
        ("{{ self }}", "self is not a name templates can use"),
        ("{% import 'x' as y %}", "{% import %}, {% include %} and {% extends %} are not"),
        ("{% set ns = namespace() %}{% set ns._x = 1 %}", "'_x' starts with '_'"),
        ("{{ review.participants|map(attribute='__class__')|list }}", "'__class__' starts"),
    ],
)
def test_check_refuses_what_the_sandbox_would(tmp_path: Path, tag: str, message: str) -> None:
    problems = check_template(_write(tmp_path, make_template(["ok", tag])), KNOWN)
    assert any(message in p for p in problems), problems
    assert all(p.startswith("letter.docx: word/document.xml, line 3") for p in problems)


def test_check_still_passes_the_filters_and_loops_templates_use(tmp_path: Path) -> None:
    template = make_template(
        [
            "{{ subject.name|upper }} {{ review.id|default('none') }}",
            "{%p for p in review.participants %}",
            "{{ loop.index }} {{ p.name }}",
            "{%p endfor %}",
            "{% if subject.name is defined %}y{% endif %}",
        ]
    )
    assert check_template(_write(tmp_path, template), KNOWN) == []


def _without(data: bytes, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


def test_check_fails_a_template_without_its_main_document(tmp_path: Path) -> None:
    data = _without(make_template(["Dear {{ subject.name }}"]), "word/document.xml")
    problems = check_template(_write(tmp_path, data), KNOWN)
    assert problems == ["letter.docx: not a Word (.docx) file: it has no word/document.xml"]


def test_templates_check_command_fails_the_payload(tmp_path: Path) -> None:
    _write(tmp_path, make_template(["Dear {{ subject.name }}", PAYLOAD]), "outcome_letter.docx")
    result = CliRunner().invoke(main, ["templates", "check", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "uid=" not in result.output
    assert "'__init__' starts with '_'" in result.output
    assert "outcome_letter.docx: word/document.xml, line 3" in result.output
