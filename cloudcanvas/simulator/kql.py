"""The KQL subset the simulator (and any test double) understands, and nothing more.

query    := table ( "|" operator )*
operator := "where" or_expr | "order by id asc" | "project" column ("," column)*
or_expr  := and_expr ( "or" and_expr )*          ("and" binds tighter than "or")
and_expr := atom ( "and" atom )*
atom     := "(" or_expr ")" | column cmp string | column ("in" | "in~") "(" string ("," string)* ")"
cmp      := "==" | "=~" | "!=" | "startswith"
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
Predicate = Callable[[Row], bool]

COLUMNS = (
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
)
TABLES = {
    "resources": "Resources",
    "resourcecontainers": "ResourceContainers",
    "advisorresources": "AdvisorResources",
}
_STRING_COLUMNS = {"id", "name", "type", "tenantId", "kind", "location", "resourceGroup"}
_STRING_COLUMNS |= {"subscriptionId", "managedBy"}

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<op>==|=~|!=|!~|in~|\|)"""
    r"""|(?P<ident>[A-Za-z_][A-Za-z0-9_.]*)|(?P<punct>[(),])|(?P<other>\S+?))"""
)


class QueryError(ValueError):
    """The query uses something outside the supported subset; the message names it."""


@dataclass
class Query:
    table: str
    predicates: list[Predicate] = field(default_factory=list)
    order_by_id: bool = False
    columns: list[str] = field(default_factory=lambda: list(COLUMNS))


@dataclass
class _Tok:
    kind: str
    text: str


def tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        kind = match.lastgroup or "other"
        tokens.append(_Tok(kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self.pos = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise QueryError("Unexpected end of query")
        self.pos += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text.lower() != text:
            raise QueryError(f"Expected '{text}' but found '{tok.text}'")

    def at_end_of_operator(self) -> bool:
        tok = self.peek()
        return tok is None or tok.text == "|"


def parse(text: str) -> Query:
    """Parse a query of the subset, or raise QueryError naming the unsupported part."""
    parser = _Parser(text)
    first = parser.take()
    table = TABLES.get(first.text.lower()) if first.kind == "ident" else None
    if table is None:
        raise QueryError(
            f"Unsupported table '{first.text}': only Resources, ResourceContainers and AdvisorResources are supported"
        )
    query = Query(table)
    while parser.peek() is not None:
        parser.expect("|")
        op = parser.take()
        name = op.text.lower()
        if name == "where":
            query.predicates.append(_or_expr(parser, query.columns))
        elif name == "order":
            _order(parser)
            query.order_by_id = True
        elif name == "project":
            query.columns = _project(parser, query.columns)
        else:
            raise QueryError(
                f"Unsupported query operator '{op.text}': only where, order by id asc and "
                "project are supported"
            )
        if not parser.at_end_of_operator():
            raise QueryError(f"Unsupported syntax near '{parser.take().text}'")
    return query


def _order(parser: _Parser) -> None:
    parser.expect("by")
    parts = []
    while not parser.at_end_of_operator():
        parts.append(parser.take().text)
    if [p.lower() for p in parts] != ["id", "asc"]:
        raise QueryError(
            f"Unsupported ordering 'order by {' '.join(parts)}': only 'order by id asc' is supported"
        )


def _project(parser: _Parser, available: list[str]) -> list[str]:
    columns: list[str] = []
    while True:
        tok = parser.take()
        if tok.kind != "ident" or "." in tok.text:
            raise QueryError(f"Unsupported projection '{tok.text}': only plain columns")
        nxt = parser.peek()
        if nxt is not None and nxt.text not in (",", "|"):
            raise QueryError(f"Unsupported projection near '{tok.text} {nxt.text}'")
        columns.append(_column(tok.text, available))
        if parser.peek() is None or parser.peek().text != ",":  # type: ignore[union-attr]
            return columns
        parser.take()


def _column(name: str, available: list[str]) -> str:
    if name not in available:
        raise QueryError(f"Unsupported column '{name}': no such column in the current result")
    return name


def _or_expr(parser: _Parser, columns: list[str]) -> Predicate:
    terms = [_and_expr(parser, columns)]
    while (tok := parser.peek()) is not None and tok.text == "or":
        parser.take()
        terms.append(_and_expr(parser, columns))
    if len(terms) == 1:
        return terms[0]
    return lambda row: any(term(row) for term in terms)


def _and_expr(parser: _Parser, columns: list[str]) -> Predicate:
    terms = [_atom(parser, columns)]
    while (tok := parser.peek()) is not None and tok.text == "and":
        parser.take()
        terms.append(_atom(parser, columns))
    if len(terms) == 1:
        return terms[0]
    return lambda row: all(term(row) for term in terms)


def _atom(parser: _Parser, columns: list[str]) -> Predicate:
    tok = parser.take()
    if tok.text == "(":
        inner = _or_expr(parser, columns)
        parser.expect(")")
        return inner
    if tok.kind != "ident" or "." in tok.text or tok.text not in _STRING_COLUMNS:
        raise QueryError(
            f"Unsupported expression '{tok.text}': conditions compare a plain string column"
        )
    column = _column(tok.text, columns)
    op = parser.take()
    operator = op.text.lower() if op.kind == "ident" else op.text
    if operator in ("in", "in~"):
        values = _string_list(parser)
        return _membership(column, values, operator == "in~")
    if operator not in ("==", "=~", "!=", "startswith"):
        raise QueryError(f"Unsupported operator '{op.text}'")
    return _comparison(column, operator, _string(parser.take()))


def _string_list(parser: _Parser) -> list[str]:
    parser.expect("(")
    values = [_string(parser.take())]
    while (tok := parser.take()).text == ",":
        values.append(_string(parser.take()))
    if tok.text != ")":
        raise QueryError(f"Expected ')' but found '{tok.text}'")
    return values


def _string(tok: _Tok) -> str:
    if tok.kind != "str":
        raise QueryError(f"Unsupported value '{tok.text}': only string literals")
    body = tok.text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _membership(column: str, values: list[str], fold: bool) -> Predicate:
    if fold:
        folded = {v.lower() for v in values}
        return lambda row: _text(row.get(column)).lower() in folded
    exact = set(values)
    return lambda row: _text(row.get(column)) in exact


def _comparison(column: str, operator: str, value: str) -> Predicate:
    if operator == "==":
        return lambda row: _text(row.get(column)) == value
    if operator == "!=":
        return lambda row: _text(row.get(column)) != value
    lowered = value.lower()
    if operator == "=~":
        return lambda row: _text(row.get(column)).lower() == lowered
    return lambda row: _text(row.get(column)).lower().startswith(lowered)


def run(query: Query, rows: list[Row]) -> list[Row]:
    """Evaluate a parsed query over rows that already carry every column."""
    result = rows
    for predicate in query.predicates:
        result = [row for row in result if predicate(row)]
    if query.order_by_id:
        result = sorted(result, key=lambda row: _text(row.get("id")))
    if query.columns != list(COLUMNS):
        result = [{c: row.get(c) for c in query.columns} for row in result]
    return result
