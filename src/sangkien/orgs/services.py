"""Writes to the tree: create, update, move, merge, split, dissolve; member totals.

Every restructuring takes an effective date and keeps history: the old placement is closed on
that date and a new one opened, and closed units get successor links.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangkien.common.audit import audit
from sangkien.common.text import clean_line, fold
from sangkien.common.timewindows import END_OF_TIME
from sangkien.orgs.enums import KINDS_BY_LEVEL, Block, Level, SuccessionKind
from sangkien.orgs.models import Unit, UnitPlacement, UnitSuccession
from sangkien.orgs.queries import placement_on, today, valid_on
from sangkien.targets.services import dashboards_change_on_commit, tree_changed


class TreeError(ValidationError):
    """A restructuring or edit that would break the tree; its message is for the officer."""


def check_unit_fields(*, level: int, kind: str, block: str, parent: Unit | None) -> dict[str, str]:
    """The rules every unit obeys, as {field: Vietnamese message}; empty when all hold."""
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = _("Cấp phải là 0, 1, 2 hoặc 3.")
        return errors
    if kind not in KINDS_BY_LEVEL[level]:
        allowed = ", ".join(sorted(KINDS_BY_LEVEL[level]))
        errors["kind"] = _("Loại đơn vị không hợp với cấp %(level)s (được dùng: %(allowed)s).") % {
            "level": level,
            "allowed": allowed,
        }
    if block not in Block.values:
        errors["block"] = _("Khối phải là một trong: %(allowed)s.") % {
            "allowed": ", ".join(Block.values)
        }
    if level == Level.FEDERATION and parent is not None:
        errors["parent"] = _("Tổng Liên đoàn không có đơn vị cấp trên.")
    elif level != Level.FEDERATION and parent is None:
        errors["parent"] = _("Đơn vị cấp %(level)s phải có đơn vị cấp trên.") % {"level": level}
    elif parent is not None and parent.level != level - 1:
        errors["parent"] = _(
            "Đơn vị cấp trên %(parent)s ở cấp %(parent_level)s, không phải cấp %(expected)s."
        ) % {"parent": parent.code, "parent_level": parent.level, "expected": level - 1}
    return errors


def _path(parent_path: str | None, unit_id: int) -> str:
    return f"{parent_path or '/'}{unit_id}/"


def _current_placement(unit: Unit, on: date) -> UnitPlacement:
    placement = placement_on(unit, on)
    if placement is None:
        raise TreeError(
            _("Đơn vị %(code)s không tồn tại vào ngày %(day)s.")
            % {"code": unit.code, "day": on.strftime("%d/%m/%Y")}
        )
    return placement


def insert_unit(
    *,
    code: str,
    name: str,
    level: int,
    kind: str,
    block: str,
    parent: Unit | None,
    parent_path: str | None,
    member_count: int,
    valid_from: date,
    valid_to: date,
    is_demo: bool = False,
) -> tuple[Unit, UnitPlacement]:
    """The two rows of a new unit (identity and placement). Callers check the rules first:
    `unit_create` one unit at a time, the importer a whole checked file."""
    name = clean_line(name)
    unit = Unit.objects.create(
        code=code,
        name=name,
        search_name=fold(name),
        level=level,
        kind=kind,
        block=block,
        member_count=member_count,
        valid_from=valid_from,
        valid_to=valid_to,
        is_demo=is_demo,
    )
    dashboards_change_on_commit()  # the kept dashboards show units
    placement = UnitPlacement.objects.create(
        unit=unit,
        parent=parent,
        path=_path(parent_path, unit.pk),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return unit, placement


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    level: int,
    kind: str,
    block: str,
    parent: Unit | None,
    member_count: int = 0,
    effective_on: date | None = None,
    valid_to: date = END_OF_TIME,
    is_demo: bool = False,
    actor=None,
) -> Unit:
    """Create a unit under `parent`, existing from `effective_on` (today by default)."""
    effective_on = effective_on or today()
    errors = check_unit_fields(level=level, kind=kind, block=block, parent=parent)
    if Unit.objects.filter(code=code).exists():
        errors["code"] = _("Mã đơn vị %(code)s đã có.") % {"code": code}
    if errors:
        raise TreeError(errors)
    parent_path = _current_placement(parent, effective_on).path if parent else None
    unit, _placement = insert_unit(
        code=code,
        name=name,
        level=level,
        kind=kind,
        block=block,
        parent=parent,
        parent_path=parent_path,
        member_count=member_count,
        valid_from=effective_on,
        valid_to=valid_to,
        is_demo=is_demo,
    )
    audit(
        actor=actor,
        action="unit.create",
        obj=unit,
        code=code,
        parent=parent.code if parent else None,
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor=None, **changes) -> Unit:
    """Change a unit's name, kind, block or declared member count (not its place: see unit_move)."""
    allowed = {"name", "kind", "block", "member_count"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unit_update cannot change {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = clean_line(changes["name"])
    placement = placement_on(unit) or None
    errors = check_unit_fields(
        level=unit.level,
        kind=changes.get("kind", unit.kind),
        block=changes.get("block", unit.block),
        parent=placement.parent if placement else None,
    )
    errors.pop("parent", None)
    if errors:
        raise TreeError(errors)
    before = {field: getattr(unit, field) for field in changes}
    for field, value in changes.items():
        setattr(unit, field, value)
    fields = list(changes)
    if "name" in changes:
        unit.search_name = fold(unit.name)
        fields.append("search_name")
    if not fields:
        return unit
    unit.save(update_fields=[*fields, "updated_at"])
    dashboards_change_on_commit()  # the kept dashboards show units
    audit(actor=actor, action="unit.update", obj=unit, before=before, after=changes)
    return unit


def _recount_today_tree() -> None:
    # The maintained numbers (targets) sit above the tree and count on today's tree.
    tree_changed()


def announce_tree_change() -> None:
    """After the commit, today's tree is recounted: once per transaction, however many units
    moved, merged, split or were dissolved in it."""
    connection = transaction.get_connection()
    if any(entry[1] is _recount_today_tree for entry in connection.run_on_commit):
        return
    transaction.on_commit(_recount_today_tree)


def _relocate(*, unit: Unit, new_parent: Unit, effective_on: date) -> int:
    """Re-hang `unit` and its whole subtree under `new_parent` from `effective_on`."""
    current = _current_placement(unit, effective_on)
    target = _current_placement(new_parent, effective_on)
    # Checked before the levels: a unit's own subtree never holds a unit one level up, so the
    # level rule would otherwise always answer first, with a message that hides the real mistake.
    if target.path.startswith(current.path):
        raise TreeError(_("Không thể chuyển một đơn vị vào chính đơn vị trực thuộc nó."))
    if new_parent.level != unit.level - 1:
        raise TreeError(
            _("Không thể chuyển %(unit)s (cấp %(level)s) về %(parent)s (cấp %(parent_level)s).")
            % {
                "unit": unit.code,
                "level": unit.level,
                "parent": new_parent.code,
                "parent_level": new_parent.level,
            }
        )
    if current.parent_id == new_parent.pk:
        return 0
    rows = list(
        UnitPlacement.objects.select_for_update().filter(
            path__startswith=current.path, valid_to__gt=effective_on
        )
    )
    if any(row.valid_from > effective_on for row in rows):
        raise TreeError(
            _(
                "Đã có thay đổi sau ngày %(day)s trong cây của %(unit)s; hãy chọn ngày hiệu lực muộn hơn."
            )
            % {"day": effective_on.strftime("%d/%m/%Y"), "unit": unit.code}
        )
    old_prefix, new_prefix = current.path, _path(target.path, unit.pk)
    to_update, to_create = [], []
    for row in rows:
        new_path = new_prefix + row.path[len(old_prefix) :]
        new_parent_id = new_parent.pk if row.unit_id == unit.pk else row.parent_id
        if row.valid_from == effective_on:
            row.path, row.parent_id = new_path, new_parent_id
            to_update.append(row)
        else:
            to_create.append(
                UnitPlacement(
                    unit_id=row.unit_id,
                    parent_id=new_parent_id,
                    path=new_path,
                    valid_from=effective_on,
                    valid_to=row.valid_to,
                )
            )
            row.valid_to = effective_on
            to_update.append(row)
    UnitPlacement.objects.bulk_update(to_update, ["path", "parent", "valid_to"], batch_size=1000)
    UnitPlacement.objects.bulk_create(to_create, batch_size=1000)
    announce_tree_change()
    return len(rows)


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, effective_on: date, actor=None) -> Unit:
    """Chuyển: the unit and its subtree move under `new_parent` from `effective_on`."""
    old = _current_placement(unit, effective_on).parent
    moved = _relocate(unit=unit, new_parent=new_parent, effective_on=effective_on)
    if moved:
        audit(
            actor=actor,
            action="unit.move",
            obj=unit,
            old_parent=old.code if old else None,
            new_parent=new_parent.code,
            effective_on=effective_on.isoformat(),
        )
    return unit


def _close(unit: Unit, effective_on: date) -> None:
    placement = _current_placement(unit, effective_on)
    if placement.valid_from >= effective_on:
        raise TreeError(
            _("Đơn vị %(code)s mới có hiệu lực từ %(day)s; không thể kết thúc cùng ngày.")
            % {"code": unit.code, "day": placement.valid_from.strftime("%d/%m/%Y")}
        )
    placement.valid_to = effective_on
    placement.save(update_fields=["valid_to"])
    announce_tree_change()
    unit.valid_to = effective_on
    unit.save(update_fields=["valid_to", "updated_at"])


def _hand_over_children(*, unit: Unit, to: Unit, effective_on: date) -> list[Unit]:
    kids = list(
        Unit.objects.filter(
            valid_on(effective_on, "placements__"), placements__parent=unit
        ).order_by("code")
    )
    for kid in kids:
        _relocate(unit=kid, new_parent=to, effective_on=effective_on)
    return kids


@transaction.atomic
def units_merge(*, units: list[Unit], into: Unit, effective_on: date, actor=None) -> Unit:
    """Sáp nhập: `units` end on `effective_on`; their children and history pass to `into`."""
    if not units:
        raise TreeError(_("Chọn ít nhất một đơn vị để sáp nhập."))
    _current_placement(into, effective_on)
    for unit in units:
        if unit.pk == into.pk:
            continue
        if unit.level != into.level:
            raise TreeError(
                _("Chỉ sáp nhập các đơn vị cùng cấp: %(a)s và %(b)s khác cấp.")
                % {"a": unit.code, "b": into.code}
            )
        kids = _hand_over_children(unit=unit, to=into, effective_on=effective_on)
        _close(unit, effective_on)
        UnitSuccession.objects.create(
            predecessor=unit, successor=into, kind=SuccessionKind.MERGE, effective_on=effective_on
        )
        audit(
            actor=actor,
            action="unit.merge",
            obj=unit,
            into=into.code,
            children=[kid.code for kid in kids],
            effective_on=effective_on.isoformat(),
        )
    return into


@transaction.atomic
def unit_split(
    *, unit: Unit, parts: list[tuple[Unit, list[Unit]]], effective_on: date, actor=None
) -> list[Unit]:
    """Chia tách: `unit` ends; each (successor, children) part takes the listed children."""
    if len(parts) < 2:
        raise TreeError(_("Chia tách cần ít nhất hai đơn vị kế thừa."))
    current_kids = set(
        Unit.objects.filter(
            valid_on(effective_on, "placements__"), placements__parent=unit
        ).values_list("pk", flat=True)
    )
    assigned = [kid.pk for _successor, kids in parts for kid in kids]
    if sorted(assigned) != sorted(current_kids):
        raise TreeError(
            _("Mỗi đơn vị trực thuộc của %(code)s phải được giao cho đúng một đơn vị kế thừa.")
            % {"code": unit.code}
        )
    for successor, kids in parts:
        if successor.pk == unit.pk:
            raise TreeError(
                _("Đơn vị %(code)s không thể là đơn vị kế thừa của chính nó.") % {"code": unit.code}
            )
        if successor.level != unit.level:
            raise TreeError(
                _("Đơn vị kế thừa %(code)s phải cùng cấp với %(unit)s.")
                % {"code": successor.code, "unit": unit.code}
            )
        for kid in kids:
            _relocate(unit=kid, new_parent=successor, effective_on=effective_on)
        UnitSuccession.objects.create(
            predecessor=unit,
            successor=successor,
            kind=SuccessionKind.SPLIT,
            effective_on=effective_on,
        )
    _close(unit, effective_on)
    audit(
        actor=actor,
        action="unit.split",
        obj=unit,
        into=[successor.code for successor, _kids in parts],
        effective_on=effective_on.isoformat(),
    )
    return [successor for successor, _kids in parts]


@transaction.atomic
def unit_dissolve(
    *, unit: Unit, effective_on: date, successor: Unit | None = None, actor=None
) -> Unit:
    """Giải thể: `unit` ends; its children (if any) pass to `successor`, which is then required."""
    has_children = UnitPlacement.objects.filter(valid_on(effective_on), parent=unit).exists()
    if has_children and successor is None:
        raise TreeError(
            _("Đơn vị %(code)s còn đơn vị trực thuộc: hãy chọn đơn vị tiếp nhận.")
            % {"code": unit.code}
        )
    if successor is not None:
        if successor.pk == unit.pk:
            raise TreeError(
                _("Đơn vị %(code)s không thể là đơn vị kế thừa của chính nó.") % {"code": unit.code}
            )
        if successor.level != unit.level:
            raise TreeError(
                _("Đơn vị tiếp nhận %(code)s phải cùng cấp với %(unit)s.")
                % {"code": successor.code, "unit": unit.code}
            )
        _hand_over_children(unit=unit, to=successor, effective_on=effective_on)
        UnitSuccession.objects.create(
            predecessor=unit,
            successor=successor,
            kind=SuccessionKind.DISSOLVE,
            effective_on=effective_on,
        )
    _close(unit, effective_on)
    audit(
        actor=actor,
        action="unit.dissolve",
        obj=unit,
        successor=successor.code if successor else None,
        effective_on=effective_on.isoformat(),
    )
    return unit


def refresh_member_totals(on: date | None = None) -> int:
    """Set every non-grassroots unit's member_count to the sum of its grassroots on day `on`.

    One pass over the day's placements; returns how many units changed.
    """
    on = on or today()
    totals: dict[int, int] = defaultdict(int)
    rows = (
        UnitPlacement.objects.filter(valid_on(on), unit__level=Level.GRASSROOTS)
        .values_list("path", "unit__member_count")
        .iterator(chunk_size=10_000)
    )
    for path, members in rows:
        for ancestor in path.strip("/").split("/")[:-1]:
            totals[int(ancestor)] += members
    changed = []
    upper = Unit.objects.filter(valid_on(on), level__lt=Level.GRASSROOTS).only("pk", "member_count")
    for unit in upper.iterator(chunk_size=10_000):
        total = totals.get(unit.pk, 0)
        if unit.member_count != total:
            unit.member_count = total
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["member_count"], batch_size=1000)
    if changed:
        dashboards_change_on_commit()  # the kept dashboards show units
    return len(changed)


__all__ = [
    "TreeError",
    "check_unit_fields",
    "refresh_member_totals",
    "unit_create",
    "unit_dissolve",
    "unit_move",
    "unit_split",
    "unit_update",
    "units_merge",
]
