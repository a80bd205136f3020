"""/api/v1/initiatives: officers' systems submit on behalf of members; anybody looks one up.

The POST body is read here, not by ninja: the JSON is translated into the flat data of the public
form and validated by `initiatives.forms.Submission`, so the API answers the same Vietnamese
message on the same field as the form, wrong JSON types included.
"""

import hashlib
import json
import math

from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from sangkien.accounts import rules
from sangkien.api.auth import BearerToken
from sangkien.api.schemas import ErrorOut, ErrorsOut, InitiativeIn, LookupOut, SubmittedOut
from sangkien.common import ratelimit
from sangkien.initiatives import queries
from sangkien.initiatives.enums import Channel
from sangkien.initiatives.enums import Status as InitiativeStatus
from sangkien.initiatives.forms import MAX_COAUTHORS, Submission, new_form_token
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.receipts import parse_receipt
from sangkien.initiatives.services import SubmissionRefused, closed_message, initiative_submit
from sangkien.programs import windows
from sangkien.programs.models import Program

router = Router(tags=["initiatives"])

MAX_IDEMPOTENCY_KEY = 200
KEY_COLUMN = 200  # Initiative.idempotency_key's max_length
TEXT_FIELDS = [
    "unit",
    "block",
    "target_group",
    "kind",
    "title",
    "description",
    "first_applied_on",
    "recognized_by",
    "recognition_number",
    "recognition_date",
    "benefit_text",
    "drive_link",
]
BOOLEAN_FIELDS = ["not_ip_protected", "lawful", "consent"]
AUTHOR_TEXT_FIELDS = ["full_name", "phone", "id_number"]


def _inline_refs(schema: dict) -> dict:
    """The model's JSON schema with its $defs written in place, for an inline requestBody."""
    definitions = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    return resolve(schema)


SUBMIT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline_refs(InitiativeIn.model_json_schema())}},
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY},
            "description": (
                "Khoá do hệ thống gọi tự đặt cho mỗi sáng kiến; gửi lại cùng khoá và cùng nội dung "
                "được trả lời 200 với cùng mã biên nhận (header Idempotent-Replayed: true) mà "
                "không tạo thêm."
            ),
        }
    ],
}


# --- JSON → the form's flat data --------------------------------------------------------------


def _must_be_text() -> str:
    return _("Giá trị phải là chuỗi ký tự.")


def _must_be_number() -> str:
    return _("Giá trị phải là một số.")


def _must_be_boolean() -> str:
    return _("Giá trị phải là true hoặc false.")


def _must_be_object() -> str:
    return _("Giá trị phải là một đối tượng JSON.")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Flattener:
    """Writes JSON values into form data, remembering each value whose JSON type is wrong."""

    def __init__(self):
        self.data = QueryDict(mutable=True)
        self.type_errors: dict[str, list[str]] = {}

    def refuse(self, path: str, message: str) -> None:
        self.type_errors[path] = [message]

    def text(self, value, name: str, path: str) -> None:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.refuse(path, _must_be_text())
            value = ""
        self.data[name] = value

    def number_or_text(self, value, name: str, path: str) -> None:
        if value is None:
            value = ""
        elif _is_number(value):
            value = str(value)
        elif not isinstance(value, str):
            self.refuse(path, _must_be_number())
            value = ""
        self.data[name] = value

    def money(self, value, name: str, path: str) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is None or isinstance(value, str):
            self.data[name] = value or ""
        elif isinstance(value, int) and not isinstance(value, bool):
            self.data[name] = str(value)
        else:
            self.refuse(path, _("Giá trị làm lợi là một số tiền bằng đồng, ví dụ 10.000.000."))
            self.data[name] = ""

    def boolean(self, value, name: str, path: str) -> None:
        if value is None:
            value = False
        if not isinstance(value, bool):
            self.refuse(path, _must_be_boolean())
            value = False
        if value:
            self.data[name] = "on"

    def person(self, value, prefix: str, path: str) -> None:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.refuse(path, _must_be_object())
            value = {}
        for field in AUTHOR_TEXT_FIELDS:
            self.text(value.get(field), prefix + field, f"{path}.{field}")
        self.number_or_text(value.get("share"), prefix + "share", f"{path}.share")


