"""Codes and discounts: plain Python, no gRPC, no database.

Code format
-----------
A code is `prefix + pattern + postfix + check`. The pattern's `#` characters
are drawn with `secrets` from an alphabet of 31 characters without look-alikes
(no 0/O, 1/I/L). The check character is a position-weighted sum of every
character of the normalized code modulo 31 (31 is prime and every weight is
in 1..29, never the check's own -1), so replacing any one character by another alphabet character, or
swapping two neighbours, always changes the sum and the code is rejected
before any lookup.

Normalization (the same when minting and when a code is entered): Unicode
NFKC (full-width letters become ASCII), upper case, every space, dash,
underscore, dot or slash removed, and the look-alikes a literal prefix may
contain read as the alphabet character they resemble (0 and O as Q; 1, I and
L as J). "spring-abcd efgh7", "SPRJNG ABCD EFGH7" and "SPRINGABCDEFGH7" are
the same code. Folding look-alikes is what lets one check character over the
31-character alphabet catch every single-character typo anywhere in the code,
prefix included.
"""

from __future__ import annotations

import functools
import secrets
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
assert len(ALPHABET) == 31
_MODULUS = 31
# Characters that may appear in a literal prefix/postfix but never in the
# random part; normalization folds them onto the character they resemble.
_FOLD = str.maketrans({"0": "Q", "O": "Q", "1": "J", "I": "J", "L": "J"})
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
KEY_CHARACTERS = frozenset(ALPHABET)
CODE_CHARACTERS = frozenset(ALPHABET + "01ILO")
_SEPARATORS = frozenset(" -_./")

MIN_RANDOM = 8
MAX_RANDOM = 32
DEFAULT_LENGTH = 10
MAX_LITERAL = 24
MAX_KEY_LENGTH = 80
MAX_RAW_CODE_LENGTH = 120
# Shortest well-formed key: the random part plus its check character.
MIN_KEY_LENGTH = MIN_RANDOM + 1


class CodeType(IntEnum):
    PERSONAL = 1
    SHARED = 2


class PromotionState(IntEnum):
    ACTIVE = 1
    PAUSED = 2
    ENDED = 3


class CodeState(IntEnum):
    ACTIVE = 1
    EXHAUSTED = 2
    EXPIRED = 3
    VOIDED = 4


class DiscountType(IntEnum):
    PERCENT = 1
    FIXED_AMOUNT = 2
    FREE_SHIPPING = 3
    GIFT_ITEM = 4


class RedemptionState(IntEnum):
    REDEEMED = 1
    ROLLED_BACK = 2


class ReservationState(IntEnum):
    HELD = 1
    CONFIRMED = 2
    RELEASED = 3
    EXPIRED = 4


def _is_separator(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) in ("Zs", "Pd", "Cc", "Cf")


# ASCII input (nearly every code typed or scanned) is already in NFKC form,
# so one table does its whole normalization: separators out, look-alikes folded.
_ASCII_KEY = {**{ord(c): None for c in map(chr, range(128)) if _is_separator(c)}, **_FOLD}


def normalize_code(raw: str) -> str:
    """The lookup key of a code as minted or as typed."""
    if raw.isascii():
        return raw.upper().translate(_ASCII_KEY)
    return _normalize_any(raw)


def _normalize_any(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not _is_separator(c)).translate(_FOLD)


def check_character(body: str) -> str:
    """The check character of a normalized code body (everything but the check)."""
    total = 0
    for position, char in enumerate(body):
        # Weights run 1..29 and never reach 30 (= -1 mod 31), the weight the
        # check character itself carries; otherwise swapping the check with
        # its neighbour at a weight-30 position would go unnoticed.
        total += ((position % (_MODULUS - 2)) + 1) * _VALUES[char]
    return ALPHABET[total % _MODULUS]


def well_formed(key: str) -> bool:
    """True if a normalized key has only code characters and a matching check."""
    if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH:
        return False
    if any(c not in KEY_CHARACTERS for c in key):
        return False
    return check_character(key[:-1]) == key[-1]


def normalize_literal(text: str) -> str:
    """A prefix/postfix/pattern literal: NFKC and upper case, separators kept."""
    return unicodedata.normalize("NFKC", text).upper().strip()


@dataclass(frozen=True)
class Pattern:
    """The shape of minted codes."""

    prefix: str = ""
    postfix: str = ""
    pattern: str = ""
    length: int = DEFAULT_LENGTH

    @property
    def template(self) -> str:
        return self.pattern or "#" * (self.length or DEFAULT_LENGTH)

    @property
    def random_count(self) -> int:
        return self.template.count("#")

    def problems(self) -> list[tuple[str, str]]:
        """(field, description) for every reason this pattern cannot be used."""
        found = []
        for name, value in (("prefix", self.prefix), ("postfix", self.postfix)):
            if len(value) > MAX_LITERAL:
                found.append((name, f"at most {MAX_LITERAL} characters"))
            if any(c not in CODE_CHARACTERS and not _is_separator(c) for c in value):
                found.append((name, "only letters A-Z, digits and separators (space - _ . /)"))
        if self.pattern:
            if len(self.pattern) > 64:
                found.append(("pattern", "at most 64 characters"))
            if any(c != "#" and c not in CODE_CHARACTERS and not _is_separator(c) for c in self.pattern):
                found.append(("pattern", "only '#', letters A-Z, digits and separators"))
        elif not (0 <= self.length <= MAX_RANDOM):
            found.append(("length", f"must be between {MIN_RANDOM} and {MAX_RANDOM}"))
        if not found and not MIN_RANDOM <= self.random_count <= MAX_RANDOM:
            found.append(("pattern" if self.pattern else "length",
                          f"needs {MIN_RANDOM} to {MAX_RANDOM} random characters"))
        if not found and len(normalize_code(self.prefix + self.template + self.postfix)) + 1 > MAX_KEY_LENGTH:
            found.append(("pattern", f"codes would be longer than {MAX_KEY_LENGTH} characters"))
        return found


