"""A self-hosted CAPTCHA (câu hỏi kiểm tra): a sum in Vietnamese words, no JavaScript, no third party.

A screen reader reads the question aloud as well as it reads the rest of the form, and nothing
leaves the site. The answer travels only as a keyed hash inside a signed token, and each token
is accepted once.
"""

import re
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sangkien.common import ratelimit
from sangkien.common.text import fold

SALT = "sangkien.captcha"
SITE_SCOPE = "submit_all"
SITE_KEY = "all"

# 0–18: every result of a sum or a difference of two numbers from 1 to 9. The context keeps
# "năm" (five) apart from "năm" (year) for translators.
NUMBER_WORDS = [
    pgettext_lazy("number", "không"),
    pgettext_lazy("number", "một"),
    pgettext_lazy("number", "hai"),
    pgettext_lazy("number", "ba"),
    pgettext_lazy("number", "bốn"),
    pgettext_lazy("number", "năm"),
    pgettext_lazy("number", "sáu"),
    pgettext_lazy("number", "bảy"),
    pgettext_lazy("number", "tám"),
    pgettext_lazy("number", "chín"),
    pgettext_lazy("number", "mười"),
    pgettext_lazy("number", "mười một"),
    pgettext_lazy("number", "mười hai"),
    pgettext_lazy("number", "mười ba"),
    pgettext_lazy("number", "mười bốn"),
    pgettext_lazy("number", "mười lăm"),
    pgettext_lazy("number", "mười sáu"),
    pgettext_lazy("number", "mười bảy"),
    pgettext_lazy("number", "mười tám"),
]
# Other ways people say the same numbers ("tư" for four, "mười năm" in some regions).
_VARIANTS = {"tu": 4, "muoi tu": 14, "muoi nam": 15}
_DIGITS = re.compile(r"[0-9]{1,3}")

WRONG = _("Câu trả lời kiểm tra chưa đúng, vui lòng thử lại.")
EXPIRED = _("Câu hỏi kiểm tra đã hết hạn, vui lòng trả lời câu hỏi mới.")
USED = _("Câu hỏi kiểm tra đã được dùng, vui lòng trả lời câu hỏi mới.")


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str


def _answer_hash(nonce: str, answer: int) -> str:
    # Keyed with SECRET_KEY: a plain salted hash of one of 19 answers is guessed offline at once.
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def new_challenge() -> Challenge:
    """A fresh question and the signed token that goes with it into the form."""
    rng = secrets.SystemRandom()
    first, second = rng.randint(1, 9), rng.randint(1, 9)
    if rng.random() < 0.5:
        expected = first + second
        template = gettext("%(first)s cộng %(second)s bằng bao nhiêu? (nhập số)")
    else:
        first, second = max(first, second), min(first, second)
        expected = first - second
        template = gettext("%(first)s trừ %(second)s bằng bao nhiêu? (nhập số)")
    question = template % {"first": str(NUMBER_WORDS[first]), "second": str(NUMBER_WORDS[second])}
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "h": _answer_hash(nonce, expected)}, salt=SALT)
    return Challenge(token=token, question=question[:1].upper() + question[1:])


def _parse_answer(answer: str) -> int | None:
    text = (answer or "").strip()
    if _DIGITS.fullmatch(text):
        return int(text)
    folded = fold(text)
    # The words of the active language count, and the Vietnamese words always do.
    with translation.override("vi"):
        vietnamese = [fold(str(word)) for word in NUMBER_WORDS]
    for number, word in enumerate(NUMBER_WORDS):
        if folded in {vietnamese[number], fold(str(word))}:
            return number
    return _VARIANTS.get(folded)


def verify(token: str, answer: str, *, max_age: int | None = None) -> str | None:
    """None when the answer is right, else the message to show the person.

    Any attempt uses the token up, right or wrong: otherwise a robot could try all 19 possible
    answers against one question. The form shows a new question after every error.
    """
    if max_age is None:
        max_age = settings.CAPTCHA_MAX_AGE_SECONDS
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        return str(EXPIRED)
    except signing.BadSignature:
        # A mangled token cannot be fixed by typing again; the person needs a new question.
        return str(EXPIRED)
    if not isinstance(payload, dict) or not {"n", "h"} <= payload.keys():
        return str(EXPIRED)
    if not cache.add(f"captcha:used:{payload['n']}", 1, timeout=max(1, max_age)):
        return str(USED)
    number = _parse_answer(answer)
    if number is None or not constant_time_compare(
        _answer_hash(payload["n"], number), payload["h"]
    ):
        return str(WRONG)
    return None


def required(*, ip: str | None, now: float | None = None) -> bool:
    """Whether this submission must answer a question first (settings.CAPTCHA_MODE).

    "auto" asks it of an address that has already submitted CAPTCHA_AUTO_THRESHOLD times in the
    current submit_ip window, and of everybody once the whole site has received
    CAPTCHA_AUTO_SITE_PER_MINUTE submissions in the current minute (counted by whoever calls
    `ratelimit.hit(SITE_SCOPE, SITE_KEY, ..., window_seconds=60)` on each submission).
    """
    mode = settings.CAPTCHA_MODE
    if mode == "off":
        return False
    if mode == "always":
        return True
    if ip:
        _limit, window_seconds = settings.RATE_LIMITS["submit_ip"]
        count = ratelimit.peek("submit_ip", ip, window_seconds=window_seconds, now=now)
        if count >= settings.CAPTCHA_AUTO_THRESHOLD:
            return True
    site = ratelimit.peek(SITE_SCOPE, SITE_KEY, window_seconds=60, now=now)
    return site >= settings.CAPTCHA_AUTO_SITE_PER_MINUTE


class CaptchaForm(forms.Form):
    """The question and its answer; embed as a form of its own (with a prefix) or as a base class.

    After any error the form carries a new question, so re-rendering it is always answerable.
    """

    captcha_token = forms.CharField(widget=forms.HiddenInput)
    captcha_answer = forms.CharField(label=_("Câu hỏi kiểm tra"), max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            challenge = new_challenge()
            # A new dict: the caller's `initial` is not ours to change.
            self.initial = {**self.initial, "captcha_token": challenge.token}
            self.fields["captcha_answer"].help_text = challenge.question

    def clean(self):
        cleaned_data = super().clean()
        token, answer = cleaned_data.get("captcha_token"), cleaned_data.get("captcha_answer")
        if answer is not None:
            message = verify(token or "", answer)
            if message is not None:
                self.add_error("captcha_answer", message)
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        if self._errors:
            self.refresh()

    def refresh(self) -> None:
        """Put a new question in the bound form, and empty the old answer."""
        challenge = new_challenge()
        data = self.data.copy()
        data[self.add_prefix("captcha_token")] = challenge.token
        data[self.add_prefix("captcha_answer")] = ""
        self.data = data
        self.fields["captcha_answer"].help_text = challenge.question
