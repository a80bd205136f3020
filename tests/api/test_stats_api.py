"""/api/v1/stats (an officer's unit against its targets) and /api/v1/leaderboard (public)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from sangkien.accounts.services import token_issue
from sangkien.initiatives.enums import Status
from sangkien.initiatives.services import transition
from sangkien.orgs.models import Unit
from sangkien.targets import services as numbers
from sangkien.targets.models import Allocation
from tests.conftest import STANLEY
from tests.targets import conftest as numbers_fixtures
from tests.targets import rankings_fixtures

submit_many = numbers_fixtures.submit_many
workplace = rankings_fixtures.workplace
small_tree = rankings_fixtures.small_tree

STATS = "/api/v1/stats"
LEADERBOARD = "/api/v1/leaderboard"
DEMO = "demo-01-trieu-sang-kien"
DEMO_NAME = "Minh hoạ 01 triệu sáng kiến"


def bearer(officer) -> dict:
    _token, plain = token_issue(officer=officer, name="thử")
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def gialam(national, make_officer):
    """A reviewer of LĐLĐ huyện Gia Lâm (T01-D018) and the headers of their token."""
    return bearer(make_officer("gialam", "T01-D018"))


@pytest.fixture
def gialam_figures(national, submit_many, open_program):
    """Stanley: 3 initiatives in phase 1 (one found not eligible), 1 in phase 2; Gia Lâm has
    2,000 members and a target of 10 (5 a phase) and 15% participation from Hà Nội's table."""
    stanley = national[STANLEY]
    made = submit_many(stanley, 3, benefit_vnd=2_000_000)
    phase_2 = open_program.phases.get(number=2).submission_opens_at + timedelta(days=1)
    submit_many(stanley, 1, at=phase_2, benefit_vnd=5_000_000)
    transition(made[0], Status.NOT_ELIGIBLE, reason_code="not_new")
    numbers.fold()
    Unit.objects.filter(code="T01-D018").update(member_count=2000)
    Allocation.objects.create(
        program=open_program,
        parent=national["T01"],
        label="Gia Lâm",
        unit=national["T01-D018"],
        kind="absolute",
        total=Decimal(10),
        participation_percent=Decimal(15),
    )
    return made


@pytest.mark.django_db
def test_stats_answer_exactly_what_was_submitted(gialam, gialam_figures):
    response = Client().get(STATS, {"unit": "T01-D018", "program": DEMO}, headers=gialam)

    assert response.status_code == 200
    body = response.json()
    assert body.pop("as_of") is not None
    assert body == {
        "unit": {"code": "T01-D018", "name": "Liên đoàn Lao động huyện Gia Lâm", "level": 2},
        "program": DEMO,
        "phase": None,
        "tree": "h",
        "total": 3,
        "target": 10,
        "participants": 3,
        "members": 2000,
        "participation_rate": 0.15,
        "participation_target": 15.0,
        "benefit_vnd": 9_000_000,
        "by_phase": [
            {
                "phase": 1,
                "total": 2,
                "target": 5,
                "participants": 2,
                "participation_rate": 0.1,
                "benefit_vnd": 4_000_000,
            },
            {
                "phase": 2,
                "total": 1,
                "target": 5,
                "participants": 1,
                "participation_rate": 0.05,
                "benefit_vnd": 5_000_000,
            },
        ],
        "by_status": {
            "submitted": 3,
            "needs_info": 0,
            "eligible": 0,
            "not_eligible": 1,
            "withdrawn": 0,
        },
    }


@pytest.mark.django_db
def test_stats_of_one_phase_on_todays_tree(gialam, gialam_figures):
    response = Client().get(
        STATS, {"unit": "t01-d018", "program": DEMO, "phase": "1", "tree": "t"}, headers=gialam
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["phase"], body["tree"], body["total"], body["target"]) == (1, "t", 2, 5)
    assert (body["participants"], body["benefit_vnd"]) == (2, 4_000_000)
    assert body["by_status"]["not_eligible"] == 1
    assert body["by_status"]["submitted"] == 2


