"""The public form's question: asking, answering once, expiring, and when it is asked at all."""

import re

import pytest
from django.core import signing

from sangkien.common.captcha import CaptchaForm, new_challenge, required, verify
from sangkien.common.ratelimit import hit
from sangkien.common.text import fold

WRONG = "Câu trả lời kiểm tra chưa đúng, vui lòng thử lại."
EXPIRED = "Câu hỏi kiểm tra đã hết hạn, vui lòng trả lời câu hỏi mới."
USED = "Câu hỏi kiểm tra đã được dùng, vui lòng trả lời câu hỏi mới."

WORDS = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    "mười", "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm", "mười sáu", "mười bảy",
    "mười tám",
]  # fmt: skip
QUESTION = re.compile(r"(\w+) (cộng|trừ) (\w+) bằng bao nhiêu\? \(nhập số\)")
NOW = 600 * 3_000_000 + 100


def solve(question: str) -> int:
    """Answer the question as a person reading it would."""
    match = QUESTION.fullmatch(question[:1].lower() + question[1:])
    assert match, question
    first, operator, second = WORDS.index(match[1]), match[2], WORDS.index(match[3])
    return first + second if operator == "cộng" else first - second


def test_new_challenge_asks_a_sum_or_difference_of_numbers_in_words():
    challenges = [new_challenge() for _ in range(200)]

    questions = [c.question for c in challenges]
    assert all(q[0].isupper() and QUESTION.fullmatch(q[0].lower() + q[1:]) for q in questions)
    assert {QUESTION.fullmatch(q[0].lower() + q[1:])[2] for q in questions} == {"cộng", "trừ"}
    assert all(0 <= solve(q) <= 18 for q in questions)
    assert len({c.token for c in challenges}) == 200


def test_token_holds_a_nonce_and_a_hash_not_the_answer():
    challenge = new_challenge()

    payload = signing.loads(challenge.token, salt="sangkien.captcha")

    assert sorted(payload) == ["h", "n"]
    assert re.fullmatch(r"[0-9a-f]{64}", payload["h"])
    assert str(solve(challenge.question)) not in payload.values()


def test_verify_accepts_the_right_number_with_spaces():
    challenge = new_challenge()

    assert verify(challenge.token, f"  {solve(challenge.question)} ") is None


@pytest.mark.parametrize("accents", [True, False])
def test_verify_accepts_the_number_in_vietnamese_words(accents):
    for _ in range(20):
        challenge = new_challenge()
        word = WORDS[solve(challenge.question)]
        answer = word.upper() if accents else fold(word)

        assert verify(challenge.token, answer) is None, (challenge.question, answer)


def test_verify_refuses_a_wrong_answer():
    challenge = new_challenge()

    assert verify(challenge.token, str(solve(challenge.question) + 1)) == WRONG


def test_verify_refuses_an_answer_that_is_not_a_number():
    challenge = new_challenge()

    assert verify(challenge.token, "không biết") == WRONG


def test_verify_refuses_a_second_use_of_an_answered_token():
    challenge = new_challenge()
    answer = str(solve(challenge.question))
    assert verify(challenge.token, answer) is None

    assert verify(challenge.token, answer) == USED


def test_verify_uses_up_the_token_on_a_wrong_answer_too():
    # Otherwise a robot could try all 19 answers against one question.
    challenge = new_challenge()
    assert verify(challenge.token, str(solve(challenge.question) + 1)) == WRONG

    assert verify(challenge.token, str(solve(challenge.question))) == USED


def test_verify_refuses_an_expired_token():
    challenge = new_challenge()

    # A negative age limit makes every token too old, without waiting for the clock.
    assert verify(challenge.token, str(solve(challenge.question)), max_age=-1) == EXPIRED


def test_verify_follows_the_configured_max_age(settings):
    settings.CAPTCHA_MAX_AGE_SECONDS = -1
    challenge = new_challenge()

    assert verify(challenge.token, str(solve(challenge.question))) == EXPIRED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: signing.dumps(signing.loads(token, salt="sangkien.captcha"), salt="other"),
        lambda token: signing.dumps({"n": "x"}, salt="sangkien.captcha"),
        lambda token: "",
    ],
    ids=["changed-signature", "other-salt", "incomplete-payload", "empty"],
)
def test_verify_refuses_a_tampered_token(tamper):
    challenge = new_challenge()

    assert verify(tamper(challenge.token), str(solve(challenge.question))) == EXPIRED


