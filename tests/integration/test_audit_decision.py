"""A privacy officer asks why an offer was, or was not, made."""

import json

from typer.testing import CliRunner

from couponry_services.cli import app
from tests.integration.thin_path import Stubs, active_campaigns, create_customer, offers_for


def run_audit(stack, monkeypatch, decision_id: str):
    for name, service in stack.items():
        monkeypatch.setenv(f"COUPONRY_{name.upper()}_TARGET", f"127.0.0.1:{service.port}")
    return CliRunner().invoke(app, ["audit", "decision", decision_id])


def test_a_refusal_is_explained_with_the_consent_ledger_behind_it(stack, monkeypatch):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    decision = offers_for(stubs, create_customer(stubs, consent=True, opted_out=True)).decision

    result = run_audit(stack, monkeypatch, decision.decision_id)

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["why"] == "no offer: NO_OFFER_REASON_CONSENT_DENIED; consent DECISION_REASON_OPTED_OUT"
    kinds = [e["kind"] for e in document["consent_ledger_up_to_decision"]]
    assert kinds[-1] == "LEDGER_ENTRY_KIND_OPT_OUT_CHANGED"
    assert all(int(e["sequence"]) <= decision.consent_ledger_sequence for e in document["consent_ledger_up_to_decision"])


def test_an_offer_is_explained_with_its_code_masked(stack, monkeypatch):
    stubs = Stubs(stack)
    active_campaigns(stubs)
    response = offers_for(stubs, create_customer(stubs, consent=True))
    code = response.offers[0].code

    result = run_audit(stack, monkeypatch, response.decision.decision_id)

    assert result.exit_code == 0, result.output
    assert code not in result.output
    document = json.loads(result.output)
    assert document["decision"]["offers"][0]["code"].endswith(code[-3:])
    assert document["why"] == "offered: consent DECISION_REASON_CONSENTED"


def test_an_unknown_decision_is_a_clear_error(stack, monkeypatch):
    result = run_audit(stack, monkeypatch, "no-such-decision")
    assert result.exit_code == 1 and "DECISION_NOT_FOUND" in result.output
