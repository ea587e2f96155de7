"""The reporter's receipt: 20 Crockford base32 symbols (100 bits).

Shown once as ``XXXXX-XXXXX-XXXXX-XXXXX``. Typed back in any case, with or
without dashes and spaces, with O for 0 and I or L for 1. The server finds the
case by an HMAC of the normalised receipt under a pepper from the environment
(``conf.receipt_pepper``), so a stolen database alone cannot test guesses.
"""

import hashlib
import hmac
import re
import secrets

from whistleblowing.conf import receipt_pepper

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 20
GROUP = 5
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def generate() -> str:
    """A new receipt, normalised (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(receipt: str) -> str:
    return "-".join(receipt[i : i + GROUP] for i in range(0, len(receipt), GROUP))


def normalize(text: str) -> str:
    """Upper case, no spaces or dashes, O→0, I/L→1. May return an invalid string."""
    cleaned = re.sub(r"[\s\-–]", "", (text or "")[:200]).upper()
    return cleaned.translate(_CONFUSABLE)


def is_well_formed(receipt: str) -> bool:
    return bool(_VALID.match(receipt))


def lookup_hash(receipt: str) -> str:
    """Hex HMAC-SHA256 of the normalised receipt: the indexed lookup key."""
    return hmac.new(receipt_pepper(), receipt.encode(), hashlib.sha256).hexdigest()
