"""API schemas."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class UnitOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    block: str
    member_count: int
    parent: str | None


class UnitDetailOut(UnitOut):
    valid_from: date | None
    valid_to: date | None
    ancestors: list[UnitOut]
    successors: list[str]


class OptionOut(Schema):
    code: str
    name: str


class PhaseOut(Schema):
    number: int
    name: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    eligible_from: date
    eligible_to: date
    target: int | None


class QuotaOut(Schema):
    phase: int | None
    child_level: int
    max_per_unit: int


class ProgramOut(Schema):
    code: str
    name: str
    short_name: str
    is_open: bool
    submission_opens_at: datetime
    submission_closes_at: datetime
    eligible_from: date
    eligible_to: date
    description_max_chars: int
    total_target: int | None
    participation_target_percent: float | None
    max_attachments: int
    max_attachment_mb: int
    attachment_types: list[str]
    allow_drive_link: bool
    dossier_deadline: datetime | None
    phases: list[PhaseOut]
    kinds: list[OptionOut]
    target_groups: list[OptionOut]
    blocks: list[OptionOut]
    quotas: list[QuotaOut]


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""


class TokenOut(Schema):
    token: str


class RoleOut(Schema):
    unit: str
    kind: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


class ErrorOut(Schema):
    detail: str


class AuthorIn(Schema):
    """An author as the API takes it; the same checks as the form's author fields."""

    full_name: str
    phone: str = Field(description="Số di động, ví dụ 0912 345 678 hoặc +84 912 345 678.")
    id_number: str = Field(description="CCCD 12 số hoặc CMND 9 số.")
    share: float | None = Field(
        None, description="Tỷ lệ đóng góp (%); các tác giả cộng lại bằng 100."
    )


class InitiativeIn(Schema):
    """The body of POST /initiatives (documentation only: the endpoint reads the JSON itself so
    that every error, wrong types included, is answered per field in Vietnamese)."""

    program: str = Field(description="Mã chương trình (GET /programs).")
    unit: str = Field(description="Mã công đoàn cơ sở, trong phạm vi cán bộ phụ trách.")
    author: AuthorIn
    coauthors: list[AuthorIn] = []
    email: str = Field("", description="Thư điện tử nhận biên nhận (không bắt buộc).")
    block: str = Field(description="Mã khối (GET /programs → blocks).")
    target_group: str = Field(description="Mã đối tượng (GET /programs → target_groups).")
    kind: str = Field(description="Mã loại giải pháp (GET /programs → kinds).")
    title: str
    description: str
    first_applied_on: date
    recognized_by: Literal["council", "head"]
    recognition_number: str
    recognition_date: date
    benefit_vnd: int | None = None
    benefit_text: str = ""
    drive_link: str = ""
    not_ip_protected: bool
    lawful: bool
    consent: bool


class SubmittedOut(Schema):
    receipt: str
    status: str
    url: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class StatusOut(Schema):
    code: str
    label: str


class UnitRefOut(Schema):
    code: str
    name: str


class AuthorOut(Schema):
    full_name: str
    phone: str = Field(description="Đã che, ví dụ •••••••678.")
    id_number: str = Field(description="Đã che, ví dụ •••••••••345.")
    share: float
    credited: bool


class HistoryOut(Schema):
    at: datetime
    from_status: str | None = Field(None, alias="from")
    to: str
    to_label: str
    reason_code: str
    message: str


class LookupOut(Schema):
    receipt: str
    program: str
    status: StatusOut
    title: str
    unit: UnitRefOut
    submitted_at: datetime
    on_behalf: bool
    authors: list[AuthorOut]
    history: list[HistoryOut]
