"""Reads of the tree: subtrees, children, ancestors and accent-insensitive search."""

from datetime import date

import pytest

from sangkien.orgs import queries
from sangkien.orgs.models import Unit
from sangkien.orgs.services import unit_move
from tests.orgs.helpers import codes

GIA_LAM_GRASSROOTS = [f"T01-D018-C{n:03d}" for n in range(1, 30)]


def path_of(unit: Unit, on: date | None = None) -> str:
    return queries.placement_on(unit, on).path


def test_subtree_of_gia_lam_is_the_district_and_its_29_grassroots(national):
    # given the path of LĐLĐ huyện Gia Lâm
    path = path_of(national["T01-D018"])

    # when its subtree is read
    units = list(queries.subtree(path))

    # then it holds the district itself and exactly its grassroots unions
    assert codes(units) == ["T01-D018", *GIA_LAM_GRASSROOTS]


def test_subtree_of_hanoi_holds_both_districts_and_not_the_neighbours(national):
    units = list(queries.subtree(path_of(national["T01"])))

    assert codes(units) == ["T01", "T01-D004", "T01-D018", *GIA_LAM_GRASSROOTS]


def test_subtree_of_a_leaf_is_the_leaf(national):
    units = list(queries.subtree(path_of(national["T01-D018-C001"])))

    assert codes(units) == ["T01-D018-C001"]


def test_subtree_of_the_federation_is_the_whole_tree(national):
    units = list(queries.subtree(path_of(national["TLD"])))

    assert codes(units) == codes(national.values())
    assert len(units) == 116


@pytest.mark.parametrize(
    ("code", "size"), [("T01-D018-C001", 1), ("N03", 2), ("T01", 32), ("TLD", 116)]
)
def test_subtree_is_one_query_whatever_its_size(national, django_assert_num_queries, code, size):
    # given the anchor's path, which the caller already holds
    path = path_of(national[code])

    # when the subtree is read
    with django_assert_num_queries(1):
        units = list(queries.subtree(path))

    # then one query brought every unit
    assert len(units) == size


def test_subtree_on_a_day_before_a_move_shows_the_old_tree(national):
    # given Gia Lâm moved from Hà Nội to Hà Giang on 1/1/2024
    hanoi, ha_giang = path_of(national["T01"]), path_of(national["T02"])
    unit_move(unit=national["T01-D018"], new_parent=national["T02"], effective_on=date(2024, 1, 1))

    # when the subtrees are read on the eve and on the day
    hanoi_eve = codes(queries.subtree(hanoi, date(2023, 12, 31)))
    hanoi_day = codes(queries.subtree(hanoi, date(2024, 1, 1)))
    ha_giang_day = codes(queries.subtree(ha_giang, date(2024, 1, 1)))

    # then the eve has the old tree and the day the new one
    assert hanoi_eve == ["T01", "T01-D004", "T01-D018", *GIA_LAM_GRASSROOTS]
    assert hanoi_day == ["T01", "T01-D004"]
    assert ha_giang_day == ["T01-D018", *GIA_LAM_GRASSROOTS, "T02"]


def test_subtree_placements_match_subtree_units(national):
    path = path_of(national["T01-D018"])

    placements = list(queries.subtree_placements(path))

    assert sorted(p.unit.code for p in placements) == ["T01-D018", *GIA_LAM_GRASSROOTS]
    assert {p.path.startswith(path) for p in placements} == {True}


@pytest.mark.parametrize("how_many", [1, 3])
def test_children_is_one_query_for_1_and_3_children(
    national, make_unit, django_assert_num_queries, how_many
):
    # given a district with `how_many` grassroots unions
    district = make_unit("T02-D001", national["T02"])
    for n in range(1, how_many + 1):
        make_unit(f"T02-D001-C{n:03d}", district)

    # when its children are listed
    with django_assert_num_queries(1):
        kids = list(queries.children(district))

    # then the same single query brought them all, in code order
    assert [kid.code for kid in kids] == [f"T02-D001-C{n:03d}" for n in range(1, how_many + 1)]


@pytest.mark.parametrize("how_many", [1, 3])
def test_children_with_parent_codes_is_one_query_for_1_and_3_children(
    national, make_unit, django_assert_num_queries, how_many
):
    district = make_unit("T02-D001", national["T02"])
    for n in range(1, how_many + 1):
        make_unit(f"T02-D001-C{n:03d}", district)

    with django_assert_num_queries(1):
        kids = queries.children_with_parent_codes(district)

    assert [(kid.code, kid.parent_code) for kid in kids] == [
        (f"T02-D001-C{n:03d}", "T02-D001") for n in range(1, how_many + 1)
    ]


def test_children_of_no_unit_are_the_roots(national):
    assert [(kid.code, kid.parent_code) for kid in queries.children_with_parent_codes(None)] == [
        ("TLD", None)
    ]


def test_ancestors_is_the_chain_from_the_root_in_one_query(national, django_assert_num_queries):
    placement = queries.placement_on(national["T01-D018-C001"])

    with django_assert_num_queries(1):
        chain = queries.ancestors(placement)

    assert [unit.code for unit in chain] == ["TLD", "T01", "T01-D018", "T01-D018-C001"]


def test_search_without_accents_finds_gia_lam(national):
    # given the national tree
    # when an officer types "gia lam" without accents
    found = list(queries.search("gia lam"))

    # then the district comes first (by level), then the enterprise named after it
    assert [unit.name for unit in found] == [
        "Liên đoàn Lao động huyện Gia Lâm",
        "Công đoàn Công ty CP Môi trường đô thị Gia Lâm",
    ]


def test_search_ignores_case_and_accents_typed_either_way(national):
    assert [unit.code for unit in queries.search("LIÊN ĐOÀN lao dong huyen GIA LÂM")] == [
        "T01-D018"
    ]


def test_search_d_matches_d_with_stroke(national):
    # "đ" has no Unicode decomposition: the fold maps it to "d" on both sides
    assert [unit.name for unit in queries.search("dang xa")] == ["Công đoàn cơ sở xã Đặng Xá"]
    assert [unit.name for unit in queries.search("da nang")] == [
        "Liên đoàn Lao động thành phố Đà Nẵng"
    ]
    assert [unit.code for unit in queries.search("đinh xuyen")] == ["T01-D018-C012"]
    assert [unit.code for unit in queries.search("Đình Xuyên")] == ["T01-D018-C012"]


def test_search_needs_every_word(national):
    assert list(queries.search("gia lam stanley")) == []
    assert [unit.code for unit in queries.search("stanley")] == ["T01-D018-C001"]


def test_search_within_a_subtree_and_at_levels(national):
    # given the path of Long Biên, which has no "Gia Lâm" under it
    long_bien = path_of(national["T01-D004"])
    hanoi = path_of(national["T01"])

    assert list(queries.search("gia lam", within=long_bien)) == []
    assert [u.code for u in queries.search("gia lam", within=hanoi, levels=[3])] == [
        "T01-D018-C007"
    ]


def test_search_reads_the_tree_of_the_day(national, make_unit):
    # given a district that exists only from 1/1/2024
    make_unit(
        "T02-D009",
        national["T02"],
        name="Liên đoàn Lao động huyện Mèo Vạc",
        effective_on=date(2024, 1, 1),
    )

    assert list(queries.search("meo vac", on=date(2023, 12, 31))) == []
    assert [u.code for u in queries.search("meo vac", on=date(2024, 1, 1))] == ["T02-D009"]
