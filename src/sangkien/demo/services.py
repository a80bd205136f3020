"""Demo data: only `make run` (manage.py load_demo) creates it; nothing else depends on it."""

from django.db import transaction

from sangkien.accounts.enums import RoleKind
from sangkien.accounts.models import Officer
from sangkien.accounts.services import officer_create, role_grant
from sangkien.demo.initiatives import create_demo_initiatives
from sangkien.demo.review import create_demo_review
from sangkien.demo.targets import create_demo_targets
from sangkien.orgs.models import Unit
from sangkien.orgs.national import FEDERATION_CODE, generate_demo_units
from sangkien.orgs.queries import today
from sangkien.programs.services import load_demo_program

DEMO_PASSWORD = "sangkien-demo"
GIA_LAM = "T01-D018"
STANLEY = "T01-D018-C001"
DEMO_OFFICERS = [
    # username, full name, unit code, role
    ("quantri", "Quản trị toàn quốc (minh hoạ)", FEDERATION_CODE, RoleKind.NATIONAL_ADMIN),
    ("gialam", "Cán bộ LĐLĐ huyện Gia Lâm (minh hoạ)", GIA_LAM, RoleKind.UNIT_ADMIN),
    (
        "stanley",
        "Cán bộ CĐ Công ty TNHH điện Stanley Việt Nam (minh hoạ)",
        STANLEY,
        RoleKind.REVIEWER,
    ),
]


@transaction.atomic
def create_demo_officers() -> list[Officer]:
    officers = []
    for username, full_name, code, kind in DEMO_OFFICERS:
        officer = Officer.objects.filter(username=username).first()
        if officer is None:
            officer = officer_create(username=username, password=DEMO_PASSWORD, full_name=full_name)
        role_grant(officer=officer, unit=Unit.objects.get(code=code), kind=kind)
        officers.append(officer)
    return officers


def load_demo(*, scale: float = 0.01) -> dict[str, object]:
    """The open demonstration programme (windows moved around today on every run), demo units
    when there are none yet, the demo officers and 40 demo initiatives."""
    program = load_demo_program(today())
    made = {"superiors": 0, "grassroots": 0}
    if not Unit.objects.filter(is_demo=True).exists():
        made = generate_demo_units(scale=scale)
    officers = create_demo_officers()
    targets = create_demo_targets(program)
    initiatives = create_demo_initiatives(program)
    nominations = create_demo_review(program)
    return {
        "program": program,
        "units": made,
        "officers": officers,
        "initiatives": initiatives,
        "nominations": nominations,
        "allocations": targets,
    }
