"""Request validation that reports every problem at once as field violations."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from .errors import FieldViolation, InvalidArgument

# Active ISO 4217 currency codes: the only ones any service accepts, so that a
# campaign cannot promise terms in a currency redemption would refuse. (XXX,
# "no currency", is deliberately not among them.)
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
""".split())

MAX_PAGE_SIZE = 1000


class Violations:
    """Collects field violations; `raise_if_any` turns them into INVALID_ARGUMENT."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field: str, description: str, reason: str = "INVALID_FIELD") -> None:
        self.items.append(FieldViolation(field, description, reason))

    def check(self, ok: bool, field: str, description: str, reason: str = "INVALID_FIELD") -> bool:
        if not ok:
            self.add(field, description, reason)
        return ok

    def required(self, value: object, field: str) -> bool:
        return self.check(bool(value), field, "is required", "MISSING_FIELD")

    def enum(self, wrapper: EnumTypeWrapper, value: int, field: str, *, required: bool = True) -> bool:
        if value not in wrapper.values():
            self.add(field, f"is not a known {wrapper.DESCRIPTOR.name} value", "UNKNOWN_ENUM_VALUE")
            return False
        if required and value == 0:
            self.add(field, "is required", "MISSING_FIELD")
            return False
        return True

    def currency(self, code: str, field: str) -> bool:
        return self.check(code in CURRENCIES, field, "must be a known ISO 4217 currency code such as EUR",
                          "INVALID_CURRENCY")

    def money(self, money, field: str, *, required: bool = False, currency: str | None = None,
              max_minor: int | None = None) -> bool:
        """A Money value: a known currency, a non-negative amount (at most
        `max_minor`), and `currency` if one is required."""
        if money is None or (not money.currency_code and money.amount_minor == 0):
            return self.check(not required, field, "is required", "MISSING_FIELD")
        code, amount = money.currency_code, money.amount_minor
        known, non_negative = code in CURRENCIES, amount >= 0
        within = max_minor is None or amount <= max_minor
        if known and non_negative and within and (not currency or code == currency):
            return True
        # Field paths and messages are built only for the rules that failed.
        if not known:
            self.currency(code, f"{field}.currency_code")
        if not non_negative:
            self.add(f"{field}.amount_minor", "must not be negative", "NEGATIVE_AMOUNT")
        if not within:
            self.add(f"{field}.amount_minor", f"must be at most {max_minor}", "AMOUNT_TOO_LARGE")
        if known and non_negative and within:  # so the currency is the one that differs
            self.add(f"{field}.currency_code", f"must be {currency}", "CURRENCY_MISMATCH")
        return False

    def page_size(self, value: int, field: str = "page_size") -> bool:
        return self.check(0 <= value <= MAX_PAGE_SIZE, field, f"must be between 0 and {MAX_PAGE_SIZE}")

    def raise_if_any(self, reason: str = "INVALID_REQUEST") -> None:
        if self.items:
            fields = ", ".join(sorted({v.field for v in self.items}))
            raise InvalidArgument(reason, f"invalid request: {fields}", field_violations=self.items)


def validate(checks: Iterable[tuple[bool, str, str]]) -> None:
    """Shorthand for a handful of (ok, field, description) checks."""
    violations = Violations()
    for ok, field, description in checks:
        violations.check(ok, field, description)
    violations.raise_if_any()


def require_fields(values: dict[str, object]) -> None:
    """INVALID_ARGUMENT naming every empty field of `values` (field path -> value)."""
    violations = Violations()
    for field, value in values.items():
        violations.required(value, field)
    violations.raise_if_any()
