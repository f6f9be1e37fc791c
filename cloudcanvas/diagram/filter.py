"""Cloudcraft's search syntax, parsed into a small expression tree and applied to a graph.

    expr    := or
    or      := and ("OR" and)*
    and     := not (["AND"] not)*          adjacent terms are ANDed
    not     := "NOT" not | "(" expr ")" | term
    term    := text | key=value | type=value | IPv4 | IPv4/len     ("quoted" parts allowed)

Text matches a resource's name or id as a case-insensitive substring with ``*`` wildcards;
``type=`` matches the component type id or the ARM type; other ``key=value`` terms match tags
(``key=*``: the tag is present); an address or CIDR matches ``Node.ip_addresses``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from cloudcanvas.diagram.model import Graph, Node
from cloudcanvas.errors import BadRequest

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_TERMS = 256
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?$")
_KEYWORDS = ("AND", "OR", "NOT")


class FilterError(BadRequest):
    """A filter expression that cannot be parsed; the message says what is wrong and where."""

    code = "invalid_filter"


class UnknownType(FilterError):
    """A ``type=`` term names no type of the account: a diagram would be silently empty."""

    code = "unknown_type"


@dataclass(frozen=True, slots=True)
class Term:
    """One search term; ``key`` is None for text and IP terms."""

    key: str | None
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expr, ...]


Expr = Term | Not | And | Or


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "word", "AND", "OR", "NOT"
    key: str | None
    value: str
    position: int


def parse_filter(text: str) -> Expr:
    """Parse a filter expression; raise FilterError that says what is wrong and where."""
    if not isinstance(text, str):
        raise FilterError("the filter must be text")
    if len(text) > MAX_LENGTH:
        raise FilterError(f"the filter is too long ({len(text)} characters, at most {MAX_LENGTH})")
    tokens = _tokenize(text)
    if not tokens:
        raise FilterError("the filter is empty")
    if sum(1 for token in tokens if token.kind == "word") > MAX_TERMS:
        raise FilterError(f"the filter has too many terms (at most {MAX_TERMS})")
    parser = _Parser(tokens)
    expr = parser.parse_or(0)
    if parser.index < len(tokens):
        token = tokens[parser.index]
        raise FilterError(f"unexpected '{token.value}' at position {token.position + 1}")
    return expr


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, None, char, i))
            i += 1
        else:
            i = _read_word(text, i, tokens)
    return tokens


def _read_word(text: str, start: int, tokens: list[_Token]) -> int:
    """Read one term (bare and quoted parts, no spaces between them) starting at ``start``."""
    parts: list[tuple[str, bool]] = []
    i = start
    while i < len(text) and not text[i].isspace() and text[i] not in "()":
        if text[i] in "\"'":
            end = text.find(text[i], i + 1)
            if end < 0:
                raise FilterError(f"unterminated quote starting at position {i + 1}")
            parts.append((text[i + 1 : end], True))
            i = end + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "()\"'":
                j += 1
            parts.append((text[i:j], False))
            i = j
    if len(parts) == 1 and not parts[0][1] and parts[0][0].upper() in _KEYWORDS:
        tokens.append(_Token(parts[0][0].upper(), None, parts[0][0], start))
        return i
    key, value = _split_key_value(parts, start)
    tokens.append(_Token("word", key, value, start))
    return i


def _split_key_value(parts: list[tuple[str, bool]], start: int) -> tuple[str | None, str]:
    """Split at the first unquoted '=' into (key, value); text terms have no key."""
    key_parts: list[str] = []
    for index, (part, quoted) in enumerate(parts):
        if not quoted and "=" in part:
            before, after = part.split("=", 1)
            key = ("".join(key_parts) + before).strip()
            value = after + "".join(p for p, _ in parts[index + 1 :])
            if not key:
                raise FilterError(f"a key is missing before '=' at position {start + 1}")
            if not value:
                raise FilterError(f"a value is missing after '{key}=' at position {start + 1}")
            return key, value
        key_parts.append(part)
    value = "".join(key_parts)
    if not value:
        raise FilterError(f"an empty quoted term at position {start + 1}")
    return None, value


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse_or(self, depth: int) -> Expr:
        operands = [self.parse_and(depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self.index += 1
            operands.append(self.parse_and(depth))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, depth: int) -> Expr:
        operands = [self.parse_not(depth)]
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.index += 1
            operands.append(self.parse_not(depth))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise FilterError(f"the filter is nested too deeply (at most {MAX_DEPTH} levels)")
        token = self._peek()
        if token is None:
            previous = self.tokens[self.index - 1]
            raise FilterError(
                f"a term is missing after '{previous.value}' at position {previous.position + 1}"
            )
        self.index += 1
        if token.kind == "NOT":
            return Not(self.parse_not(depth + 1))
        if token.kind == "(":
            inner = self.parse_or(depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise FilterError(f"the '(' at position {token.position + 1} is never closed")
            self.index += 1
            return inner
        if token.kind == "word":
            return _make_term(token)
        raise FilterError(f"unexpected '{token.value}' at position {token.position + 1}")


def _make_term(token: _Token) -> Term:
    if token.key is None and _IPV4.match(token.value):
        try:
            ipaddress.ip_network(token.value, strict=False)
        except ValueError:
            raise FilterError(
                f"'{token.value}' at position {token.position + 1} is not a valid IPv4 address"
            ) from None
    return Term(token.key, token.value, token.position)


def wildcard_match(pattern: str, text: str, *, whole: bool) -> bool:
    """Case-insensitive match with ``*`` wildcards, linear time (no regular expressions)."""
    pieces = pattern.lower().split("*")
    text = text.lower()
    if len(pieces) == 1:
        return text == pieces[0] if whole else pieces[0] in text
    first, last = pieces[0], pieces[-1]
    if whole and not (text.startswith(first) and text.endswith(last)):
        return False
    position = len(first) if whole else 0
    end = len(text) - len(last) if whole else len(text)
    for piece in pieces[1:-1] if whole else pieces:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return position <= end


def compile_filter(expr: Expr) -> Callable[[Node], bool]:
    """Turn an expression into a predicate on nodes."""
    if isinstance(expr, Term):
        return _compile_term(expr)
    if isinstance(expr, Not):
        inner = compile_filter(expr.operand)
        return lambda node: not inner(node)
    parts = [compile_filter(operand) for operand in expr.operands]
    if isinstance(expr, And):
        return lambda node: all(part(node) for part in parts)
    return lambda node: any(part(node) for part in parts)


def _compile_term(term: Term) -> Callable[[Node], bool]:
    value = term.value
    if term.key is None:
        if _IPV4.match(value):
            network = ipaddress.ip_network(value, strict=False)
            return lambda node: _has_address(node, network)
        return lambda node: (
            wildcard_match(value, node.name, whole=False)
            or wildcard_match(value, node.resource_id, whole=False)
            or any(wildcard_match(value, ip, whole=False) for ip in node.ip_addresses)
        )
    key = term.key.lower()
    if key == "type":
        return lambda node: (
            wildcard_match(value, node.component, whole=True)
            or wildcard_match(value, node.arm_type, whole=True)
        )
    if value == "*":
        return lambda node: any(tag.lower() == key for tag in node.tags)
    return lambda node: any(
        tag.lower() == key and wildcard_match(value, tag_value, whole=True)
        for tag, tag_value in node.tags.items()
    )


def _has_address(node: Node, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    for text in node.ip_addresses:
        try:
            if ipaddress.ip_interface(text).ip in network:
                return True
        except ValueError:
            continue
    return False


def apply_filter(graph: Graph, expr: Expr | None, exclude: tuple[str, ...] = ()) -> Graph:
    """Keep the nodes that match ``expr`` and are not of an excluded type, and their edges."""
    excluded = {item.strip().lower() for item in exclude if item.strip()}
    keep = compile_filter(expr) if expr is not None else None
    nodes = [
        node
        for node in graph.nodes
        if node.component.lower() not in excluded
        and node.arm_type.lower() not in excluded
        and (keep is None or keep(node))
    ]
    if len(nodes) == len(graph.nodes):
        return graph
    kept = {node.key for node in nodes}
    edges = [edge for edge in graph.edges if edge.source in kept and edge.target in kept]
    return Graph(nodes=nodes, edges=edges)


def _type_terms(expr: Expr) -> list[Term]:
    if isinstance(expr, Term):
        return [expr] if expr.key is not None and expr.key.lower() == "type" else []
    if isinstance(expr, Not):
        return _type_terms(expr.operand)
    return [term for operand in expr.operands for term in _type_terms(operand)]


def has_type_terms(expr: Expr | None) -> bool:
    return expr is not None and bool(_type_terms(expr))


def check_types(expr: Expr | None, components: set[str], arm_types: set[str]) -> None:
    """Raise ``UnknownType`` when a ``type=`` term matches none of the given types (the account's
    whole inventory), naming the types it has; a type absent from one region is no error."""
    if expr is None:
        return
    for term in _type_terms(expr):
        if any(wildcard_match(term.value, t, whole=True) for t in components | arm_types):
            continue
        known = sorted(components)
        raise UnknownType(
            f"no resource type named '{term.value}' (position {term.position + 1}): this account "
            f"has {', '.join(known) or 'no resources'}"
            + (f", or an ARM type such as {min(arm_types)}" if arm_types else ""),
            detail={"known": known, "knownArmTypes": sorted(arm_types)},
        )
