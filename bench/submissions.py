"""What the submit benchmark sends: the public form as a browser fills it (a fresh form token, a
member's own phone and ID number, a grassroots union of the country, a generated Vietnamese text),
and the same fields to the bare ceiling view."""

import itertools
import random
import re
import secrets
from datetime import date, timedelta

import aiohttp

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_phones = itertools.count(int(secrets.token_hex(3), 16) % 10_000_000)

SUBJECTS = [
    "quy trình kiểm tra chất lượng",
    "đồ gá hàn",
    "hệ thống bơm nước làm mát",
    "dây chuyền đóng gói",
    "sổ theo dõi ca trực",
    "phần mềm quản lý kho",
    "máy cắt tôn",
    "quy trình tiếp nhận hồ sơ",
    "lò hơi",
    "băng tải",
    "hệ thống chiếu sáng phân xưởng",
    "cách bố trí mặt bằng kho",
]
ACTIONS = [
    "Cải tiến",
    "Giải pháp tối ưu",
    "Ứng dụng tự động hoá",
    "Sáng kiến thay thế",
    "Hợp lý hoá",
]
PLACES = ["tại phân xưởng", "ở tổ sản xuất", "tại bộ phận", "trong nhà máy", "ở văn phòng"]
GAINS = [
    "giảm {n}% thời gian thao tác",
    "tiết kiệm {n}% điện năng mỗi tháng",
    "giảm {n}% sản phẩm lỗi",
    "rút ngắn {n}% thời gian chờ của người lao động",
    "giảm {n}% chi phí vật tư",
]
WORDS = str.split(
    "người lao động công nhân ca làm việc an toàn máy móc thiết bị vận hành bảo dưỡng định kỳ "
    "chi phí năng suất chất lượng sản phẩm đơn vị tổ đội phối hợp kiểm tra hướng dẫn thực hiện "
    "nguyên liệu vật tư tiết kiệm hiệu quả cải tiến áp dụng thử nghiệm đánh giá kết quả"
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam"]


def text(rng: random.Random) -> tuple[str, str]:
    subject = rng.choice(SUBJECTS)
    title = f"{rng.choice(ACTIONS)} {subject} {rng.choice(PLACES)} số {rng.randint(1, 40)}"
    gain = rng.choice(GAINS).format(n=rng.randint(5, 45))
    filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
    description = f"Giải pháp {subject}: {filler}. Kết quả: {gain}."
    return title, description


def fields(rng: random.Random, unit_code: str, applied_from: date) -> dict[str, str]:
    """The fields both views take (the form's and the ModelForm's), for one submission."""
    title, description = text(rng)
    days = max(0, (date.today() - applied_from).days - 1)
    applied = applied_from + timedelta(days=rng.randint(0, days))
    return {
        "unit": unit_code,
        "block": "doanh-nghiep",
        "target_group": "cong-nhan-doanh-nghiep",
        "kind": "giai-phap-ky-thuat",
        "title": title,
        "description": description,
        "first_applied_on": applied.strftime("%d/%m/%Y"),
        "recognized_by": "council",
        "recognition_number": f"{rng.randint(1, 300)}/QĐ-HĐSK",
        "recognition_date": applied.strftime("%d/%m/%Y"),
        "benefit_vnd": str(rng.randint(1, 500) * 1_000_000),
        "benefit_text": "",
        "drive_link": "",
        "not_ip_protected": "on",
        "lawful": "on",
        "notify_email": "",
    }


def form_body(rng: random.Random, unit_code: str, token: str, applied_from: date) -> dict[str, str]:
    """The public form as the browser posts it: a lead author, an empty co-author row."""
    phone = f"09{next(_phones) % 100_000_000:08d}"
    person = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    body = fields(rng, unit_code, applied_from)
    body.pop("notify_email")
    body.update(
        {
            "form_token": token,
            "action": "submit",
            "author_full_name": person,
            "author_phone": phone,
            "author_id_number": f"0011{rng.randint(60, 99)}{rng.randint(0, 999_999):06d}",
            "author_email": "",
            "author_share": "",
            "consent": "on",
            "coauthors-TOTAL_FORMS": "1",
            "coauthors-INITIAL_FORMS": "0",
            "coauthors-MIN_NUM_FORMS": "0",
            "coauthors-MAX_NUM_FORMS": "10",
            "coauthors-0-full_name": "",
            "coauthors-0-phone": "",
            "coauthors-0-id_number": "",
            "coauthors-0-share": "",
        }
    )
    return body


class TokenError(aiohttp.ClientError):
    """A failed request that remembers the (form token, phone) it carried."""

    def __init__(self, tag):
        super().__init__(str(tag))
        self.tag = tag


class PublicForm:
    """Browsers filling the public form of one programme: each first opens the page (cookie and
    CSRF token), then posts; a refused submission may be retried with the same form token."""

    def __init__(
        self, base: str, program_code: str, units: list[str], applied_from: date, seed: int = 6
    ):
        self.url = f"{base}/chuong-trinh/{program_code}/nop/"
        self.applied_from = applied_from
        self.units = units
        self.rng = random.Random(seed)
        self.csrf: dict[int, str] = {}

    async def prepare(self, session: aiohttp.ClientSession) -> None:
        async with session.get(self.url) as response:
            page = await response.text()
            if response.status != 200:
                raise RuntimeError(f"GET {self.url}: {response.status}\n{page[:500]}")
        found = CSRF_INPUT.search(page)
        if not found:
            raise RuntimeError(f"no CSRF token in {self.url}")
        self.csrf[id(session)] = found.group(1)

    def new_body(self) -> dict[str, str]:
        return form_body(
            self.rng, self.rng.choice(self.units), secrets.token_urlsafe(24), self.applied_from
        )

    async def post(self, session: aiohttp.ClientSession, body: dict[str, str]):
        data = {"csrfmiddlewaretoken": self.csrf[id(session)], **body}
        tag = (body["form_token"], body["author_phone"])
        try:
            async with session.post(
                self.url, data=data, allow_redirects=False, headers={"Referer": self.url}
            ) as response:
                await response.read()
                return response.status, dict(response.headers), tag
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TokenError(tag) from error

    async def submit(self, session: aiohttp.ClientSession):
        return await self.post(session, self.new_body())


def acknowledged(status: int, headers: dict) -> bool:
    """The member saw the receipt: a redirect to /bien-nhan/<receipt>/."""
    return status == 302 and "/bien-nhan/" in headers.get("Location", "")


class Ceiling:
    def __init__(
        self, base: str, program_id: int, units: list[str], applied_from: date, seed: int = 7
    ):
        self.url = f"{base}/bench/ceiling/"
        self.applied_from = applied_from
        self.program_id = program_id
        self.units = units
        self.rng = random.Random(seed)

    async def submit(self, session: aiohttp.ClientSession):
        body = fields(self.rng, self.rng.choice(self.units), self.applied_from)
        body["program"] = str(self.program_id)
        async with session.post(self.url, data=body, allow_redirects=False) as response:
            text = await response.read()
            if response.status == 422:
                raise RuntimeError(text.decode()[:500])
            return response.status, dict(response.headers), None
