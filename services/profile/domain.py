"""Profile domain: plain Python, no protobuf, no database.

Enum values equal the protobuf enum numbers so the servicer can convert
with int(); names are what the ledger's canonical payloads record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import IntEnum


class Purpose(IntEnum):
    PERSONALIZED_OFFERS = 1
    PROFILING = 2
    MARKETING = 3
    SALE_SHARING = 4


class Channel(IntEnum):
    EMAIL = 1
    SMS = 2
    PUSH = 3
    IN_APP = 4
    ALL = 5


CONCRETE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP)


class ConsentState(IntEnum):
    GRANTED = 1
    DENIED = 2
    WITHDRAWN = 3


class ConsentSource(IntEnum):
    WEB = 1
    APP = 2
    SUPPORT = 3
    IMPORT = 4
    GPC_SIGNAL = 5


class Reason(IntEnum):
    CONSENTED = 1
    OPTED_OUT = 2
    NO_CONSENT = 3
    CONSENT_EXPIRED = 4
    CONSENT_WITHDRAWN = 5
    CONSENT_DENIED = 6
    CHANNEL_NOT_CONSENTED = 7
    CUSTOMER_ERASED = 8
    GPC_OPT_OUT = 9


class EntryKind(IntEnum):
    CONSENT_CHANGED = 1
    OPT_OUT_CHANGED = 2
    GPC_RECORDED = 3
    CUSTOMER_ERASED = 4
    KEY_ROTATED = 5
    CUSTOMER_CREATED = 6


class EventType(IntEnum):
    VIEW = 1
    SEARCH = 2
    ADD_TO_CART = 3
    REMOVE_FROM_CART = 4
    CHECKOUT_STARTED = 5
    PURCHASE = 6
    COUPON_REDEEMED = 7
    LOGIN = 8


# Purposes a Global Privacy Control signal opts out of.
GPC_PURPOSES = frozenset({Purpose.PERSONALIZED_OFFERS, Purpose.SALE_SHARING})


@dataclass(frozen=True)
class Evidence:
    """Proof of a consent change. Holds no personal data."""

    source: ConsentSource
    notice_version: str
    actor: str
    capture_time: datetime
    expire_time: datetime | None = None

    def to_payload(self) -> dict:
        return {
            "source": self.source.name,
            "notice_version": self.notice_version,
            "actor": self.actor,
            "capture_time": iso(self.capture_time),
            "expire_time": iso(self.expire_time) if self.expire_time else None,
        }


@dataclass(frozen=True)
class Consent:
    """The current state for one purpose and channel."""

    purpose: Purpose
    channel: Channel
    state: ConsentState
    expire_time: datetime | None = None


@dataclass(frozen=True)
class ConsentView:
    """Everything a decision is based on, for one customer."""

    erased: bool
    opted_out: bool
    gpc_signal: bool
    consents: tuple[Consent, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    allowed_channels: tuple[Channel, ...]


def iso(value: datetime) -> str:
    """RFC 3339 UTC with microseconds: the one time format of the ledger."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _state_reason(consent: Consent, now: datetime) -> Reason:
    if consent.state == ConsentState.GRANTED:
        if consent.expire_time is not None and consent.expire_time <= now:
            return Reason.CONSENT_EXPIRED
        return Reason.CONSENTED
    if consent.state == ConsentState.WITHDRAWN:
        return Reason.CONSENT_WITHDRAWN
    return Reason.CONSENT_DENIED


def _channel_reason(by_channel: dict[Channel, Consent], channel: Channel, now: datetime) -> Reason:
    """The reason for one purpose on one channel, given that purpose's records.

    A record for the exact channel wins over a CHANNEL_ALL record; a request
    for CHANNEL_ALL needs a CHANNEL_ALL record.
    """
    record = by_channel.get(channel)
    if record is None and channel != Channel.ALL:
        record = by_channel.get(Channel.ALL)
    if record is not None:
        return _state_reason(record, now)
    return Reason.CHANNEL_NOT_CONSENTED if by_channel else Reason.NO_CONSENT


def decide(view: ConsentView, purpose: Purpose, channel: Channel, now: datetime) -> Decision:
    """May this customer's data be used for `purpose` on `channel` now?

    Precedence: erasure, then the global opt-out (overrides every grant),
    then a GPC signal (for the purposes it covers), then the consent record.
    No record means no consent; an expired grant is no consent.
    """
    if view.erased:
        return Decision(False, Reason.CUSTOMER_ERASED, ())
    if view.opted_out:
        return Decision(False, Reason.OPTED_OUT, ())
    if view.gpc_signal and purpose in GPC_PURPOSES:
        return Decision(False, Reason.GPC_OPT_OUT, ())
    by_channel = {c.channel: c for c in view.consents if c.purpose == purpose}
    reason = _channel_reason(by_channel, channel, now)
    allowed_channels = tuple(c for c in CONCRETE_CHANNELS
                             if _channel_reason(by_channel, c, now) == Reason.CONSENTED)
    return Decision(reason == Reason.CONSENTED, reason, allowed_channels)


def apply_change(consents: dict[tuple[Purpose, Channel], Consent], change: Consent) -> dict[tuple[Purpose, Channel], Consent]:
    """The consent records after `change`: a CHANNEL_ALL change replaces every
    channel-specific record of its purpose, so the last change always wins."""
    result = dict(consents)
    if change.channel == Channel.ALL:
        for key in [k for k in result if k[0] == change.purpose]:
            del result[key]
    result[(change.purpose, change.channel)] = change
    return result


# -- validation and normalization of personal fields --------------------------

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_ATTRIBUTE_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# ISO 3166-1 alpha-2, officially assigned codes.
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

MAX_EXTERNAL_ID = 256
MAX_NAME = 200
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_VALUE = 1024


def normalize_email(value: str) -> str:
    return value.strip().lower()


def valid_email(normalized: str) -> bool:
    return len(normalized) <= 254 and bool(_EMAIL.match(normalized))


def normalize_phone(value: str) -> str:
    return value.strip()


def valid_phone(normalized: str) -> bool:
    return bool(_PHONE.match(normalized))


def valid_country(value: str) -> bool:
    return value in COUNTRIES


def valid_language(value: str) -> bool:
    return len(value) <= 35 and bool(_LANGUAGE.match(value))


def valid_birth_date(value: str, today: date) -> bool:
    if not _DATE.match(value):
        return False
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def valid_attribute_key(key: str) -> bool:
    return bool(_ATTRIBUTE_KEY.match(key))


# Personal fields, in the order they are stored. Each one is encrypted.
PERSONAL_FIELDS = ("external_id", "email", "phone", "given_name", "family_name", "birth_date", "country_code",
                   "attributes")


@dataclass
class PersonalData:
    """A customer's personal fields in clear; lives only inside a request."""

    external_id: str = ""
    email: str = ""
    phone: str = ""
    given_name: str = ""
    family_name: str = ""
    birth_date: str = ""
    country_code: str = ""
    attributes: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print personal data by accident
        return "PersonalData(<redacted>)"

    __str__ = __repr__