def form_data(body: dict) -> tuple[QueryDict, dict[str, list[str]]]:
    """The public form's flat data for an API body, and the errors of values of a wrong type."""
    out = _Flattener()
    out.data["form_token"] = new_form_token()
    for field in TEXT_FIELDS:
        out.text(body.get(field), field, field)
    out.text(body.get("email"), "author_email", "email")
    out.money(body.get("benefit_vnd"), "benefit_vnd", "benefit_vnd")
    for field in BOOLEAN_FIELDS:
        out.boolean(body.get(field), field, field)
    out.person(body.get("author"), "author_", "author")
    coauthors = body.get("coauthors")
    if coauthors is None:
        coauthors = []
    if not isinstance(coauthors, list):
        out.refuse("coauthors", _("Giá trị phải là một danh sách."))
        coauthors = []
    if len(coauthors) > MAX_COAUTHORS:
        out.refuse(
            "coauthors",
            _("Tối đa %(limit)s đồng tác giả (đã gửi %(count)s).")
            % {"limit": MAX_COAUTHORS, "count": len(coauthors)},
        )
        coauthors = coauthors[:MAX_COAUTHORS]
    for index, person in enumerate(coauthors):
        out.person(person, f"coauthors-{index}-", f"coauthors.{index}")
    out.data.update(
        {
            "coauthors-TOTAL_FORMS": str(len(coauthors)),
            "coauthors-INITIAL_FORMS": "0",
            "coauthors-MIN_NUM_FORMS": "0",
            "coauthors-MAX_NUM_FORMS": str(MAX_COAUTHORS),
        }
    )
    return out.data, out.type_errors


