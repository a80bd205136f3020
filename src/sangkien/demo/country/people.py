"""Generated people: a name, a mobile phone and an ID number for each person number.

A person is a number (`person_number` below: the grassroots union's block of numbers plus the
person's place in it), and everything about them is a function of that number and the seed, so
any process can rebuild the same person: a member who submits three initiatives has the same
name, phone and ID number on all three, and counts once. Phones and ID numbers are injective
in the number (an affine bijection modulo the size of their space), so two people never share
one by accident.
"""

import math
from dataclasses import dataclass

from sangkien.demo.country import vocabulary as v

_MASK = (1 << 64) - 1
PHONE_SPACE = 10_000_000 * len(v.MOBILE_PREFIXES)
_PHONE_MUL = 2_654_435_761  # odd and not a multiple of 3, 5, 7 or 11: a unit modulo the space
CMND_SPACE = 900_000_000
_CMND_MUL = 1_000_003
# CCCD: province (3 digits) + century and sex (1) + year of birth (2) + serial (6). The groups
# (province, century-sex, year) are listed with repetitions by how common the ages are; the
# serial carries which repetition and which round, so the whole number stays injective.
_BIRTH_YEARS = [(year, 3 if 1975 <= year <= 1995 else 1) for year in range(1962, 2005)]
_GROUPS = [
    (province, sex, year)
    for province in v.CCCD_PROVINCES
    for sex in ("m", "f")
    for year, weight in _BIRTH_YEARS
    for _copy in range(weight)
]
_REPEATS = 3
_COPY = [i - _GROUPS.index(group) for i, group in enumerate(_GROUPS)]
_SERIAL_MUL = 7_919  # a unit modulo 10^6
# Person numbers are first scrambled over ROUNDS × len(_GROUPS), so that the neighbours of one
# union do not get neighbouring groups (one birth year after the other).
_ROUNDS = 4096
_SCRAMBLE_MUL = 1_000_000_007  # a prime: a unit modulo _ROUNDS × len(_GROUPS)
_SURNAMES = [name for name, weight in v.SURNAMES for _ in range(weight)]
# Person numbers reserved per initiative of a union: the lead and up to 4 co-authors.
PER_INITIATIVE = 5
CMND_SHARE = 10  # in 100: members who still give their 9-digit CMND


@dataclass(frozen=True)
class Person:
    full_name: str
    phone: str
    id_kind: str
    id_number: str


def _mix(number: int, salt: int) -> int:
    """splitmix64: well-spread bits from a person number, for choices that need not be unique."""
    z = (number * 0x9E3779B97F4A7C15 + salt) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def person(number: int, seed: int) -> Person:
    h = _mix(number, seed)
    scrambled = (number * _SCRAMBLE_MUL + seed) % (_ROUNDS * len(_GROUPS))
    index = scrambled % len(_GROUPS)
    province, sex, year = _GROUPS[index]
    copy = _COPY[index]
    round_ = scrambled // len(_GROUPS)
    serial = ((round_ * _REPEATS + copy) * _SERIAL_MUL + seed) % 1_000_000
    century_sex = ("0" if sex == "m" else "1") if year < 2000 else ("2" if sex == "m" else "3")
    if h % 100 < CMND_SHARE:
        kind, id_number = "cmnd", str(100_000_000 + (number * _CMND_MUL + seed) % CMND_SPACE)
    else:
        kind, id_number = "cccd", f"{province}{century_sex}{year % 100:02d}{serial:06d}"
    slot = (number * _PHONE_MUL + seed) % PHONE_SPACE
    phone = f"{v.MOBILE_PREFIXES[slot // 10_000_000]}{slot % 10_000_000:07d}"
    surname = _SURNAMES[(h >> 8) % len(_SURNAMES)]
    middles, givens = v.MIDDLE[sex], v.GIVEN[sex]
    middle = middles[(h >> 20) % len(middles)]
    given = givens[(h >> 32) % len(givens)]
    if given == middle:
        given = givens[(givens.index(given) + 1) % len(givens)]
    second = middles[(h >> 48) % len(middles)]
    if (h >> 44) % 5 == 0 and second not in (middle, given):  # "Nguyễn Thị Thu Hà"
        given = f"{second} {given}"
    return Person(f"{surname} {middle} {given}", phone, kind, id_number)


def capacity(largest_number: int) -> bool:
    """Whether person numbers up to `largest_number` keep phones and ID numbers unique."""
    return (
        largest_number < min(PHONE_SPACE, CMND_SPACE, _ROUNDS * len(_GROUPS))
        and _ROUNDS * _REPEATS <= 1_000_000
        and math.gcd(_SCRAMBLE_MUL, _ROUNDS * len(_GROUPS)) == 1
        and max(_COPY) < _REPEATS
        and math.gcd(_PHONE_MUL, PHONE_SPACE) == 1
        and math.gcd(_CMND_MUL, CMND_SPACE) == 1
        and math.gcd(_SERIAL_MUL, 1_000_000) == 1
    )