def random_characters(count: int) -> str:
    """`count` characters of ALPHABET from the operating system's CSPRNG, unbiased."""
    out: list[str] = []
    limit = 256 - 256 % _MODULUS  # reject the top bytes so every character is equally likely
    while len(out) < count:
        for byte in secrets.token_bytes(count * 2):
            if byte < limit:
                out.append(ALPHABET[byte % _MODULUS])
                if len(out) == count:
                    break
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: Pattern) -> tuple[str, tuple[str | None, ...], str]:
    """The pattern's literals normalized once: (prefix, template with None for '#', postfix)."""
    return (normalize_code(pattern.prefix), tuple(None if c == "#" else normalize_code(c) for c in pattern.template),
            normalize_code(pattern.postfix))


def mint(pattern: Pattern) -> tuple[str, str]:
    """A new code: (display form, normalized key); normalize_code(display) == key."""
    prefix, template, postfix = _compiled(pattern)
    randoms = random_characters(pattern.random_count)
    position = 0
    shown, keyed = [], []
    for raw, literal in zip(pattern.template, template):
        if literal is None:
            shown.append(randoms[position])
            keyed.append(randoms[position])
            position += 1
        else:
            shown.append(raw)
            keyed.append(literal)
    body = prefix + "".join(keyed) + postfix
    check = check_character(body)
    return pattern.prefix + "".join(shown) + pattern.postfix + check, body + check


# --- orders and discounts ---------------------------------------------------


@dataclass(frozen=True)
class Scope:
    include_skus: frozenset[str] = frozenset()
    exclude_skus: frozenset[str] = frozenset()
    include_categories: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()

    def covers(self, sku: str, category: str) -> bool:
        if sku in self.exclude_skus or category in self.exclude_categories:
            return False
        if not self.include_skus and not self.include_categories:
            return True
        return sku in self.include_skus or category in self.include_categories

    def to_json(self) -> dict:
        return {k: sorted(getattr(self, k)) for k in
                ("include_skus", "exclude_skus", "include_categories", "exclude_categories")}

    @classmethod
    def from_json(cls, data: dict | None) -> Scope:
        data = data or {}
        return cls(**{k: frozenset(data.get(k) or ()) for k in
                      ("include_skus", "exclude_skus", "include_categories", "exclude_categories")})


@dataclass(frozen=True)
class Terms:
    """What a promotion grants and on which orders."""

    discount_type: DiscountType
    currency_code: str
    percent: int = 0
    percent_cap_minor: int | None = None
    amount_minor: int | None = None
    gift_sku: str = ""
    minimum_order_minor: int | None = None
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True)
class Line:
    sku: str
    category: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True)
class Order:
    order_id: str
    total_minor: int
    currency_code: str
    lines: tuple[Line, ...] = ()
    shipping_minor: int = 0


@dataclass(frozen=True)
class RuleFailure:
    reason: str
    message: str
    shortfall_minor: int | None = None


def eligible_minor(terms: Terms, order: Order) -> int:
    """The part of the order the discount applies to."""
    if not order.lines:
        return order.total_minor
    covered = sum(line.unit_price_minor * line.quantity for line in order.lines
                  if terms.scope.covers(line.sku, line.category))
    return min(covered, order.total_minor)


def discount_minor(terms: Terms, order: Order) -> int:
    """The discount `terms` give on `order`, never more than the order is worth."""
    eligible = eligible_minor(terms, order)
    if terms.discount_type is DiscountType.PERCENT:
        value = eligible * terms.percent // 100
        if terms.percent_cap_minor is not None:
            value = min(value, terms.percent_cap_minor)
        return value
    if terms.discount_type is DiscountType.FIXED_AMOUNT:
        return min(terms.amount_minor or 0, eligible)
    if terms.discount_type is DiscountType.FREE_SHIPPING:
        return min(order.shipping_minor, order.total_minor)
    return 0  # a gift item is added to the order; no money is taken off


def order_failures(terms: Terms, order: Order) -> list[RuleFailure]:
    """Every order-level rule the order fails, with the shortfall where there is one."""
    failures = []
    if order.currency_code != terms.currency_code:
        failures.append(RuleFailure("CURRENCY_MISMATCH", f"the promotion is in {terms.currency_code}"))
        return failures
    if terms.minimum_order_minor is not None and order.total_minor < terms.minimum_order_minor:
        failures.append(RuleFailure("ORDER_BELOW_MINIMUM", "the order is below the promotion's minimum",
                                    terms.minimum_order_minor - order.total_minor))
    if order.lines and not any(terms.scope.covers(line.sku, line.category) for line in order.lines):
        failures.append(RuleFailure("PRODUCT_NOT_ELIGIBLE", "no product of the order is covered by the promotion"))
    return failures


# --- analytics ------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return float(ordered[min(rank, len(ordered)) - 1])
