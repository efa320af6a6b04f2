"""The phone and ID numbers the user typed. The assistant never asks for them; a letter carries
them masked unless the user asks for them in full, and a case keeps the last four digits of the
phone (as a keyed hash) so its owner can verify it from another device."""

from dataclasses import dataclass
from typing import List, Optional, Text

from rasa_sdk import Tracker

from borrower.text import find_id_card, find_mobile, mask_pii


@dataclass(frozen=True)
class Contact:
    """The phone and ID numbers the user gave, unmasked; None where they gave none."""

    phone: Optional[str] = None
    id_number: Optional[str] = None

    def __bool__(self) -> bool:
        return bool(self.phone or self.id_number)

    def masked(self) -> "Contact":
        return Contact(mask_pii(self.phone) or None, mask_pii(self.id_number) or None)


def _user_texts(tracker: Tracker) -> List[Text]:
    """The user's messages, newest first (the latest message even when events lack it)."""
    texts = [event.get("text") or "" for event in reversed(tracker.events) if event.get("event") == "user"]
    latest = tracker.latest_message.get("text") or ""
    return texts if texts and texts[0] == latest else [latest] + texts


def contact_given(tracker: Tracker, masked_too: bool = False) -> Contact:
    """The newest phone and ID numbers in the user's messages, as written. With `masked_too`,
    numbers already masked count as well: messages of earlier turns come back from the tracker
    store masked (components/tracker_store.py)."""
    texts = _user_texts(tracker)
    phone = next(filter(None, (find_mobile(text, masked_too) for text in texts)), None)
    id_number = next(filter(None, (find_id_card(text, masked_too) for text in texts)), None)
    return Contact(phone, id_number)


def contact_for_letter(tracker: Tracker) -> Contact:
    """The numbers the user gave, masked, for a letter's header."""
    return contact_given(tracker, masked_too=True).masked()


def phone_last4(tracker: Tracker) -> Optional[str]:
    """The last four digits of the newest phone number the user gave (masked or not)."""
    phone = contact_given(tracker, masked_too=True).phone
    return phone[-4:] if phone else None
