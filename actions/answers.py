"""Answers to questions about the rules (interest, collection, credit reports, evidence), each
rendered from the knowledge base with its sources."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from borrower.advice import behaviours_in
from borrower.apr import AprError, LoanFigures, read_figures, real_apr
from borrower.knowledge import knowledge
from borrower.lexicon import out_of_scope_channel
from borrower.render import render


def _latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


# A loan is often described over a few messages ("到手5万，每月还2523" … "36期").
_LOAN_MESSAGES = 3


def _loan_figures(tracker: Tracker) -> LoanFigures:
    """The loan figures of the latest message, completed by the user's messages before it as
    long as those were answers (inform) following the question, newest first."""
    texts = []
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        texts.append(event.get("text") or "")
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "inform" or len(texts) == _LOAN_MESSAGES:
            break
    figures = LoanFigures()
    for text in texts or [_latest_text(tracker)]:
        figures = figures.completed_by(read_figures(text))
    return figures


class ActionExplainInterest(Action):
    """The interest and fee lines with their sources; the real APR when the user gave the loan's
    figures, or what is still needed to compute it."""

    def name(self) -> Text:
        return "action_explain_interest"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge()
        figures = _loan_figures(tracker)
        loan, apr, reason = figures.terms(), None, None
        if loan:
            try:
                apr = round(real_apr(loan.received, loan.payments).apr * 100, 1)
            except AprError as error:
                reason = error.code
        # A follow-up that only adds figures gets the calculation, not the whole answer again.
        asked = (tracker.latest_message.get("intent") or {}).get("name") != "inform"
        dispatcher.utter_message(
            response="utter_interest_rules",
            rules=render("interest_rules.j2", rules=kb.interest, lpr=kb.lpr, loan=loan, apr=apr,
                         reason=reason, missing=figures.missing if figures.any else (),
                         show_rules=asked or loan is not None),
        )
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []


class ActionExplainCollectionRules(Action):
    """The rules for the behaviours the question names, or for all of them."""

    def name(self) -> Text:
        return "action_explain_collection_rules"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge()
        asked = [b for b in behaviours_in(_latest_text(tracker)) if b in kb.harassment]
        chosen = asked or list(kb.harassment)
        items = [
            {"label": kb.harassment[b].name, "rule": rule}
            for b in chosen
            for rule in (kb.harassment[b].rules if asked else kb.harassment[b].rules[:1])
        ]
        dispatcher.utter_message(
            response="utter_collection_rules",
            rules=render("collection_rules.j2", items=items, general=kb.harassment_general),
        )
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []


class ActionExplainCreditReport(Action):
    def name(self) -> Text:
        return "action_explain_credit_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge()
        dispatcher.utter_message(
            response="utter_credit_report",
            facts=render("credit_report.j2", facts=kb.credit_report, channel=kb.channel("pboc_12363")),
        )
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []


class ActionExplainEvidence(Action):
    """Evidence for the behaviours the message names, otherwise a list per kind of problem."""

    def name(self) -> Text:
        return "action_explain_evidence"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge()
        behaviours = [b for b in behaviours_in(_latest_text(tracker)) if b in kb.harassment]
        harassment = list(dict.fromkeys(item for b in behaviours for item in kb.harassment[b].evidence))
        general = list(dict.fromkeys(item for entry in kb.harassment.values() for item in entry.evidence[:1]))
        dispatcher.utter_message(
            response="utter_evidence_list",
            items=render(
                "evidence.j2",
                harassment=harassment,
                complaint=kb.complaint_evidence,
                harassment_general=general,
                documents=kb.negotiation.documents,
            ),
        )
        return []


# Where a user who asks for a person or a lawyer is sent while there is no hand-off.
LEGAL_AID_CHANNEL = "legal_aid_12348"


class ActionOutOfScope(Action):
    """A question outside lending: one line saying so, and the public channel that takes that
    kind of problem where the message shows one (a shop → 12315); never the lending ladder."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        channel_id = out_of_scope_channel(_latest_text(tracker))
        if channel_id is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        channel = knowledge().channel(channel_id)
        dispatcher.utter_message(response="utter_out_of_scope_with_channel", channel=channel.name,
                                 contact=channel.contact, handles=channel.handles, source=channel.source)
        return []


class ActionNoHuman(Action):
    """「转人工」「找律师」: there is no person here yet; free legal advice and legal aid through
    12348 (knowledge/channels.yml), and the offer to go on."""

    def name(self) -> Text:
        return "action_no_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        channel = knowledge().channel(LEGAL_AID_CHANNEL)
        dispatcher.utter_message(response="utter_no_human", channel=channel.name, contact=channel.contact,
                                 handles=channel.handles, source=channel.source)
        return []
