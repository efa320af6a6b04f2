"""The complaint escalation ladder (borrower/advice.py complaint_ladder): 110 where safety is at
stake, the lender, its supervisor, the bodies the problem belongs to, mediation, the court."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import known, loan_type_id, region
from borrower.advice import complaint_ladder
from borrower.knowledge import knowledge
from borrower.render import render

# The channels most borrowers need, for a question that names no lender.
OVERVIEW_CHANNELS = (
    "lender", "nfra_12378", "local_finance_bureau", "hotline_12345", "pboc_12363", "miit_12321", "police_110",
)


class ActionRecommendChannels(Action):
    def name(self) -> Text:
        return "action_recommend_channels"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        platform = known(tracker, "platform")
        ladder = complaint_ladder(
            knowledge(), platform, loan_type_id(tracker), known(tracker, "complaint_problem"), region(tracker)
        )
        text = render("complaint_ladder.j2", ladder=ladder, platform=platform)
        dispatcher.utter_message(response="utter_channel_ladder", ladder=text)
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []


class ActionChannelOverview(Action):
    """Where to complain: the ladder for the lender named so far, or the main channels."""

    def name(self) -> Text:
        return "action_channel_overview"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        platform, loan_type = known(tracker, "platform"), loan_type_id(tracker)
        if platform or loan_type:
            ladder = complaint_ladder(knowledge(), platform, loan_type, None, region(tracker))
            text = render("complaint_ladder.j2", ladder=ladder, platform=platform)
            dispatcher.utter_message(response="utter_channel_ladder", ladder=text)
        else:
            kb = knowledge()
            channels = [kb.channel(c) for c in OVERVIEW_CHANNELS]
            dispatcher.utter_message(
                response="utter_channel_overview", overview=render("channel_overview.j2", channels=channels)
            )
        dispatcher.utter_message(response="utter_legal_disclaimer")
        return []