def test_required_never_when_off(settings):
    settings.CAPTCHA_MODE = "off"
    settings.CAPTCHA_AUTO_SITE_PER_MINUTE = 1
    hit("submit_all", "all", limit=10, window_seconds=60, now=NOW)

    assert required(ip="203.0.113.7", now=NOW) is False


def test_required_always_when_always(settings):
    settings.CAPTCHA_MODE = "always"

    assert required(ip="203.0.113.7", now=NOW) is True
    assert required(ip=None, now=NOW) is True


def test_required_in_auto_once_an_address_reaches_the_threshold(settings):
    settings.CAPTCHA_MODE = "auto"
    settings.CAPTCHA_AUTO_THRESHOLD = 3
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit_ip": (60, 600)}
    asked = []
    for _ in range(4):
        asked.append(required(ip="203.0.113.7", now=NOW))
        hit("submit_ip", "203.0.113.7", limit=60, window_seconds=600, now=NOW)

    assert asked == [False, False, False, True]
    assert required(ip="203.0.113.8", now=NOW) is False
    assert required(ip=None, now=NOW) is False


def test_required_in_auto_for_everybody_when_the_site_is_busy(settings):
    settings.CAPTCHA_MODE = "auto"
    settings.CAPTCHA_AUTO_SITE_PER_MINUTE = 2
    hit("submit_all", "all", limit=10_000, window_seconds=60, now=NOW)
    assert required(ip="203.0.113.7", now=NOW) is False

    hit("submit_all", "all", limit=10_000, window_seconds=60, now=NOW)

    assert required(ip="203.0.113.7", now=NOW) is True
    assert required(ip=None, now=NOW) is True
    assert required(ip="203.0.113.7", now=NOW + 60) is False


def test_form_shows_the_question_as_help_and_the_token_hidden():
    form = CaptchaForm()

    html = form.as_div()

    question = form.fields["captcha_answer"].help_text
    assert QUESTION.fullmatch(question[0].lower() + question[1:])
    assert str(form.fields["captcha_answer"].label) == "Câu hỏi kiểm tra"
    assert question in html
    assert f'type="hidden" name="captcha_token" value="{form["captcha_token"].value()}"' in html


def test_form_is_valid_with_the_right_answer():
    form = CaptchaForm()
    data = {
        "captcha_token": form["captcha_token"].value(),
        "captcha_answer": str(solve(form.fields["captcha_answer"].help_text)),
    }

    bound = CaptchaForm(data)

    assert bound.is_valid(), bound.errors
    assert bound.errors == {}


def test_form_with_a_wrong_answer_shows_the_message_and_a_new_question():
    form = CaptchaForm(prefix="kiem-tra")
    old_token = form["captcha_token"].value()
    data = {
        "kiem-tra-captcha_token": old_token,
        "kiem-tra-captcha_answer": str(solve(form.fields["captcha_answer"].help_text) + 1),
    }

    bound = CaptchaForm(data, prefix="kiem-tra")

    assert bound.is_valid() is False
    assert bound.errors == {"captcha_answer": [WRONG]}
    new_token = bound["captcha_token"].value()
    assert new_token != old_token
    assert bound["captcha_answer"].value() == ""
    again = CaptchaForm(
        {
            "kiem-tra-captcha_token": new_token,
            "kiem-tra-captcha_answer": str(solve(bound.fields["captcha_answer"].help_text)),
        },
        prefix="kiem-tra",
    )
    assert again.is_valid(), again.errors


def test_form_refuses_a_reused_token():
    form = CaptchaForm()
    data = {
        "captcha_token": form["captcha_token"].value(),
        "captcha_answer": str(solve(form.fields["captcha_answer"].help_text)),
    }
    assert CaptchaForm(data).is_valid()

    again = CaptchaForm(data)

    assert again.is_valid() is False
    assert again.errors == {"captcha_answer": [USED]}
