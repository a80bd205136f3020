"""Vietnamese phone and ID numbers as people type them: spaces, dots, +84, 9 or 12 digits."""

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile prefixes in use since the 2018 renumbering (Viettel 03x/086/09x, MobiFone 07x/089/09x,
# VinaPhone 08x/09x, Vietnamobile 052/056/058/092, Gmobile 059/099, Itel 087, Reddi 055).
_MOBILE = re.compile(r"0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")


def normalize_phone(raw: str) -> str | None:
    """ "+84 912 345 678", "0912.345.678" → "0912345678"; None if it is not a mobile number."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None


def normalize_id_number(raw: str) -> tuple[str, str] | None:
    """(kind, digits) for a CCCD (12 digits) or CMND (9 digits); None otherwise."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) == 12:
        return "cccd", digits
    if len(digits) == 9:
        return "cmnd", digits
    return None