def _errors(submission: Submission, type_errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The form's errors under the API's names; a wrong JSON type says so instead."""
    found = submission.errors_by_path()
    if "author.email" in found:
        found["email"] = found.pop("author.email")
    return {**found, **type_errors}


def request_hash(body) -> str:
    """sha256 of the canonical JSON: equal for bodies that differ only in key order or spacing."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_key(officer, key: str) -> str:
    """ "api:<officer id>:<key>": one officer's keys never meet another's. A key too long for the
    column together with its prefix is stored by its sha256 instead."""
    stored = f"api:{officer.pk}:{key}"
    if len(stored) > KEY_COLUMN:
        stored = f"api:{officer.pk}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return stored


# --- answers ------------------------------------------------------------------------------------


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(422, {"errors": errors})


def _wait(seconds: int) -> str:
    if seconds <= 3600:
        return _("%(minutes)s phút") % {"minutes": max(1, math.ceil(seconds / 60))}
    return _("%(hours)s giờ") % {"hours": math.ceil(seconds / 3600)}


def _too_many(response: HttpResponse, limit: ratelimit.Limit, message: str) -> Status:
    response["Retry-After"] = str(limit.retry_after)
    return Status(429, {"detail": message % {"wait": _wait(limit.retry_after)}})


def _submitted(initiative: Initiative) -> dict:
    url = reverse("api:initiative_lookup", kwargs={"receipt": initiative.receipt_display})
    return {"receipt": initiative.receipt_display, "status": initiative.status, "url": url}


def _replayed(response: HttpResponse, initiative: Initiative, digest: str) -> Status:
    """A retry with a used key: the first answer again if the body is the same, else refused."""
    if initiative.request_hash != digest:
        return _invalid(
            {
                "Idempotency-Key": [
                    _(
                        "Khoá Idempotency-Key này đã được dùng khi nộp sáng kiến mã biên nhận "
                        "%(receipt)s với nội dung khác; mỗi sáng kiến mới cần một khoá mới."
                    )
                    % {"receipt": initiative.receipt_display}
                ]
            }
        )
    response["Idempotent-Replayed"] = "true"
    return Status(200, _submitted(initiative))


# --- endpoints ----------------------------------------------------------------------------------


@router.post(
    "",
    auth=BearerToken(),
    response={
        200: SubmittedOut,
        201: SubmittedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorsOut,
        429: ErrorOut,
    },
    summary="Nộp hộ một sáng kiến",
    url_name="initiative_submit",
    openapi_extra=SUBMIT_OPENAPI,
)
def submit(request, response: HttpResponse):
    """Submit an initiative on behalf of a member whose grassroots union is in the officer's
    subtree. The same checks and messages as the public form; 422 answers every error keyed by
    the body's field path ("title", "author.phone", "coauthors.0.share"). With an
    `Idempotency-Key`, a retry answers 200 with the first receipt and creates nothing."""
    officer = request.auth
    if not rules.is_officer(officer):
        return Status(
            403,
            {"detail": _("Tài khoản chưa được giao vai trò ở đơn vị nào nên không thể nộp hộ.")},
        )
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return _invalid({"non_field": [_("Nội dung gửi lên không phải JSON hợp lệ.")]})
    if not isinstance(body, dict):
        return _invalid(
            {
                "non_field": [
                    _("Nội dung gửi lên phải là một đối tượng JSON với các mục của sáng kiến.")
                ]
            }
        )
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        return _invalid(
            {
                "Idempotency-Key": [
                    _("Khoá Idempotency-Key dài tối đa %(limit)s ký tự.")
                    % {"limit": MAX_IDEMPOTENCY_KEY}
                ]
            }
        )
    idempotency_key = stored_key(officer, key) if key else None
    digest = request_hash(body)
    if idempotency_key:
        # Before every other check: a retry finds what was acknowledged, even after the deadline.
        existing = Initiative.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(response, existing, digest)

    code = body.get("program")
    if not isinstance(code, str) or not code.strip():
        message = (
            _("Vui lòng điền mục này.")
            if code is None or isinstance(code, str)
            else _must_be_text()
        )
        return _invalid({"program": [message]})
    program = (
        Program.objects.filter(is_published=True, code=code.strip())
        .prefetch_related("phases", "options")
        .first()
    )
    if program is None:
        return Status(404, {"detail": _("Không có chương trình mã %(code)s.") % {"code": code}})
    now = timezone.now()
    if not windows.is_open(program, now):
        return Status(409, {"detail": closed_message(program, now)})

    data, type_errors = form_data(body)
    submission = Submission(program, data, None, within=rules.visible_roots(officer))
    if not submission.is_valid() or type_errors:
        return _invalid(_errors(submission, type_errors))

    entered = submission.to_input()
    limit = ratelimit.check("submit_phone", entered.authors[0].phone)
    if not limit.allowed:
        return _too_many(
            response,
            limit,
            _(
                "Số điện thoại của tác giả đã nộp quá nhiều sáng kiến trong thời gian ngắn; vui "
                "lòng thử lại sau %(wait)s."
            ),
        )
    try:
        initiative, created = initiative_submit(
            program=program,
            data=entered,
            actor=officer,
            channel=Channel.API,
            idempotency_key=idempotency_key,
            request_hash=digest,
            at=now,
        )
    except SubmissionRefused as refused:
        return Status(409, {"detail": refused.message})
    if not created:
        # Another request with the same key was committed between our check and our write.
        return _replayed(response, initiative, digest)
    response["Location"] = _submitted(initiative)["url"]
    return Status(201, _submitted(initiative))


@router.get(
    "/{receipt}",
    response={200: LookupOut, 404: ErrorOut, 429: ErrorOut},
    by_alias=True,
    summary="Tra cứu sáng kiến",
    url_name="initiative_lookup",
)
def lookup(request, receipt: str, response: HttpResponse, phone: str = ""):
    """The status and history of an initiative, for whoever knows its receipt code and one of its
    authors' phone numbers. Phone and ID numbers are masked. A wrong receipt and a wrong phone
    answer the same 404."""
    message = _("Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau %(wait)s.")
    by_ip = ratelimit.check("lookup_ip", request.META.get("REMOTE_ADDR") or "")
    if not by_ip.allowed:
        return _too_many(response, by_ip, message)
    by_receipt = ratelimit.check("lookup_receipt", parse_receipt(receipt) or receipt.upper()[:32])
    if not by_receipt.allowed:
        return _too_many(
            response,
            by_receipt,
            _("Mã biên nhận này đã được tra cứu quá nhiều lần; vui lòng thử lại sau %(wait)s."),
        )
    initiative = queries.lookup(receipt, phone)
    if initiative is None:
        return Status(
            404, {"detail": _("Không tìm thấy sáng kiến với mã biên nhận và số điện thoại này.")}
        )
    return Status(200, _lookup_out(queries.status_details(initiative)))


def _label(status: str) -> str:
    return str(InitiativeStatus(status).label)


def _lookup_out(initiative: Initiative) -> dict:
    return {
        "receipt": initiative.receipt_display,
        "program": initiative.program.code,
        "status": {"code": initiative.status, "label": _label(initiative.status)},
        "title": initiative.title,
        "unit": {"code": initiative.unit.code, "name": initiative.unit.name},
        "submitted_at": timezone.localtime(initiative.submitted_at),
        "on_behalf": initiative.is_on_behalf,
        "authors": [
            {
                "full_name": author.full_name,
                "phone": author.phone_masked,
                "id_number": author.id_masked,
                "share": float(author.share),
                "credited": author.is_credited,
            }
            for author in sorted(initiative.authors.all(), key=lambda a: a.position)
        ],
        "history": [
            {
                "at": timezone.localtime(change.at),
                "from": change.from_status or None,
                "to": change.to_status,
                "to_label": _label(change.to_status),
                "reason_code": change.reason_code,
                "message": change.message,
            }
            for change in initiative.history.all()
        ],
    }
