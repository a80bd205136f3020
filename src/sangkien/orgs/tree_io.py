"""Import and export of the tree as XLSX and CSV, with a row-by-row report that changes nothing
when anything is wrong."""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.common.audit import audit
from sangkien.common.sheets import BOM, csv_cells, unguard, xlsx_cell
from sangkien.common.text import clean_line, fold
from sangkien.common.timewindows import BEGINNING_OF_TIME, END_OF_TIME
from sangkien.orgs.enums import Block, Level, UnitKind
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.queries import today, valid_on
from sangkien.orgs.services import (
    _current_placement,
    check_unit_fields,
    insert_unit,
    refresh_member_totals,
    unit_move,
    unit_update,
)

COLUMNS: list[tuple[str, object]] = [
    ("code", gettext_lazy("Mã đơn vị")),
    ("name", gettext_lazy("Tên đơn vị")),
    ("level", gettext_lazy("Cấp")),
    ("kind", gettext_lazy("Loại")),
    ("block", gettext_lazy("Khối")),
    ("parent", gettext_lazy("Mã đơn vị cấp trên")),
    ("member_count", gettext_lazy("Số đoàn viên")),
    ("valid_from", gettext_lazy("Hiệu lực từ")),
    ("valid_to", gettext_lazy("Hiệu lực đến")),
]
REQUIRED = ("code", "name", "level", "kind", "block", "parent")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
# "1250", or grouped by thousands the Vietnamese way ("1.250") or the English way ("1,250").
MEMBERS_RE = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+)$")
MAX_MEMBERS = 2_147_483_647  # the largest value PositiveIntegerField holds on every database
XLSX_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Issue:
    """One problem of an imported file: row as the spreadsheet numbers it, the column, the message."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class _Row:
    number: int
    code: str = ""
    name: str = ""
    level: int | None = None
    kind: str = ""
    block: str = ""
    parent: str = ""
    member_count: int = 0
    valid_from: date | None = None
    valid_to: date | None = None


def header_label(key: str) -> str:
    for column_key, label in COLUMNS:
        if column_key == key:
            return f"{label} ({key})"
    return key


def _column_key(header: object) -> str | None:
    text = clean_line(header or "")
    match = re.search(r"\(([a-z_]+)\)\s*$", text)
    if match and match.group(1) in dict(COLUMNS):
        return match.group(1)
    folded = fold(text)
    for key, label in COLUMNS:
        if folded in {key, fold(str(label))}:
            return key
    return None


def _choice(value: str, choices) -> str | None:
    folded = fold(value)
    for code, label in choices.choices:
        if folded in {fold(code), fold(str(label))}:
            return code
    return None


def _allowed(choices) -> str:
    """The accepted values of a list, each as "label (code)", for an error message."""
    return "; ".join(f"{label} ({code})" for code, label in choices.choices)


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_line(value or "")
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _read_rows(content: bytes, filename: str) -> Iterator[list[object]]:
    if content.startswith(XLSX_MAGIC):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            workbook.close()
        return
    if b"\x00" in content[:4096] and not content.startswith(UTF16_BOMS):
        # A NUL byte never occurs in a CSV file: this is some other binary (XLS, PDF, image…).
        raise ValueError("binary content")
    text = content.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for values in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [unguard(value) for value in values]


def parse(content: bytes, filename: str = "") -> tuple[list[_Row], list[Issue]]:
    """Read every row and check each on its own (formats, allowed values)."""
    issues: list[Issue] = []
    try:
        raw = list(_read_rows(content, filename))
    except UnicodeDecodeError:
        return [], [Issue(0, _("Tệp"), _("Tệp CSV phải được lưu với bảng mã UTF-8."))]
    except Exception:  # openpyxl raises many kinds for a broken workbook; all mean the same here
        return [], [Issue(0, _("Tệp"), _("Không đọc được tệp: cần tệp XLSX hoặc CSV hợp lệ."))]
    if not raw:
        return [], [Issue(0, _("Tệp"), _("Tệp không có dữ liệu."))]
    keys = [_column_key(h) for h in raw[0]]
    missing = [key for key in REQUIRED if key not in keys]
    if missing:
        return [], [
            Issue(1, header_label(key), _("Thiếu cột bắt buộc này ở dòng tiêu đề."))
            for key in missing
        ]
    rows: list[_Row] = []
    for offset, values in enumerate(raw[1:], start=2):
        cells = {key: values[i] if i < len(values) else None for i, key in enumerate(keys) if key}
        if all(clean_line(v or "") == "" for v in cells.values()):
            continue
        row = _Row(number=offset)

        def bad(key: str, message: str, row: _Row = row) -> None:
            issues.append(Issue(row.number, header_label(key), message))

        row.code = clean_line(cells.get("code") or "").upper()
        if not row.code:
            bad("code", _("Thiếu mã đơn vị."))
        elif not CODE_RE.match(row.code):
            bad(
                "code",
                _(
                    "Mã chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa 32 ký tự."
                ),
            )
        row.name = clean_line(cells.get("name") or "")
        if not row.name:
            bad("name", _("Thiếu tên đơn vị."))
        elif len(row.name) > 255:
            bad("name", _("Tên đơn vị dài quá 255 ký tự."))
        level_text = clean_line(cells.get("level") if cells.get("level") is not None else "")
        try:
            number = float(level_text) if level_text else None
        except ValueError:
            number = None
        # "inf" and "nan" parse as floats; "1.5" is no level either.
        row.level = int(number) if number is not None and number.is_integer() else None
        if row.level not in Level.values:
            bad(
                "level",
                _("Cấp phải là 0, 1, 2 hoặc 3 (đang là “%(value)s”).") % {"value": level_text},
            )
            row.level = None
        row.kind = _choice(clean_line(cells.get("kind") or ""), UnitKind) or ""
        if not row.kind:
            bad(
                "kind",
                _("Loại đơn vị không có trong danh mục: “%(value)s”.")
                % {"value": clean_line(cells.get("kind") or "")},
            )
        row.block = _choice(clean_line(cells.get("block") or ""), Block) or ""
        if not row.block:
            bad(
                "block",
                _("Khối không có trong danh mục: “%(value)s”. Dùng một trong: %(allowed)s.")
                % {"value": clean_line(cells.get("block") or ""), "allowed": _allowed(Block)},
            )
        row.parent = clean_line(cells.get("parent") or "").upper()
        members = cells.get("member_count")
        if isinstance(members, float) and members.is_integer():
            members = int(members)  # a spreadsheet number cell: 120.0 is 120
        members_text = clean_line(members if members is not None else "")
        if members_text:
            if (
                MEMBERS_RE.match(members_text)
                and int(re.sub(r"[.,]", "", members_text)) <= MAX_MEMBERS
            ):
                row.member_count = int(re.sub(r"[.,]", "", members_text))
            else:
                bad(
                    "member_count",
                    _("Số đoàn viên phải là số nguyên không âm: “%(value)s”.")
                    % {"value": members_text},
                )
        for key in ("valid_from", "valid_to"):
            value = cells.get(key)
            if value is None or clean_line(value) == "":
                continue
            try:
                setattr(row, key, _parse_date(value))
            except ValueError:
                bad(
                    key,
                    _("Ngày không hợp lệ: “%(value)s” (dùng dd/mm/yyyy).")
                    % {"value": clean_line(value)},
                )
        if row.valid_from and row.valid_to and row.valid_from >= row.valid_to:
            bad("valid_to", _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
        rows.append(row)
    return rows, issues


def _check_tree(rows: list[_Row], on: date, within: str | None) -> list[Issue]:
    """Rules that need the whole file and the database: duplicates, parents, levels, scope."""
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.code and row.code in seen:
            issues.append(
                Issue(
                    row.number,
                    header_label("code"),
                    _("Mã %(code)s trùng với dòng %(other)s.")
                    % {"code": row.code, "other": seen[row.code]},
                )
            )
        elif row.code:
            seen[row.code] = row.number
    by_code = {row.code: row for row in rows if row.code}
    wanted = set(by_code) | {row.parent for row in rows if row.parent}
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=wanted)}
    paths: dict[str, str] = {}
    parents_now: dict[str, str] = {}
    placed = UnitPlacement.objects.filter(valid_on(on), unit__code__in=wanted)
    for code, path, parent_code in placed.values_list("unit__code", "path", "parent__code"):
        paths[code] = path
        parents_now[code] = parent_code or ""
    for row in rows:
        if row.level is None or not row.kind or not row.block:
            continue
        parent: Unit | None = None
        parent_level: int | None = None
        if row.parent:
            if row.parent == row.code:
                issues.append(
                    Issue(
                        row.number,
                        header_label("parent"),
                        _("Đơn vị không thể là cấp trên của chính nó."),
                    )
                )
                continue
            if row.parent in by_code:
                parent_level = by_code[row.parent].level
                if parent_level is None:
                    continue  # that row already has its own issue; this one cannot be judged
            elif row.parent in existing and row.parent in paths:
                parent_level = existing[row.parent].level
            else:
                issues.append(
                    Issue(
                        row.number,
                        header_label("parent"),
                        _("Không có đơn vị cấp trên mã %(code)s (trong tệp hoặc trong hệ thống).")
                        % {"code": row.parent},
                    )
                )
                continue
            parent = Unit(code=row.parent, level=parent_level)
        errors = check_unit_fields(level=row.level, kind=row.kind, block=row.block, parent=parent)
        for key, message in errors.items():
            issues.append(Issue(row.number, header_label(key), message))
        current = existing.get(row.code)
        if current is not None and current.level != row.level:
            issues.append(
                Issue(
                    row.number,
                    header_label("level"),
                    _("Đơn vị %(code)s đã có ở cấp %(level)s; không đổi cấp qua tệp nhập.")
                    % {"code": row.code, "level": current.level},
                )
            )
        if current is not None and row.code not in paths:
            issues.append(
                Issue(
                    row.number,
                    header_label("code"),
                    _("Đơn vị %(code)s đã hết hiệu lực; không sửa qua tệp nhập.")
                    % {"code": row.code},
                )
            )
        if within is not None:
            # A unit inside the scope may keep a parent above it (the scope's own unit does: its
            # export lists that parent); only a new or changed parent must lie inside the scope.
            parent_changes = current is None or parents_now.get(row.code) != row.parent
            outside = (
                row.level == Level.FEDERATION
                or (current is not None and not paths.get(row.code, "").startswith(within))
                or (
                    row.parent
                    and parent_changes
                    and row.parent not in by_code
                    and not paths.get(row.parent, "").startswith(within)
                )
            )
            if outside:
                issues.append(
                    Issue(
                        row.number,
                        header_label("parent"),
                        _("Đơn vị nằm ngoài phạm vi đơn vị bạn quản lý."),
                    )
                )
    return issues


def import_tree(
    content: bytes,
    *,
    filename: str = "",
    actor=None,
    effective_on: date | None = None,
    within: str | None = None,
    keep_member_counts: bool = False,
) -> ImportResult:
    """Check the whole file; if anything is wrong return the report and change nothing; otherwise
    create new units, update changed ones and move those whose parent changed, from `effective_on`.

    `within` (a path) limits the file to the importer's subtree. With `keep_member_counts`, the
    file's member counts only seed new units: existing units keep what was declared since.
    """
    on = effective_on or today()
    rows, issues = parse(content, filename)
    # Rules on the whole tree are checked even when some rows are malformed, so that one report
    # lists every problem of the file.
    issues += _check_tree(rows, on, within)
    if issues:
        return ImportResult(issues=sorted(issues, key=_issue_order))
    result = ImportResult()
    with transaction.atomic():
        _apply(rows, on, actor, result, keep_member_counts=keep_member_counts)
        if result.created or result.updated or result.moved:
            audit(
                actor=actor,
                action="tree.import",
                object_type="orgs.tree",
                object_id=within or "/",
                filename=filename,
                created=result.created,
                updated=result.updated,
                moved=result.moved,
            )
            refresh_member_totals()
    return result


def _issue_order(issue: Issue) -> tuple[int, int, str]:
    """Row by row, and within a row in the order of the columns."""
    labels = [header_label(key) for key, _label in COLUMNS]
    position = labels.index(issue.column) if issue.column in labels else -1
    return issue.row, position, issue.message


def _apply(
    rows: list[_Row], on: date, actor, result: ImportResult, *, keep_member_counts: bool
) -> None:
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=[r.code for r in rows])}
    placements = {
        p.unit_id: p
        for p in UnitPlacement.objects.filter(
            valid_on(on), unit__in=list(existing.values())
        ).select_related("parent")
    }
    path_of: dict[str, tuple[str, date]] = {}
    for row in sorted(rows, key=lambda r: r.level or 0):
        unit = existing.get(row.code)
        parent = existing.get(row.parent) if row.parent else None
        if row.parent and parent is None:
            parent = Unit.objects.get(code=row.parent)
            existing[row.parent] = parent
        if unit is None:
            start = row.valid_from or (BEGINNING_OF_TIME if actor is None else on)
            parent_path = None
            if parent is not None:
                if parent.code in path_of:
                    parent_path, parent_from = path_of[parent.code]
                else:
                    parent_placement = _current_placement(parent, max(start, on))
                    parent_path, parent_from = parent_placement.path, parent_placement.valid_from
                # The path holds only while the parent stands where it stands now: a unit placed
                # under it cannot start earlier (else it would hang under nothing on older days).
                start = max(start, parent_from)
            unit, placement = insert_unit(
                code=row.code,
                name=row.name,
                level=row.level,
                kind=row.kind,
                block=row.block,
                parent=parent,
                parent_path=parent_path,
                member_count=row.member_count,
                valid_from=start,
                valid_to=row.valid_to or END_OF_TIME,
            )
            existing[row.code] = unit
            path_of[row.code] = (placement.path, placement.valid_from)
            result.created += 1
            continue
        # Above the grassroots, member_count is the maintained total of the subtree, not a value
        # the file sets: comparing it would "update" every upper unit on each re-import.
        fields: tuple[str, ...] = ("name", "kind", "block")
        if unit.level == Level.GRASSROOTS and not keep_member_counts:
            fields += ("member_count",)
        changes = {
            key: getattr(row, key) for key in fields if getattr(unit, key) != getattr(row, key)
        }
        current_parent = placements[unit.pk].parent if unit.pk in placements else None
        if changes:
            unit_update(unit=unit, actor=actor, **changes)
            result.updated += 1
        if parent is not None and (current_parent is None or current_parent.pk != parent.pk):
            unit_move(unit=unit, new_parent=parent, effective_on=on, actor=actor)
            result.moved += 1
        elif not changes:
            result.unchanged += 1
        placement = _current_placement(unit, on)
        path_of[row.code] = (placement.path, placement.valid_from)


def export_rows(*, within: str | None = None, on: date | None = None) -> Iterator[list[object]]:
    """The tree (or the subtree at `within`) on day `on`, parents before children."""
    on = on or today()
    yield [header_label(key) for key, _label in COLUMNS]
    placements = UnitPlacement.objects.filter(valid_on(on))
    if within:
        placements = placements.filter(path__startswith=within)
    placements = placements.select_related("unit", "parent").order_by("unit__level", "unit__code")
    for p in placements.iterator(chunk_size=5000):
        unit = p.unit
        yield [
            unit.code,
            unit.name,
            unit.level,
            unit.kind,
            unit.block,
            p.parent.code if p.parent else "",
            unit.member_count,
            "" if unit.valid_from == BEGINNING_OF_TIME else unit.valid_from.strftime("%d/%m/%Y"),
            "" if unit.valid_to == END_OF_TIME else unit.valid_to.strftime("%d/%m/%Y"),
        ]


def to_csv(rows: Iterable[list[object]]) -> Iterator[str]:
    """Stream CSV lines (UTF-8 with BOM first, so Excel shows Vietnamese correctly); a text that
    a spreadsheet would read as a formula ("=HYPERLINK(…)" as a unit name) is led by an
    apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield BOM
    for row in rows:
        writer.writerow(csv_cells(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def to_xlsx(rows: Iterable[list[object]]) -> bytes:
    """The rows as one sheet; every non-empty text is a string cell, never a formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cây tổ chức"))
    for row in rows:
        sheet.append(
            [xlsx_cell(sheet, value) if isinstance(value, str) else value for value in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
