"""Personal data handling shared by the tracker store and the actions (no Rasa imports)."""

from typing import Any

from borrower.text import mask_pii

# Set by actions/privacy.py once the user confirmed 「删除我的信息」; the tracker store
# (components/tracker_store.py) then deletes the conversation instead of writing the turn.
DELETED_SLOT = "data_deleted"


def masked(value: Any) -> Any:
    """The value with every string in it masked (dicts and lists walked)."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value
