"""Custom actions served by `rasa run actions` (rasa-sdk). One module per concern:

forms.py       validation of the three forms' answers
channels.py    the complaint escalation ladder
drafting.py    the complaint and negotiation letters, numbers in full on request
contact.py     the phone and ID numbers the user typed (masked for letters)
harassment.py  rules broken, evidence, channels for collection harassment
negotiation.py repayment-negotiation options
answers.py     questions about interest, collection rules, credit reports, evidence
cases.py       recording the case (repository: borrower/casestore.py), status, verification
followup.py    progress reports on a case, deadline reminders, the session start
privacy.py     deleting the user's cases and conversation
closing.py     goodbyes and thanks, with a check-in after a crisis message
clarify.py     「你是想……吗？」 with the likeliest requests as buttons (two-stage fallback)
slots.py       reading slot values the same way in every action
"""
