"""API schemas."""

from datetime import date, datetime

from ninja import Schema


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
