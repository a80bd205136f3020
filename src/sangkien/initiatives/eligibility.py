"""The programme's conditions (SPEC §5, seed 003 §I.2–3) that a machine can check at submission.

Each check answers (field, message) pairs in Vietnamese, so the form, the bulk import and the API
put the same reason next to the same field. What a machine cannot judge (novelty within the
unit, public order and morals) is left to the reviewers' decision.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from sangkien.common.templatetags.vn import dmy
from sangkien.common.text import visible_length
from sangkien.initiatives.enums import RecognizedBy
from sangkien.programs.models import Program

Problem = tuple[str, str]


@dataclass(frozen=True)
class Claim:
    """What the submitter states about the initiative, already parsed."""

    kind: str
    description: str
    first_applied_on: date | None
    recognized_by: str
    recognition_date: date | None
    benefit_vnd: int | None
    benefit_text: str
    not_ip_protected: bool
    lawful: bool


def _window(program: Program) -> dict[str, str]:
    return {"start": dmy(program.eligible_from), "end": dmy(program.eligible_to)}


def check_claim(program: Program, claim: Claim, *, today: date) -> list[Problem]:
    problems: list[Problem] = []
    length = visible_length(claim.description)
    if length > program.description_max_chars:
        problems.append(
            (
                "description",
                _(
                    "Phần mô tả dài %(count)s ký tự, vượt quá giới hạn %(limit)s ký tự của "
                    "chương trình. Vui lòng rút gọn %(over)s ký tự."
                )
                % {
                    "count": length,
                    "limit": program.description_max_chars,
                    "over": length - program.description_max_chars,
                },
            )
        )
    applied = claim.first_applied_on
    if applied is not None:
        if applied > today:
            problems.append(("first_applied_on", _("Ngày áp dụng không được sau ngày hôm nay.")))
        elif applied < program.eligible_from or applied > program.eligible_to:
            problems.append(
                (
                    "first_applied_on",
                    _(
                        "Sáng kiến đưa vào áp dụng ngoài thời gian của chương trình (từ "
                        "%(start)s đến %(end)s) không được tham gia."
                    )
                    % _window(program),
                )
            )
    recognized = claim.recognition_date
    if recognized is not None:
        if recognized > today:
            problems.append(("recognition_date", _("Ngày công nhận không được sau ngày hôm nay.")))
        elif recognized < program.eligible_from:
            problems.append(
                (
                    "recognition_date",
                    _(
                        "Sáng kiến phải được công nhận bằng văn bản từ ngày %(start)s; văn bản "
                        "công nhận trước ngày đó không được tính."
                    )
                    % _window(program),
                )
            )
    if claim.kind in program.research_kinds and claim.recognized_by == RecognizedBy.COUNCIL:
        problems.append(
            (
                "recognized_by",
                _(
                    "Đề tài nghiên cứu khoa học cần được thủ trưởng cơ quan, đơn vị nơi ứng dụng "
                    "xác nhận hiệu quả."
                ),
            )
        )
    if claim.benefit_vnd is None and not claim.benefit_text.strip():
        problems.append(
            (
                "benefit_text",
                _(
                    "Cần nêu lợi ích của sáng kiến: giá trị làm lợi (đồng) hoặc lợi ích xã hội "
                    "bằng lời."
                ),
            )
        )
    if not claim.not_ip_protected:
        problems.append(
            (
                "not_ip_protected",
                _(
                    "Sáng kiến đang được bảo hộ quyền sở hữu trí tuệ không được tham gia chương "
                    "trình; hãy xác nhận sáng kiến không thuộc trường hợp này."
                ),
            )
        )
    if not claim.lawful:
        problems.append(
            (
                "lawful",
                _(
                    "Cần cam kết nội dung sáng kiến không trái với pháp luật, trật tự công cộng "
                    "và đạo đức xã hội."
                ),
            )
        )
    return problems


def check_shares(shares: list[Decimal]) -> list[Problem]:
    """The authors' contributions add up to exactly 100%."""
    total = sum(shares, Decimal(0))
    if total != 100:
        return [
            (
                "author_share",
                _("Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%% (hiện là %(total)s%%).")
                % {"total": f"{total.normalize():f}"},
            )
        ]
    return []


def credited_position(program: Program, kind: str, shares: list[Decimal]) -> int:
    """Who the initiative is credited to: the lead author (position 0) for a research topic (its
    chủ nhiệm đề tài), otherwise the author with the highest share, the lead on a tie."""
    if kind in program.research_kinds:
        return 0
    best = max(shares)
    return shares.index(best)
