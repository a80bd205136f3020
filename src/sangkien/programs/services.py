"""Writes of programmes: loading a programme from its configuration, the demonstration copy."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from sangkien.common.audit import audit
from sangkien.common.timewindows import vn_at, vn_before_midnight
from sangkien.programs.enums import OptionList
from sangkien.programs.models import ForwardingQuota, Phase, Program, ProgramOption
from sangkien.review.models import Criterion
from sangkien.targets.services import dashboards_change_on_commit

DATA_FILE = Path(__file__).parent / "data" / "programs.json"
DEMO_CODE = "demo-01-trieu-sang-kien"
PROGRAM_FIELDS = (
    "name",
    "short_name",
    "summary",
    "rules_text",
    "description_max_chars",
    "total_target",
    "participation_target_level",
    "min_per_grassroots",
    "max_attachments",
    "max_attachment_mb",
    "attachment_types",
    "allow_drive_link",
)
OPTIONAL_FIELDS = {"research_kinds": list}


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def seed_configurations() -> list[dict[str, Any]]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["programs"]


@transaction.atomic
def program_load(
    *, config: dict[str, Any], actor=None, overwrite: bool = False
) -> tuple[Program, bool]:
    """Create the programme described by `config` (the shape of data/programs.json).

    An existing programme with the same code is left as it is (administrators may have edited
    it) unless `overwrite`. Returns (programme, created).
    """
    existing = Program.objects.filter(code=config["code"]).first()
    if existing and not overwrite:
        return existing, False
    values = {field: config[field] for field in PROGRAM_FIELDS}
    values.update({field: config.get(field, make()) for field, make in OPTIONAL_FIELDS.items()})
    percent = config.get("participation_target_percent")
    values.update(
        participation_target_percent=Decimal(percent) if percent is not None else None,
        submission_opens_at=_instant(config["submission_opens_at"]),
        submission_closes_at=_instant(config["submission_closes_at"]),
        eligible_from=date.fromisoformat(config["eligible_from"]),
        eligible_to=date.fromisoformat(config["eligible_to"]),
        dossier_deadline=_instant(config.get("dossier_deadline")),
        is_demo=config.get("is_demo", False),
    )
    program, created = Program.objects.update_or_create(code=config["code"], defaults=values)
    # Upsert rather than delete-and-recreate: initiatives will point at phases and options.
    phases = {}
    for phase in config["phases"]:
        phases[phase["number"]], _ = Phase.objects.update_or_create(
            program=program,
            number=phase["number"],
            defaults={
                "name": phase["name"],
                "submission_opens_at": _instant(phase["submission_opens_at"]),
                "submission_closes_at": _instant(phase["submission_closes_at"]),
                "eligible_from": date.fromisoformat(phase["eligible_from"]),
                "eligible_to": date.fromisoformat(phase["eligible_to"]),
                "target": phase.get("target"),
            },
        )
    for list_name, items in config["options"].items():
        for position, (code, name) in enumerate(items):
            ProgramOption.objects.update_or_create(
                program=program,
                list=OptionList(list_name),
                code=code,
                defaults={"name": name, "position": position},
            )
    for quota in config.get("quotas", []):
        ForwardingQuota.objects.update_or_create(
            program=program,
            phase=phases.get(quota["phase"]),
            child_level=quota["child_level"],
            defaults={"max_per_unit": quota["max_per_unit"]},
        )
    for position, criterion in enumerate(config.get("rubric", [])):
        Criterion.objects.update_or_create(
            program=program,
            code=criterion["code"],
            defaults={
                "name": criterion["name"],
                "weight": criterion["weight"],
                "max_points": criterion["max_points"],
                "position": position,
            },
        )
    audit(actor=actor, action="program.load", obj=program, created=created)
    dashboards_change_on_commit()  # the kept dashboards show phases and options
    return program, created


def load_seed_programs(actor=None) -> list[Program]:
    return [program_load(config=config, actor=actor)[0] for config in seed_configurations()]


def demo_configuration(today: date) -> dict[str, Any]:
    """The rules of "01 triệu sáng kiến" with its windows moved around `today`: phase 1 opened 30
    days ago and closes in 30 days, phase 2 follows; application dates shift with them."""
    base = next(c for c in seed_configurations() if c["code"] == "01-trieu-sang-kien")
    config = json.loads(json.dumps(base))
    p1_open, p1_last = today - timedelta(days=30), today + timedelta(days=30)
    p2_open, p2_last = p1_last + timedelta(days=1), p1_last + timedelta(days=150)
    eligible_from = today - timedelta(days=150)
    config.update(
        code=DEMO_CODE,
        name="[Minh hoạ] " + base["name"],
        short_name="Minh hoạ 01 triệu sáng kiến",
        summary="Chương trình minh hoạ với thể lệ của “01 triệu sáng kiến”, thời gian dời quanh hôm nay để dùng thử.",
        submission_opens_at=vn_at(p1_open, 7).isoformat(),
        submission_closes_at=vn_before_midnight(p2_last).isoformat(),
        eligible_from=eligible_from.isoformat(),
        eligible_to=p2_last.isoformat(),
        is_demo=True,
    )
    config["phases"][0].update(
        submission_opens_at=vn_at(p1_open, 7).isoformat(),
        submission_closes_at=vn_before_midnight(p1_last).isoformat(),
        eligible_from=eligible_from.isoformat(),
        eligible_to=p1_last.isoformat(),
    )
    config["phases"][1].update(
        submission_opens_at=vn_at(p2_open, 7).isoformat(),
        submission_closes_at=vn_before_midnight(p2_last).isoformat(),
        eligible_from=p2_open.isoformat(),
        eligible_to=p2_last.isoformat(),
    )
    config["quotas"] = [
        {"phase": None, "child_level": 3, "max_per_unit": 3},
        {"phase": None, "child_level": 2, "max_per_unit": 2},
        {"phase": None, "child_level": 1, "max_per_unit": 2},
    ]
    return config


def load_demo_program(today: date, actor=None) -> Program:
    """(Re)create the demonstration programme so that it is open today."""
    program, _created = program_load(config=demo_configuration(today), actor=actor, overwrite=True)
    return program