@pytest.mark.django_db
def test_stats_answer_404_outside_the_officers_subtree_like_a_missing_unit(gialam, gialam_figures):
    outside = Client().get(STATS, {"unit": "T01-D004", "program": DEMO}, headers=gialam)
    above = Client().get(STATS, {"unit": "T01", "program": DEMO}, headers=gialam)
    missing = Client().get(STATS, {"unit": "T01-X999", "program": DEMO}, headers=gialam)

    assert (outside.status_code, above.status_code, missing.status_code) == (404, 404, 404)
    assert outside.json() == {"detail": "Không có đơn vị mã T01-D004."}
    assert above.json() == {"detail": "Không có đơn vị mã T01."}
    assert missing.json() == {"detail": "Không có đơn vị mã T01-X999."}


@pytest.mark.django_db
def test_stats_need_a_token(national, open_program):
    response = Client().get(STATS, {"unit": "T01-D018", "program": DEMO})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "Cần mã truy cập hợp lệ: gửi header Authorization: Bearer <mã>."
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"program": DEMO}, 400, "Thiếu tham số unit."),
        ({"unit": "T01-D018"}, 400, "Thiếu tham số program."),
        (
            {"unit": "T01-D018", "program": DEMO, "phase": "9"},
            400,
            f"Chương trình “{DEMO_NAME}” không có giai đoạn 9.",
        ),
        (
            {"unit": "T01-D018", "program": DEMO, "phase": "một"},
            400,
            f"Chương trình “{DEMO_NAME}” không có giai đoạn một.",
        ),
        (
            {"unit": "T01-D018", "program": DEMO, "tree": "x"},
            400,
            "Cây đơn vị “x” không hợp lệ: h (cây đơn vị khi nộp) hoặc t (cây đơn vị hiện nay).",
        ),
        ({"unit": "T01-D018", "program": "khong-co"}, 404, "Không có chương trình mã khong-co."),
    ],
)
def test_stats_refuse_bad_parameters_in_vietnamese(gialam, open_program, params, status, message):
    response = Client().get(STATS, params, headers=gialam)

    assert response.status_code == status
    assert response.json() == {"detail": message}


@pytest.mark.django_db
def test_leaderboard_is_public_and_ranks_with_ties(workplace, submit_many, open_program):
    submit_many(workplace("T01"), 3)
    submit_many(workplace("T02"), 3)
    submit_many(workplace("T04"), 1)
    Unit.objects.filter(code="T01").update(member_count=1500)

    response = Client().get(LEADERBOARD, {"program": DEMO})

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert body["period"]["key"] == ""
    assert (body["program"], body["cluster"], body["by"], body["tree"]) == (
        DEMO,
        None,
        "count",
        "h",
    )
    assert len(body["units"]) == 83
    assert body["units"][:3] == [
        {
            "rank": 1,
            "code": "T01",
            "name": "Liên đoàn Lao động thành phố Hà Nội",
            "level": 1,
            "count": 3,
            "members": 1500,
            "per_thousand": 2.0,
            "participants": 3,
            "participation_rate": 0.2,
            "target": None,
        },
        {
            "rank": 1,
            "code": "T02",
            "name": "Liên đoàn Lao động tỉnh Hà Giang",
            "level": 1,
            "count": 3,
            "members": 0,
            "per_thousand": None,
            "participants": 3,
            "participation_rate": None,
            "target": None,
        },
        {
            "rank": 3,
            "code": "T04",
            "name": "Liên đoàn Lao động tỉnh Cao Bằng",
            "level": 1,
            "count": 1,
            "members": 0,
            "per_thousand": None,
            "participants": 1,
            "participation_rate": None,
            "target": None,
        },
    ]


