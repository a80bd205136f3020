"""The rows of an export: initiatives read a chunk at a time, with names and masked personal data."""

from collections import namedtuple
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sangkien.common.timewindows import VN_TZ
from sangkien.initiatives.enums import RecognizedBy, Status
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Unit
from sangkien.programs.enums import OptionList
from sangkien.programs.models import Phase, Program, ProgramOption
from sangkien.review.queries import in_subtree

CHUNK_SIZE = 2000  # initiatives read, and authors fetched, at a time; also the progress step
YES = gettext_noop("Có")
NO = gettext_noop("Không")

HEADERS = [
    gettext_noop("Mã biên nhận"),
    gettext_noop("Nộp lúc (giờ Việt Nam)"),
    gettext_noop("Chương trình"),
    gettext_noop("Giai đoạn"),
    gettext_noop("Mã đơn vị"),
    gettext_noop("Công đoàn cơ sở"),
    gettext_noop("Quận, huyện (cấp trên trực tiếp)"),
    gettext_noop("Tỉnh, thành phố, ngành"),
    gettext_noop("Trạng thái"),
    gettext_noop("Loại giải pháp"),
    gettext_noop("Đối tượng"),
    gettext_noop("Khối"),
    gettext_noop("Tên sáng kiến"),
    gettext_noop("Ngày áp dụng lần đầu"),
    gettext_noop("Cấp công nhận"),
    gettext_noop("Số văn bản công nhận"),
    gettext_noop("Ngày công nhận"),
    gettext_noop("Giá trị làm lợi (đồng)"),
    gettext_noop("Lợi ích xã hội"),
    gettext_noop("Tác giả chính"),
    gettext_noop("Số tác giả"),
    gettext_noop("Số điện thoại (đã che)"),
    gettext_noop("Số CCCD/CMND (đã che)"),
    gettext_noop("Nộp trùng"),
    gettext_noop("Trùng với mã biên nhận"),
]
_FIELDS = (
    "pk",
    "receipt",
    "submitted_at",
    "program_id",
    "phase_id",
    "unit__code",
    "unit__name",
    "unit_path",
    "status",
    "kind",
    "target_group",
    "block",
    "title",
    "first_applied_on",
    "recognized_by",
    "recognition_number",
    "recognition_date",
    "benefit_vnd",
    "benefit_text",
    "duplicate_of__receipt",
)


def export_queryset(
    *,
    program: Program | None,
    path: str | None = None,
    phase: int | None = None,
    status: str | None = None,
) -> QuerySet[Initiative]:
    """The initiatives of `program` (all programmes when None) under the subtree at `path` (on the
    tree at submission or today's, as the review queue counts them), in the order they arrived."""
    qs = Initiative.objects.all()
    if program is not None:
        qs = qs.filter(program=program)
    if path:
        qs = qs.filter(in_subtree(path))
    if phase:
        qs = qs.filter(phase__number=phase)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("pk")


def headers() -> list[str]:
    return [_(title) for title in HEADERS]


