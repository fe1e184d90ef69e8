"""Property-based tests: the ledger's canonical encoding and consent state
transitions (pure, and through the real service and database)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from couponry_services.profile.config import ProfileConfig
from couponry_services.profile.domain import (
    CONCRETE_CHANNELS,
    GPC_PURPOSES,
    Channel,
    Consent,
    ConsentSource,
    ConsentState,
    ConsentView,
    EntryKind,
    Evidence,
    PersonalData,
    Purpose,
    Reason,
    apply_change,
    decide,
)
from couponry_services.profile.keyring import FileKeyring
from couponry_services.profile.ledger import CanonicalError, canonical, chain_hash, entry_document
from couponry_services.profile.service import ProfileCore

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(json_values)
def test_canonical_round_trips_and_is_a_fixed_point(value):
    encoded = canonical(value)
    decoded = json.loads(encoded)
    assert decoded == value
    assert canonical(decoded) == encoded
    encoded.decode("utf-8")  # always valid UTF-8


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6), st.randoms())
def test_canonical_ignores_key_order(mapping, rnd):
    items = list(mapping.items())
    rnd.shuffle(items)
    assert canonical(dict(items)) == canonical(mapping)


@given(json_values, json_values)
def test_canonical_is_injective(a, b):
    if canonical(a) == canonical(b):
        assert json.loads(canonical(a)) == json.loads(canonical(b))
    if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True):
        assert canonical(a) != canonical(b)


@given(st.floats(allow_nan=True) | st.lists(st.floats(), min_size=1))
def test_floats_have_no_canonical_encoding(value):
    with pytest.raises(CanonicalError):
        canonical(value)


@given(st.integers(min_value=1, max_value=10**9), st.text(max_size=64), st.sampled_from(list(EntryKind)),
       st.dictionaries(st.text(max_size=8), json_values, max_size=4), st.text(alphabet="0123456789abcdef",
                                                                             min_size=64, max_size=64))
def test_any_change_to_an_entry_changes_its_hash(sequence, subject, kind, payload, previous):
    when = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
    base = chain_hash(previous, entry_document(sequence, subject, kind, when, payload))
    assert chain_hash(previous, entry_document(sequence + 1, subject, kind, when, payload)) != base
    assert chain_hash(previous, entry_document(sequence, subject + "x", kind, when, payload)) != base
    assert chain_hash(previous, entry_document(sequence, subject, kind, when + timedelta(microseconds=1),
                                               payload)) != base
    assert chain_hash(previous, entry_document(sequence, subject, kind, when, {**payload, "extra": 1})) != base
    assert chain_hash("", entry_document(sequence, subject, kind, when, payload)) != base


# -- consent transitions --------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
changes = st.lists(st.one_of(
    st.tuples(st.just("consent"), st.sampled_from(list(Purpose)), st.sampled_from(list(Channel)),
              st.sampled_from(list(ConsentState)), st.booleans()),
    st.tuples(st.just("opt_out"), st.booleans()),
    st.tuples(st.just("gpc"), st.booleans()),
), max_size=12)


def model_reason(history, opted_out, gpc, purpose, channel) -> Reason:
    """The specification, written independently of the implementation: the
    last change for the purpose on this channel or on every channel wins."""
    if opted_out:
        return Reason.OPTED_OUT
    if gpc and purpose in GPC_PURPOSES:
        return Reason.GPC_OPT_OUT
    relevant = [c for c in history if c.purpose == purpose and
                (c.channel == channel or (c.channel == Channel.ALL and channel != Channel.ALL))]
    if channel == Channel.ALL:
        relevant = [c for c in history if c.purpose == purpose and c.channel == Channel.ALL]
    if not relevant:
        return Reason.CHANNEL_NOT_CONSENTED if any(c.purpose == purpose for c in history) else Reason.NO_CONSENT
    last = relevant[-1]
    if last.state == ConsentState.WITHDRAWN:
        return Reason.CONSENT_WITHDRAWN
    if last.state == ConsentState.DENIED:
        return Reason.CONSENT_DENIED
    return Reason.CONSENT_EXPIRED if last.expire_time and last.expire_time <= NOW else Reason.CONSENTED


def _replay(steps):
    history, records, opted_out, gpc = [], {}, False, False
    for step in steps:
        if step[0] == "consent":
            _, purpose, channel, state, expired = step
            change = Consent(purpose, channel, state, NOW - timedelta(hours=1) if expired else None)
            history.append(change)
            records = apply_change(records, change)
        elif step[0] == "opt_out":
            opted_out = step[1]
        else:
            gpc = step[1]
    return history, records, opted_out, gpc


@given(changes)
def test_decisions_follow_the_last_change(steps):
    history, records, opted_out, gpc = _replay(steps)
    view = ConsentView(False, opted_out, gpc, tuple(records.values()))
    for purpose in Purpose:
        for channel in Channel:
            decision = decide(view, purpose, channel, NOW)
            expected = model_reason(history, opted_out, gpc, purpose, channel)
            assert decision.reason == expected, (purpose, channel)
            assert decision.allowed == (expected == Reason.CONSENTED)
            assert set(decision.allowed_channels) == {
                c for c in CONCRETE_CHANNELS if model_reason(history, opted_out, gpc, purpose, c) == Reason.CONSENTED}
    assert decide(ConsentView(True, opted_out, gpc, tuple(records.values())), Purpose.PROFILING, Channel.ALL,
                  NOW).reason == Reason.CUSTOMER_ERASED


@pytest.fixture
def core_and_db(database, settings):
    keyring = FileKeyring.open_or_create(settings.data_dir / "keyring.json")
    return ProfileCore(keys=keyring, secrets=keyring.secrets, config=ProfileConfig()), database("profile")


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=changes, seed=st.integers(0, 10**6))
def test_stored_state_follows_the_last_change(core_and_db, steps, seed):
    """The same transitions through the real use cases and database."""
    core, db = core_and_db
    customer = db.run(lambda s: core.create_customer(s, PersonalData(external_id=f"p-{seed}-{uuid.uuid4().hex}"),
                                                     0, ""))
    cid = customer.customer_id
    history, opted_out, gpc = [], False, False
    for step in steps:
        if step[0] == "consent":
            _, purpose, channel, state, _expired = step  # expiry in the past is refused at the edge
            evidence = Evidence(ConsentSource.WEB, "1", "customer", NOW)
            db.run(lambda s: core.set_consent(s, cid, purpose, channel, state, evidence))
            history.append(Consent(purpose, channel, state))
        elif step[0] == "opt_out":
            db.run(lambda s: core.set_opt_out(s, cid, step[1], Evidence(ConsentSource.APP, "1", "customer", NOW)))
            opted_out = step[1]
        else:
            db.run(lambda s: core.set_opt_out(s, cid, step[1], Evidence(ConsentSource.GPC_SIGNAL, "", "browser", NOW)))
            gpc = step[1]
    with db.transaction() as session:
        for purpose in Purpose:
            for channel in Channel:
                _, decision, _, _ = core.authorize(session, cid, purpose, channel, record=False)
                assert decision.reason == model_reason(history, opted_out, gpc, purpose, channel), (purpose, channel)
    assert db.run(core.ledger.verify).valid
