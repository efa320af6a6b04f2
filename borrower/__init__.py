"""Domain code shared by the Rasa NLU components (components/) and the action server (actions/).

Nothing here imports Rasa or rasa-sdk, so it can be unit-tested and reused by scripts.
"""