def _receipt(code: str | None) -> str:
    return f"{code[:4]}-{code[4:]}" if code else ""


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Names:
    """The names rows refer to by id or code, read once (programmes, phases, option lists) or
    as they first appear (the ancestor units of the paths): never once per row."""

    def __init__(self, program: Program | None):
        programs = (
            Program.objects.all() if program is None else Program.objects.filter(pk=program.pk)
        )
        self.programs = dict(programs.values_list("pk", "short_name"))
        phases = Phase.objects.filter(program_id__in=list(self.programs))
        self.phases = dict(phases.values_list("pk", "name"))
        self.options: dict[tuple[int, str, str], str] = {
            (program_id, name, code): label
            for program_id, name, code, label in ProgramOption.objects.filter(
                program_id__in=list(self.programs)
            ).values_list("program_id", "list", "code", "name")
        }
        # Labels in the language active now: the rows may be written after the request is over.
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.recognized = {value: str(label) for value, label in RecognizedBy.choices}
        self.yes, self.no = _(YES), _(NO)
        self.units: dict[int, tuple[int, str]] = {}  # ancestor id → (level, name)
        # The parent's path → (district, province): as many entries as units above grassroots.
        self.places: dict[str, tuple[str, str]] = {}

    def need_ancestors(self, paths: Iterable[str]) -> None:
        wanted: set[int] = set()
        for path in paths:
            parent = _parent_path(path)
            if parent in self.places:
                continue
            for part in parent.strip("/").split("/"):
                if part and int(part) not in self.units:
                    wanted.add(int(part))
        if wanted:
            for pk, level, name in Unit.objects.filter(pk__in=wanted).values_list(
                "pk", "level", "name"
            ):
                self.units[pk] = (level, name)

    def place(self, path: str) -> tuple[str, str]:
        """(district, province) of the union at `path`: its ancestors of levels 2 and 1."""
        parent = _parent_path(path)
        found = self.places.get(parent)
        if found is None:
            by_level = {}
            for part in parent.strip("/").split("/"):
                unit = self.units.get(int(part)) if part else None
                if unit is not None:
                    by_level.setdefault(unit[0], unit[1])
            found = (by_level.get(Level.DIRECT_SUPERIOR, ""), by_level.get(Level.DIRECT, ""))
            self.places[parent] = found
        return found

    def option(self, program_id: int, name: str, code: str) -> str:
        return self.options.get((program_id, name, code), code)

    def row(self, values: tuple, authors: "_Authors | None") -> list:
        (
            _pk,
            receipt,
            submitted_at,
            program_id,
            phase_id,
            unit_code,
            unit_name,
            unit_path,
            status,
            kind,
            target_group,
            block,
            title,
            first_applied_on,
            recognized_by,
            recognition_number,
            recognition_date,
            benefit_vnd,
            benefit_text,
            duplicate_of,
        ) = values
        district, province = self.place(unit_path)
        lead = authors.lead if authors else None
        return [
            _receipt(receipt),
            submitted_at.astimezone(VN_TZ).replace(tzinfo=None),
            self.programs.get(program_id, ""),
            self.phases.get(phase_id, "") if phase_id else "",
            unit_code,
            unit_name,
            district,
            province,
            self.statuses.get(status, status),
            self.option(program_id, OptionList.KIND, kind),
            self.option(program_id, OptionList.TARGET_GROUP, target_group),
            self.option(program_id, OptionList.BLOCK, block),
            title,
            first_applied_on,
            self.recognized.get(recognized_by, recognized_by),
            recognition_number,
            recognition_date,
            benefit_vnd,
            benefit_text,
            lead.full_name if lead else "",
            authors.count if authors else 0,
            _PHONE_MASKED(lead) if lead else "",
            _ID_MASKED(lead) if lead else "",
            self.yes if duplicate_of else self.no,
            _receipt(duplicate_of),
        ]


def _parent_path(path: str) -> str:
    """ "/1/2/3/44/" → "/1/2/3/": the path of the unit above the union."""
    return path[: path.rfind("/", 0, len(path) - 1) + 1]


# An author as the export reads it: the tails and the kind are all the masks need, the ciphers
# are never even read. The masks are the model's own (Author.phone_masked, Author.id_masked),
# applied to these light rows instead of model instances, which cost more than the rest of a row.
_AuthorRow = namedtuple("_AuthorRow", "position full_name phone_tail id_tail id_kind")
_PHONE_MASKED = Author.phone_masked.fget
_ID_MASKED = Author.id_masked.fget


class _Authors:
    __slots__ = ("count", "lead")

    def __init__(self, author: _AuthorRow):
        self.count, self.lead = 1, author

    def add(self, author: _AuthorRow) -> None:
        self.count += 1
        if author.position < self.lead.position:
            self.lead = author


def _authors_of(ids: list[int]) -> dict[int, _Authors]:
    found: dict[int, _Authors] = {}
    rows = (
        Author.objects.filter(initiative_id__in=ids)
        .order_by()
        .values_list("initiative_id", "position", "full_name", "phone_tail", "id_tail", "id_kind")
    )
    for initiative_id, *fields in rows:
        author = _AuthorRow(*fields)
        if initiative_id in found:
            found[initiative_id].add(author)
        else:
            found[initiative_id] = _Authors(author)
    return found


def row_chunks(
    qs: QuerySet[Initiative], *, program: Program | None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[list]]:
    """The export rows of `qs`, a chunk at a time: one query for the authors of each chunk (and
    one for ancestor units not met before), besides the cursor over the initiatives. The names
    and labels are read now, not at the first chunk (a streamed response is written after its
    view has returned)."""
    return _row_chunks(qs, _Names(program), chunk_size)


def _row_chunks(qs: QuerySet[Initiative], names: _Names, chunk_size: int) -> Iterator[list[list]]:
    cursor = qs.values_list(*_FIELDS).iterator(chunk_size=chunk_size)
    for chunk in _chunks(cursor, chunk_size):
        authors = _authors_of([values[0] for values in chunk])
        names.need_ancestors(values[7] for values in chunk)
        yield [names.row(values, authors.get(values[0])) for values in chunk]
