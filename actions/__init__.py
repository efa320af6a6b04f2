"""Custom actions served by `rasa run actions` (rasa-sdk). One module per concern:

forms.py       validation of the three forms' answers
channels.py    the complaint escalation ladder
drafting.py    the complaint letter
harassment.py  rules broken, evidence, channels for collection harassment
negotiation.py repayment-negotiation options
cases.py       recording the case (repository: borrower/casestore.py)
"""
