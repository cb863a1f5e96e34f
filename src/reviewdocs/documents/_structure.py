"""Prove, before any render, that a template's tags cannot break Word's XML.

A Word template is XML with Jinja tags in its text. Data cannot break the XML (it
is escaped), but a tag placed across Word's structure can: ``{% if %}`` in one
paragraph and its ``{% endif %}`` in a table cell gives a broken file whenever the
condition is false. This follows the XML through every branch of the Jinja tree:
each ``if`` must end, whatever branch is taken, with the same elements open, and a
``for`` body must leave open exactly what it found. A template that passes renders
well-formed XML for any data, so the engine can skip re-parsing every document.

Templates using constructs this does not follow (macros, call and filter blocks,
XML comments) are reported as not proven; the engine then checks each render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import nodes

_TAG = re.compile(r"<(/?)([^\s/>!?]+)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_NAME = re.compile(r"<(/?)([^\s/>!?]*)")


@dataclass(frozen=True)
class _State:
    """The open elements, and the element tag being written if a Jinja tag sits inside one."""

    stack: tuple[str, ...]
    inside: tuple[bool, str, str] | None = None  # (closing, name, open quote or "")


class _Unproven(Exception):
    """The template uses a construct this check does not follow."""


class _Broken(Exception):
    """The XML is broken on every render: following it further only repeats the problem."""


@dataclass(frozen=True)
class Problem:
    lineno: int
    message: str


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def block(self, body: list[nodes.Node], state: _State) -> _State:
        for node in body:
            state = self.statement(node, state)
        return state

    def statement(self, node: nodes.Node, state: _State) -> _State:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    state = self.text(child.data, state, child.lineno)
                elif state.inside is not None and not state.inside[2]:
                    raise _Unproven()  # a value inside an element tag but not in quotes
            return state
        if isinstance(node, nodes.If):
            return self._if(node, state)
        if isinstance(node, nodes.For):
            return self._for(node, state)
        if isinstance(node, nodes.Assign | nodes.ExprStmt | nodes.Macro):
            # Setting a name writes nothing; a macro writes only where it is called.
            if isinstance(node, nodes.Macro):
                raise _Unproven()
            return state
        if isinstance(node, nodes.With | nodes.Scope):
            return self.block(node.body, state)
        raise _Unproven()

    def _if(self, node: nodes.If, state: _State) -> _State:
        branches = [node.body, *(elif_.body for elif_ in node.elif_), node.else_]
        ends = [self.block(body, state) for body in branches]
        if any(end != ends[0] for end in ends):
            self.problems.append(
                Problem(
                    node.lineno,
                    "this {% if %} and its {% else %} or {% endif %} sit in different "
                    "places of Word's structure (paragraph, table cell or row), so some "
                    "answers would give a broken file; put block tags in a paragraph of "
                    "their own as {%p if ... %}, or in a table row as {%tr if ... %}",
                )
            )
        return ends[0]

    def _for(self, node: nodes.For, state: _State) -> _State:
        end = self.block(node.body, state)
        if end != state:
            self.problems.append(
                Problem(
                    node.lineno,
                    "this {% for %} and its {% endfor %} sit in different places of "
                    "Word's structure (paragraph, table cell or row), so the repeated "
                    "part would give a broken file; put them in a paragraph of their own "
                    "as {%p for ... %}, or in a table row as {%tr for ... %}",
                )
            )
        self.block(node.else_, state)
        # What follows the loop was written to follow its body: go on from there, so
        # one misplaced tag is reported once.
        return end

    def text(self, data: str, state: _State, lineno: int) -> _State:
        stack = list(state.stack)
        pos = 0
        if state.inside is not None:
            closing, name, quote = state.inside
            pos, quote = _tag_end(data, 0, quote)
            if pos < 0:
                return _State(state.stack, (closing, name, quote))
            self_closing = data[pos - 2 : pos] == "/>"
            self._apply(stack, closing, name, self_closing, lineno)
        while True:
            start = data.find("<", pos)
            if start < 0:
                return _State(tuple(stack))
            if data.startswith(("<!", "<?"), start):
                raise _Unproven()
            match = _TAG.match(data, start)
            if match is not None:
                is_closing, name = bool(match.group(1)), match.group(2)
                self_closing = bool(match.group(3))
                pos = match.end()
            else:  # the element tag goes on past this piece of text, or is odd
                name_match = _NAME.match(data, start)
                assert name_match is not None
                is_closing, name = bool(name_match.group(1)), name_match.group(2)
                if not name or name_match.end() >= len(data):
                    raise _Unproven()  # a tag name built by Jinja
                pos, quote = _tag_end(data, name_match.end(), "")
                if pos < 0:
                    return _State(tuple(stack), (is_closing, name, quote))
                self_closing = data[pos - 2 : pos] == "/>"
            self._apply(stack, is_closing, name, self_closing, lineno)

    def _apply(
        self, stack: list[str], closing: bool, name: str, self_closing: bool, lineno: int
    ) -> None:
        if self_closing:
            return
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            self.problems.append(
                Problem(lineno, f"the tags leave Word's XML broken here (<{name}> closed)")
            )
            raise _Broken()


def _tag_end(data: str, pos: int, quote: str) -> tuple[int, str]:
    """Where an element tag being written ends (after ``>``), or -1 and the open quote."""
    while pos < len(data):
        char = data[pos]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return pos + 1, ""
        pos += 1
    return -1, quote


def structure_problems(template: nodes.Template) -> tuple[list[Problem], bool]:
    """Places where the tags can break the XML, and whether the check covered everything."""
    checker = _Checker()
    try:
        end = checker.block(template.body, _State(()))
    except _Unproven:
        return checker.problems, False
    except _Broken:
        return checker.problems, True
    if (end.stack or end.inside) and not checker.problems:
        checker.problems.append(Problem(1, "the template's XML does not close every element"))
    return checker.problems, True
