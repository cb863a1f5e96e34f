"""The data fields a Jinja template reads, as dotted paths.

``{% for p in review.participants %}{{ p.name }}`` reads ``review.participants``
and ``review.participants[].name``: a loop variable stands for an item of its list.
Names a template makes itself (``{% set %}``, loop variables, macro arguments,
``loop``) are not fields. An index or a computed key reads ``[]`` of its list.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import nodes

from reviewdocs.documents._jinja import GLOBALS

# The globals templates may use (and ``loop``): never data fields.
_GLOBALS = GLOBALS | {"loop"}

# A local name maps to the path it stands for, or None when it is the template's own value.
Scope = dict[str, str | None]


@dataclass(frozen=True)
class FieldUse:
    path: str
    lineno: int
    printed: bool  # the path is what a ``{{ }}`` prints (not a test, a loop or a filter input)


def field_uses(template: nodes.Template) -> list[FieldUse]:
    """Every field path the parsed template reads, in source order, with its line."""
    collector = _Collector()
    collector.block(template.body, {})
    return collector.uses


class _Collector:
    def __init__(self) -> None:
        self.uses: list[FieldUse] = []

    # -- statements -----------------------------------------------------------------

    def block(self, body: list[nodes.Node], scope: Scope) -> None:
        for node in body:
            self.statement(node, scope)

    def statement(self, node: nodes.Node, scope: Scope) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope, printed=True)
        elif isinstance(node, nodes.For):
            self._for(node, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.block(node.body, scope)
            for elif_ in node.elif_:
                self.statement(elif_, scope)
            self.block(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            path = self.expr(node.node, scope)
            self._bind(node.target, scope, path)
        elif isinstance(node, nodes.AssignBlock):
            inner = dict(scope)
            self.block(node.body, inner)
            self._bind(node.target, scope, None)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self._bind(target, inner, self.expr(value, scope))
            self.block(node.body, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in node.args:
                self._bind(arg, inner, None)
            for name in ("varargs", "kwargs", "caller"):
                inner[name] = None
            for default in node.defaults:
                self.expr(default, scope)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            else:
                scope[node.name] = None
            self.block(node.body, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.expr(node.filter, scope)
            self.block(node.body, scope)
        elif isinstance(node, nodes.ExprStmt):
            self.expr(node.node, scope)
        else:
            for sub in node.iter_child_nodes():
                if isinstance(sub, nodes.Expr):
                    self.expr(sub, scope)
                else:
                    self.statement(sub, scope)

    def _for(self, node: nodes.For, scope: Scope) -> None:
        path = self.expr(node.iter, scope)
        inner = dict(scope)
        self._bind(node.target, inner, f"{path}[]" if path else None)
        inner["loop"] = None
        if node.test is not None:
            self.expr(node.test, inner)
        self.block(node.body, inner)
        self.block(node.else_, scope)

    def _bind(self, target: nodes.Node, scope: Scope, path: str | None) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = path
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, scope, None)
        # NSRef (``{% set ns.x = ... %}``) changes the template's own namespace object.

    # -- expressions ----------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: Scope, *, printed: bool = False) -> str | None:
        """Record the path ``node`` reads (if it is one) and return it."""
        path = self._chain(node, scope)
        if path is not None:
            self.uses.append(FieldUse(path, node.lineno, printed))
            return path
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            # A method call (``narrative.items()``) reads the object, not a field named ``items``.
            self.expr(node.node.node, scope)
            self._children(node, scope, skip=node.node)
        elif isinstance(node, nodes.Filter | nodes.Test) and node.node is not None:
            self.expr(node.node, scope, printed=printed and isinstance(node, nodes.Filter))
            self._children(node, scope, skip=node.node)
        elif isinstance(node, nodes.Getattr | nodes.Getitem) and self._is_local(node, scope):
            # The template's own value: only computed keys inside the chain can read data.
            while isinstance(node, nodes.Getattr | nodes.Getitem):
                if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                    self.expr(node.arg, scope)
                node = node.node
        elif not isinstance(node, nodes.Name):
            self._children(node, scope)
        return None

    def _children(self, node: nodes.Node, scope: Scope, skip: nodes.Node | None = None) -> None:
        for child in node.iter_child_nodes():
            if child is not skip:
                self.expr(child, scope)

    def _is_local(self, node: nodes.Node, scope: Scope) -> bool:
        while isinstance(node, nodes.Getattr | nodes.Getitem):
            node = node.node
        return isinstance(node, nodes.Name) and (node.name in scope or node.name in _GLOBALS)

    def _chain(self, node: nodes.Node, scope: Scope) -> str | None:
        """The dotted path of a pure ``a.b["c"][0]`` chain rooted at a data name."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return None if node.name in _GLOBALS else node.name
        if isinstance(node, nodes.Getattr):
            base = self._chain(node.node, scope)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem):
            base = self._chain(node.node, scope)
            if base is None:
                return None
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return f"{base}.{arg.value}"
            if not isinstance(arg, nodes.Const):
                self.expr(arg, scope)
            return f"{base}[]"
        return None
