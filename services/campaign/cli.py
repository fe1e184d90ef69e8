"""`couponry audit decision`: why an offer was, or was not, made.

For privacy officers: reads one logged offer decision from the campaign
service and the consent ledger entries of its subject from the profile
service, up to the ledger position the consent decision rested on, and prints
them as one JSON document. Codes are masked: a code is a bearer token.
"""

from __future__ import annotations

import json
from typing import Annotated

import grpc
import typer
from google.protobuf import json_format

from couponry.campaign.v1 import campaign_pb2
from couponry.campaign.v1 import campaign_service_pb2 as campaign_api
from couponry.profile.v1 import profile_service_pb2 as profile_api
from couponry_client import Couponry, CouponryError

MAX_LEDGER_PAGES = 50


def mask(code: str) -> str:
    return "*" * max(len(code) - 3, 0) + code[-3:]


def explain(couponry: Couponry, decision_id: str) -> dict:
    decision = couponry.campaign.GetOfferDecision(campaign_api.GetOfferDecisionRequest(decision_id=decision_id)).decision
    document = json_format.MessageToDict(decision, preserving_proto_field_name=True)
    for offer in document.get("offers", []):
        offer["code"] = mask(offer.get("code", ""))
    entries: list[dict] = []
    if decision.subject_ref and decision.consent_ledger_sequence:
        token = ""
        for _ in range(MAX_LEDGER_PAGES):
            page = couponry.profile.ListLedgerEntries(profile_api.ListLedgerEntriesRequest(
                subject_ref=decision.subject_ref, page_size=200, page_token=token))
            entries += [json_format.MessageToDict(e, preserving_proto_field_name=True)
                        for e in page.entries if e.sequence <= decision.consent_ledger_sequence]
            token = page.next_page_token
            if not token:
                break
    return {
        "decision": document,
        "why": (f"offered: consent {decision.consent_reason or 'n/a'}" if decision.offers else
                f"no offer: {campaign_pb2.NoOfferReason.Name(decision.reason)}; "
                f"consent {decision.consent_reason or 'not asked'}"),
        "consent_ledger_up_to_decision": entries,
    }


def register(audit_app: typer.Typer) -> None:
    @audit_app.command("decision")
    def audit_decision(
        decision_id: Annotated[str, typer.Argument(help="The offer decision id (GetPersonalizedOffers' decision).")],
        timeout: Annotated[float, typer.Option(help="Seconds per call.")] = 5.0,
    ) -> None:
        """Explain one offer decision: what was offered or why not, and the consent it rested on.

        Asks the campaign and profile services over gRPC (COUPONRY_CAMPAIGN_TARGET,
        COUPONRY_PROFILE_TARGET, or host and ports); prints one JSON document with the
        decision, a one-line reason and the subject's consent ledger entries up to the
        position the decision was based on. Codes are masked.
        """
        with Couponry.from_env(timeout_seconds=timeout) as couponry:
            try:
                document = explain(couponry, decision_id)
            except grpc.RpcError as error:
                problem = CouponryError.of(error)
                typer.echo(f"{problem.code.name}: {problem.reason or ''} {problem.details.message}", err=True)
                raise typer.Exit(1) from None
        typer.echo(json.dumps(document, indent=2, sort_keys=True))
