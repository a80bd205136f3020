"""Vietnamese text: NFC normalisation, accent folding for search, character counting."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Compose the text, so that "ế" is one character however it was typed."""
    return unicodedata.normalize("NFC", text or "")


def visible_length(text: str) -> int:
    """Characters as a person counts them (after composing to NFC)."""
    return len(nfc(text))


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "Gia Lâm" and "gia lam" fold to the same key.

    "đ" has no decomposition in Unicode, so it is mapped to "d" by hand.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def clean_line(text: str) -> str:
    """One line of text as typed in a form or a spreadsheet cell: NFC, trimmed, single-spaced."""
    return _SPACES.sub(" ", nfc(str(text))).strip()