@pytest.mark.django_db
def test_leaderboard_of_a_cluster_and_a_phase(workplace, submit_many, open_program):
    submit_many(workplace("T22"), 2)
    submit_many(workplace("T01"), 1)
    submit_many(workplace("T02"), 4)  # another cluster
    later = open_program.phases.get(number=2).submission_opens_at + timedelta(days=1)
    submit_many(workplace("T01"), 5, at=later)

    response = Client().get(LEADERBOARD, {"program": DEMO, "cluster": "cum-dbsh", "period": "p1"})

    body = response.json()
    assert body["cluster"] == {
        "code": "CUM-DBSH",
        "name": "Cụm thi đua các tỉnh, thành phố Đồng bằng sông Hồng",
    }
    assert body["period"]["key"] == "p1"
    assert body["period"]["label"] == "Giai đoạn 1"
    assert len(body["units"]) == 11
    assert [(u["rank"], u["code"], u["count"]) for u in body["units"][:3]] == [
        (1, "T22", 2),
        (2, "T01", 1),
        (3, "T26", 0),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 400, "Thiếu tham số program."),
        ({"program": "khong-co"}, 404, "Không có chương trình mã khong-co."),
        ({"program": DEMO, "cluster": "CUM-X"}, 404, "Không có cụm, khối thi đua mã CUM-X."),
        (
            {"program": DEMO, "period": "2019-Q1"},
            400,
            f"Quý 1/2019 nằm ngoài thời gian nộp sáng kiến của chương trình “{DEMO_NAME}”.",
        ),
        (
            {"program": DEMO, "period": "p3"},
            400,
            f"Chương trình “{DEMO_NAME}” không có giai đoạn 3.",
        ),
        (
            {"program": DEMO, "by": "tốt nhất"},
            400,
            "Cách xếp hạng “tốt nhất” không hợp lệ: count (theo số sáng kiến) hoặc per_thousand "
            "(theo số sáng kiến trên 1.000 đoàn viên).",
        ),
    ],
)
def test_leaderboard_refuses_bad_parameters_in_vietnamese(
    national, open_program, params, status, message
):
    response = Client().get(LEADERBOARD, params)

    assert response.status_code == status
    assert response.json() == {"detail": message}


@pytest.mark.django_db
@pytest.mark.parametrize("k", [1, 3])
def test_api_query_counts_are_constant(
    small_tree, open_program, submit_many, make_officer, django_assert_num_queries, k
):
    for union in small_tree(k):
        submit_many(union, 2)
    headers = bearer(make_officer("quantri", "TLD", "national_admin"))
    client = Client()

    # programme 2, units 1, figures 1, targets 2, as of 1
    with django_assert_num_queries(7):
        board = client.get(LEADERBOARD, {"program": DEMO, "period": "p1"})
    # with a cluster: + the cluster
    with django_assert_num_queries(8):
        cluster = client.get(LEADERBOARD, {"program": DEMO, "cluster": "CUM-1"})
    # token 2, programme 2, unit 1 and its path 1, roles 1 and their path 1, figures 1, targets 1
    # (the federation's come from the programme: no allocation table to read), as of 1
    with django_assert_num_queries(11):
        stats = client.get(STATS, {"unit": "TLD", "program": DEMO}, headers=headers)

    assert [u["count"] for u in board.json()["units"]] == [2] * k
    assert [u["count"] for u in cluster.json()["units"]] == [2]
    assert stats.json()["total"] == 2 * k


@pytest.mark.django_db
def test_leaderboard_does_not_publish_a_cluster_of_a_lower_level(national, open_program):
    from sangkien.orgs.models import Cluster, ClusterMembership

    hanoi = Cluster.objects.create(
        code="CUM-HN-1", name="Cụm quận huyện 1", organiser=national["T01"]
    )
    ClusterMembership.objects.create(cluster=hanoi, unit=national["T01-D018"])

    response = Client().get(LEADERBOARD, {"program": DEMO, "cluster": "CUM-HN-1"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Không có cụm, khối thi đua mã CUM-HN-1."}
