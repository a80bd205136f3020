"""Loading the real national structure of 2022 and its competition clusters."""

from collections import Counter

from sangkien.orgs import queries
from sangkien.orgs.enums import Block, Level, UnitKind
from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from sangkien.orgs.national import load_national_tree
from sangkien.orgs.services import refresh_member_totals, unit_update
from tests.orgs.helpers import codes

ROWS_IN_UNITS_2022 = 116

GIA_LAM_ENTERPRISES = [
    # The allocation table of LĐLĐ huyện Gia Lâm (seed 004), items 4.2 to 4.8.
    "Công đoàn Công ty TNHH điện Stanley Việt Nam",
    "Công đoàn Công ty TNHH Lixil Việt Nam",
    "Công đoàn Công ty TNHH SX, DV, TM sản phẩm da Ladodda",
    "Công đoàn Công ty CP Hãng sơn Đông Á",
    "Công đoàn Công ty CP Bewin & Coating Việt Nam",
    "Công đoàn Công ty CP Bewin & Coating Sài Gòn",
    "Công đoàn Công ty CP Môi trường đô thị Gia Lâm",
]


def test_national_federation_has_83_direct_units_today(national):
    # given the national tree of 2022
    federation = national["TLD"]

    # when the federation's children are read for today
    direct = list(queries.children(federation))

    # then there are the 63 provinces, 19 central sector unions and 1 corporation union
    assert len(direct) == 83
    assert Counter(unit.kind for unit in direct) == {
        UnitKind.PROVINCE_FEDERATION: 63,
        UnitKind.SECTOR_UNION: 19,
        UnitKind.CORPORATION_UNION: 1,
    }
    assert {unit.level for unit in direct} == {Level.DIRECT}


def test_national_federation_is_the_only_root(national):
    roots = list(queries.children(None))

    assert codes(roots) == ["TLD"]
    assert roots[0].name == "Tổng Liên đoàn Lao động Việt Nam"
    assert queries.placement_on(roots[0]).path == f"/{roots[0].pk}/"


def test_national_provinces_carry_their_official_2022_names(national):
    assert national["T01"].name == "Liên đoàn Lao động thành phố Hà Nội"
    assert national["T02"].name == "Liên đoàn Lao động tỉnh Hà Giang"
    assert national["T67"].name == "Liên đoàn Lao động tỉnh Đắk Nông"
    assert national["T79"].name == "Liên đoàn Lao động Thành phố Hồ Chí Minh"
    assert national["TCT01"].name == "Công đoàn Tổng công ty Hàng không Việt Nam"


def test_national_gia_lam_hangs_under_hanoi_with_its_grassroots_unions(national):
    # given the district federation named by seed 004
    gia_lam = national["T01-D018"]

    # when its placement and children are read
    placement = queries.placement_on(gia_lam)
    kids = list(queries.children(gia_lam))

    # then it is under Hà Nội, with the 7 enterprises of the allocation table and 22 communes
    assert gia_lam.name == "Liên đoàn Lao động huyện Gia Lâm"
    assert gia_lam.kind == UnitKind.DISTRICT_FEDERATION
    assert placement.parent.code == "T01"
    assert placement.path == f"/{national['TLD'].pk}/{national['T01'].pk}/{gia_lam.pk}/"
    assert len(kids) == 29
    enterprises = [kid for kid in kids if kid.block == Block.ENTERPRISE]
    assert sorted(kid.name for kid in enterprises) == sorted(GIA_LAM_ENTERPRISES)
    assert codes(enterprises) == [f"T01-D018-C{n:03d}" for n in range(1, 8)]
    communes = [kid for kid in kids if kid.block == Block.COMMUNE]
    assert len(communes) == 22
    assert {kid.level for kid in kids} == {Level.GRASSROOTS}


def test_national_long_bien_is_a_district_of_hanoi(national):
    placement = queries.placement_on(national["T01-D004"])

    assert national["T01-D004"].name == "Liên đoàn Lao động quận Long Biên"
    assert placement.parent.code == "T01"
    assert list(queries.children(national["T01-D004"])) == []


def test_national_civil_servants_union_has_the_news_agency_union(national):
    # given Công đoàn Viên chức Việt Nam
    civil_servants = national["N03"]

    # when its children are read
    kids = list(queries.children(civil_servants))

    # then its only child is Công đoàn Thông tấn xã Việt Nam
    assert civil_servants.name == "Công đoàn Viên chức Việt Nam"
    assert [(kid.code, kid.name, kid.level) for kid in kids] == [
        ("N03-X01", "Công đoàn Thông tấn xã Việt Nam", Level.DIRECT_SUPERIOR)
    ]


def test_national_load_twice_changes_nothing(national, tree_counts):
    # given the tree already loaded
    before = tree_counts()
    clusters_before = ClusterMembership.objects.count()

    # when it is loaded again
    result = load_national_tree()

    # then every row is recognised as unchanged and nothing is written
    assert result.ok
    assert (result.created, result.updated, result.moved, result.unchanged) == (
        0,
        0,
        0,
        ROWS_IN_UNITS_2022,
    )
    assert tree_counts() == before
    assert ClusterMembership.objects.count() == clusters_before


def test_national_load_again_keeps_maintained_member_totals(national, tree_counts):
    # given declared members in Gia Lâm and the totals refreshed up the tree
    unit_update(unit=national["T01-D018-C001"], member_count=1200)
    refresh_member_totals()
    before = tree_counts()

    # when the file (which says 0 for every unit above the grassroots) is loaded again
    result = load_national_tree()

    # then the totals stay and the load reports no update
    assert (result.created, result.updated, result.unchanged) == (0, 0, ROWS_IN_UNITS_2022)
    assert Unit.objects.get(code="T01-D018-C001").member_count == 1200
    assert Unit.objects.get(code="T01").member_count == 1200
    assert Unit.objects.get(code="TLD").member_count == 1200
    assert tree_counts() == before


def test_national_clusters_hold_every_direct_unit_exactly_once(national):
    # given the clusters loaded with the tree
    clusters = list(Cluster.objects.all())

    # when the memberships of the direct units are counted
    per_unit = Counter(ClusterMembership.objects.values_list("unit__code", flat=True))
    direct_codes = [unit.code for unit in queries.children(national["TLD"])]

    # then the 8 clusters are organised by the federation and each direct unit is in one
    assert sorted(cluster.code for cluster in clusters) == [
        "CUM-BTBDHMT",
        "CUM-DBSCL",
        "CUM-DBSH",
        "CUM-DNB",
        "CUM-TDMNPB",
        "CUM-TN",
        "KHOI-NGANH-TW",
        "KHOI-TD-TCT",
    ]
    assert {cluster.organiser.code for cluster in clusters} == {"TLD"}
    assert {code: per_unit[code] for code in direct_codes} == dict.fromkeys(direct_codes, 1)
    assert sum(per_unit.values()) == 83


def test_national_clusters_group_units_of_one_level(national):
    for cluster in Cluster.objects.prefetch_related("members"):
        assert {unit.level for unit in cluster.members.all()} == {Level.DIRECT}, cluster.code
    assert codes(Cluster.objects.get(code="CUM-TN").members.all()) == [
        "T62",
        "T64",
        "T66",
        "T67",
        "T68",
    ]
