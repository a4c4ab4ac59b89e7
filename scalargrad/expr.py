"""Safe arithmetic expressions for the command line: ``"tanh(x*w + b)"`` -> a graph of Values.

The text is parsed with ``ast.parse`` and then walked against an allow-list: finite numbers,
variable names, ``+ - * / **``, unary ``-``/``+`` and calls of the functions in
``FUNCTIONS``. Anything else (attributes, subscripts, strings, lambdas, keywords, ...) is
refused with an ``ExpressionError`` that says what and where. Nothing is ever passed to
``eval``; the input length and nesting depth are bounded, so hostile text fails fast.

    >>> root, leaves = evaluate("tanh(x*w + b)", {"x": 2, "w": -3, "b": 6.88})
    >>> round(root.data, 4), leaves["x"].label
    (0.7064, 'x')
"""
from __future__ import annotations

import ast
import math
import operator
import re
from dataclasses import dataclass

from autograd import Value

MAX_LENGTH = 1000  # characters of expression text
MAX_DEPTH = 200  # nesting of operators, calls and parentheses (a + b + c is 2 deep)

# name -> (Value method, how many extra plain-number arguments it may take)
FUNCTIONS = {
    "exp": (Value.exp, 0),
    "log": (Value.log, 0),
    "sqrt": (Value.sqrt, 0),
    "sin": (Value.sin, 0),
    "cos": (Value.cos, 0),
    "tanh": (Value.tanh, 0),
    "sigmoid": (Value.sigmoid, 0),
    "relu": (Value.relu, 0),
    "leaky_relu": (Value.leaky_relu, 1),  # leaky_relu(x) or leaky_relu(x, negative_slope)
    "step": (Value.step, 0),
    "softplus": (Value.softplus, 0),
    "abs": (Value.__abs__, 0),
}
CONSTANTS = {"pi": math.pi, "e": math.e}
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Div: operator.truediv, ast.Pow: operator.pow}
UNARY = {ast.USub: operator.neg, ast.UAdd: lambda x: x}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_ALLOWED = (
    "Allowed: numbers, variable names, + - * / ** (and unary -), parentheses, "
    f"the constants {', '.join(CONSTANTS)} and the functions {', '.join(FUNCTIONS)}"
)
_REFUSED = {  # node type -> what to call it in the message
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "indexing ('[...]')",
    ast.Lambda: "lambda",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'if ... else'",
    ast.Tuple: "tuples (',')",
    ast.List: "lists",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignment (':=')",
    ast.Starred: "'*' unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}
_OPERATOR_HINTS = {ast.BitXor: " (for powers write x**2, not x^2)"}


class ExpressionError(ValueError):
    """The expression text (or a variable) is not allowed; the message says what and where."""

    def __init__(self, message: str, text: str | None = None, column: int | None = None,
                 hint: str = ""):
        if text is not None and column is not None and len(text) <= 120:
            message += f"\n  {text}\n  {' ' * column}^"
        super().__init__(message + (f"\n{hint}" if hint else ""))


def check_name(name: str) -> str:
    """``name`` if it can be a variable (ASCII letters, digits, '_'; not a function name)."""
    if not _NAME.match(name):
        raise ExpressionError(
            f"variable name {name!r} is not allowed: use ASCII letters, digits and '_', "
            "starting with a letter (e.g. x, w1, b_out)")
    if name in FUNCTIONS:
        raise ExpressionError(f"variable name {name!r} is a function name; pick another name")
    if name in CONSTANTS:
        raise ExpressionError(f"variable name {name!r} is a constant ({CONSTANTS[name]!r}); pick another name")
    if name.lower() in ("nan", "inf", "infinity"):
        raise ExpressionError(f"{name!r} cannot be a variable name: it reads as a special float")
    return name


def check_number(x, what: str) -> float:
    """``x`` (a number or its text) as a finite float, or an ExpressionError naming ``what``."""
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        raise ExpressionError(f"{what}: {x!r:.40} is not a number (examples: 2, -3.5, 1e-3)") from None
    if not math.isfinite(value):
        raise ExpressionError(f"{what}: {x!r:.40} is not allowed; give a finite number")
    return value


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression: ``expr(x=2.0, w=Value(-3.0))`` -> the output Value.

    ``variables``: the names it uses (constants excluded), in order of first appearance.
    """

    text: str
    tree: ast.expr
    names: tuple  # every Name in the text, in order of first appearance

    @property
    def variables(self) -> tuple:
        return tuple(n for n in self.names if n not in CONSTANTS)

    def __call__(self, **values) -> Value:
        """Build the graph with ``values`` bound to the names (a number becomes a leaf labelled
        with its name; a Value is used as it is)."""
        missing = [n for n in self.variables if n not in values]
        if missing:
            raise ExpressionError(
                f"no value given for {', '.join(missing)}: pass each variable as name=value "
                f"(the expression uses {', '.join(self.variables)})")
        values = {n: leaf(n, values[n]) for n in self.variables}
        out = self._eval(self.tree, values)
        return out if isinstance(out, Value) else Value(out)  # "1.5" or "-2": a lone constant

    def _eval(self, node, values):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return CONSTANTS[node.id] if node.id in CONSTANTS else values[node.id]
        if isinstance(node, ast.UnaryOp):
            return UNARY[type(node.op)](self._eval(node.operand, values))
        if isinstance(node, ast.BinOp):
            a = self._eval(node.left, values)
            b = self._eval(node.right, values)
            if not isinstance(a, Value) and not isinstance(b, Value):
                a = Value(a)  # 2 * 3 still makes a node (and a graph): numbers never fold
            return OPERATORS[type(node.op)](a, b)
        fn, _ = FUNCTIONS[node.func.id]
        x = self._eval(node.args[0], values)
        extra = [self._eval(a, values) for a in node.args[1:]]
        return fn(x if isinstance(x, Value) else Value(x), *extra)


def parse(text: str) -> Expression:
    """Parse and check ``text``; raise ExpressionError for anything outside the allow-list."""
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    for i, ch in enumerate(text):  # also keeps Python from NFKC-folding look-alike names
        if not (ch.isascii() and (ch.isprintable() or ch in " \t")):
            raise ExpressionError(
                f"character {ch!r} (U+{ord(ch):04X}) is not allowed: write the expression in "
                "plain ASCII (e.g. * for ×, ** for powers)", text, i)
    if not text.strip():
        raise ExpressionError("the expression is empty; try e.g. \"tanh(x*w + b)\"")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as e:
        col = (e.offset - 1) if e.offset else None
        raise ExpressionError(f"not a valid expression: {e.msg}", text.strip(), col) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"the expression is too deeply nested (the limit is {MAX_DEPTH} levels)") from None
    return Expression(text.strip(), tree, _check(tree, text.strip()))


def _check(tree: ast.expr, text: str) -> tuple:
    """Walk ``tree`` without recursion; refuse what is not allowed; return the names used."""
    names = {}
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        where = (text, getattr(node, "col_offset", None))
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is too deeply nested (the limit is {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):  # str, bytes, complex, ...
                kind = "strings" if isinstance(v, (str, bytes)) else f"{type(v).__name__} literals"
                raise ExpressionError(f"{kind} are not allowed", *where, _ALLOWED)
            try:
                node.value = float(v)
            except OverflowError:
                node.value = math.inf
            if not math.isfinite(node.value):
                raise ExpressionError("the number is too large (beyond the float range, ~1.8e308)", *where)
        elif isinstance(node, ast.Name):
            if node.id.lower() in ("nan", "inf", "infinity"):
                raise ExpressionError(f"{node.id!r} is not allowed: expressions use finite numbers only", *where)
            if node.id in FUNCTIONS:
                raise ExpressionError(f"{node.id!r} is a function: call it, e.g. {node.id}(x)", *where)
            if not _NAME.match(node.id):
                raise ExpressionError(f"name {node.id!r} is not allowed: names start with a letter", *where)
            names.setdefault(node.id, None)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in OPERATORS:
                between = text[node.left.end_col_offset:node.right.col_offset]
                sym = between.strip(" \t()") or type(node.op).__name__
                col = node.left.end_col_offset + between.index(sym) if sym in between else node.col_offset
                raise ExpressionError(f"operator {sym!r} is not allowed{_OPERATOR_HINTS.get(type(node.op), '')}",
                                      text, col, _ALLOWED)
            stack += [(node.right, depth + 1), (node.left, depth + 1)]
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in UNARY:
                raise ExpressionError(f"operator {type(node.op).__name__} is not allowed", *where, _ALLOWED)
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.get_source_segment(text, node.func)
                raise ExpressionError(
                    f"function {what!r} is not allowed; allowed functions: {', '.join(FUNCTIONS)}", *where)
            name = node.func.id
            extra = FUNCTIONS[name][1]
            if node.keywords:
                raise ExpressionError(f"keyword arguments are not allowed: write {name}(x{', 0.1' * extra})", *where)
            if not 1 <= len(node.args) <= 1 + extra:
                want = "1 argument" if not extra else f"1 or {1 + extra} arguments"
                raise ExpressionError(f"{name}() takes {want}, got {len(node.args)}", *where)
            for arg in node.args[1:]:
                if not (isinstance(arg, ast.Constant) or
                        isinstance(arg, ast.UnaryOp) and isinstance(arg.operand, ast.Constant)):
                    raise ExpressionError(f"{name}(): the extra argument must be a plain number", text, arg.col_offset)
            stack += [(a, depth + 1) for a in reversed(node.args)]
        else:
            what = _REFUSED.get(type(node), f"{type(node).__name__} expressions")
            if isinstance(node, ast.Attribute):
                where = (text, node.value.end_col_offset)
            raise ExpressionError(f"not allowed: {what}", *where, _ALLOWED)
    # keep first-appearance order (the stack walks left to right)
    return tuple(names)


def evaluate(text: str, values: dict) -> tuple[Value, dict]:
    """Parse ``text`` and build its graph: (output Value, {name: leaf Value labelled name})."""
    expr = parse(text)
    leaves = {name: leaf(name, values[name]) for name in expr.variables if name in values}
    return expr(**leaves), leaves


def leaf(name: str, value) -> Value:
    """A leaf Value labelled ``name`` (a Value is used as it is)."""
    if isinstance(value, Value):
        return value
    return Value(check_number(value, name), label=check_name(name))
