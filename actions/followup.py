"""Following a case up: the user says what happened (「我已经向平台投诉了」「平台受理了」「解决了」),
the case's status and reply deadline are recorded, and once the deadline has passed — when the
user comes back (a new session) or asks — the assistant suggests the next step.

Rasa's reminders are not used for the deadline: they live in the Rasa server's memory (lost on a
restart), and 15 days later no channel here can reach the user unasked (WeChat allows
customer-service messages only within 48 hours of the user's last message). So the reminder
comes on the next visit.
"""

import logging
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.cases import case_store, cases_asked_about, owner_of, remind_overdue
from borrower.casestore import FINISHED, CaseError, CaseRecord
from borrower.knowledge import knowledge
from borrower.lexicon import lexicon
from borrower.progress import NEXT_STEP_NOW, CaseEdit, Progress, next_step, read_edit, read_progress
from borrower.render import render

logger = logging.getLogger(__name__)

class ActionUpdateCase(Action):
    """Records what the user says happened to their case (intent update_case)."""

    def name(self) -> Text:
        return "action_update_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            number, cases = cases_asked_about(tracker)
        except (SQLAlchemyError, OSError):
            logger.exception("could not read cases for an update")
            dispatcher.utter_message(response="utter_case_store_unavailable")
            return []
        # The named case, else the newest unfinished one. A number that is not the user's is
        # treated as unknown: changes are not offered verification.
        unfinished = [c for c in cases if number or c.status not in FINISHED]
        case = unfinished[-1] if unfinished else None
        text = tracker.latest_message.get("text")
        edit = read_edit(text, tracker.latest_message.get("entities") or [])
        if case is None:
            if edit.incident and not number and not tracker.active_loop_name:
                # 「又给我单位打电话了」 with no case here yet (another phone, a deleted case): the
                # user has just described what happened, so it starts a report instead of asking
                # them to say it again.
                dispatcher.utter_message(response="utter_no_case_new_report")
                return [SlotSet("harassment_detail", text), FollowupAction("harassment_form")]
            dispatcher.utter_message(response="utter_no_case_to_update")
            return []
        progress = read_progress(text, date.today())
        # News for the case (a new incident, a correction, 「补充一下……」) is recorded; a status the
        # same message names is applied after it.
        amends = edit.incident is not None or bool(edit.fields) or (
            progress.status is None and lexicon().edits_case(text))
        try:
            if amends:
                self._amend(dispatcher, case, edit)
            if progress.status is not None or not amends:
                self._apply(dispatcher, case, progress)
        except (SQLAlchemyError, OSError):
            logger.exception("could not update case %s", case.case_number)
            dispatcher.utter_message(response="utter_case_update_failed")
        except CaseError:
            logger.info("case %s (%s) cannot become %s", case.case_number, case.status, progress.status)
            dispatcher.utter_message(response="utter_ask_case_progress", case_number=case.case_number)
        return []

    @staticmethod
    def _amend(dispatcher: CollectingDispatcher, case: CaseRecord, edit: CaseEdit) -> None:
        store = case_store()
        fields = dict(edit.fields)
        if "platform" in fields or "loan_type" in fields:
            loan_type = lexicon().canonical(fields.get("loan_type") or case.loan_type, "loan_type")
            fields["institution_type"] = knowledge().classify_institution(
                fields.get("platform") or case.platform, loan_type.id if loan_type else None).id
        incidents = 0
        if edit.incident:
            store.add_incident(case.case_number, edit.incident)
            incidents = len(store.incidents(case.case_number))
        # The words are kept as a note unless they became the incident's description.
        updated = store.amend(case.case_number, fields, note=None if edit.incident else edit.note)
        behaviours = [entry.name for entry in (
            lexicon().entry("harassment_type", behaviour) for behaviour in (edit.incident or {}).get("behaviours", []))
            if entry]
        dispatcher.utter_message(response="utter_case_amended", text_block=render(
            "case_amended.j2", case=updated, behaviours=behaviours, incidents=incidents,
            occurred=(edit.incident or {}).get("occurred"), fields=edit.fields, note=edit.note))

    @staticmethod
    def _apply(dispatcher: CollectingDispatcher, case: CaseRecord, progress: Progress) -> None:
        store = case_store()
        if progress.status is None:
            dispatcher.utter_message(response="utter_ask_case_progress", case_number=case.case_number)
        elif progress.status in NEXT_STEP_NOW:
            advice = next_step(case, overdue=progress.status == "no_reply" and case.overdue(date.today()))
            if advice:
                dispatcher.utter_message(response="utter_follow_up", text_block=advice)
            else:
                dispatcher.utter_message(response="utter_ask_submitted_where", case_number=case.case_number)
        elif progress.status in FINISHED:
            store.advance(case.case_number, progress.status, "user")
            dispatcher.utter_message(response=f"utter_case_now_{progress.status}", case_number=case.case_number)
        else:
            body = progress.body
            assumed = body is None and case.status == "open"
            if assumed:
                body = knowledge().follow_up.body("lender")
            if body is None and progress.status == "submitted":
                dispatcher.utter_message(response="utter_ask_submitted_where", case_number=case.case_number)
                return
            store.advance(case.case_number, progress.status, "user", note=body.name if body else None)
            if body is None:  # awaiting_reply from the body it was submitted to: the deadline stays
                dispatcher.utter_message(response="utter_case_now_awaiting_reply", case_number=case.case_number)
                return
            due = progress.due(body)
            updated = store.set_follow_up(case.case_number, body.id, due)
            dispatcher.utter_message(response="utter_follow_up", text_block=render(
                "follow_up.j2", mode="recorded", case=updated, body=body, on=progress.on, due=due,
                assumed=assumed))


class ActionSessionStart(Action):
    """Rasa's session start (slots carried over), then, for a user coming back, every case whose
    reply deadline has passed with the next step — once a day per case."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events.extend(self._slots(tracker))
        try:
            remind_overdue(dispatcher, case_store().overdue_cases(owner_of(tracker), date.today()))
        except (SQLAlchemyError, OSError):
            # A reminder is a courtesy: the session starts without it.
            logger.exception("could not check overdue cases at session start")
        events.append(ActionExecuted("action_listen"))
        return events

    @staticmethod
    def _slots(tracker: Tracker) -> List[EventType]:
        return [SlotSet(key, value) for key, value in tracker.current_slot_values().items()
                if key != "session_started_metadata" and value is not None]
