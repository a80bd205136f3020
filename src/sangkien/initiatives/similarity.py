"""Near-duplicate initiatives: folding, word shingles, fingerprints, and the similar-initiative search.

How it works:

- A text is folded (accents, "đ", case) and cut into words; punctuation and spacing vanish. Its
  *shingles* are the runs of 3 consecutive words. The score of two texts is the Jaccard index of
  their shingle sets: 1.0 for the same text however it was typed, about 0.8 with five words of
  150 changed, near 0 for two different texts on the same topic.
- For the nationwide search the score cannot be computed against 2.5 million rows, so each
  initiative stores 20 MinHash *band keys* (LSH, 20 bands of 3 MinHash values each, 60 hash
  functions). Two texts share at least one band key with probability 1 - (1 - J³)²⁰: 0.93 at
  J = 0.5, 0.9995 at J = 0.7, 0.0025 at J = 0.05. Candidates are found by indexed equality, at
  most `BAND_LIMIT` per band so that a band key shared by boilerplate ("nâng cao năng suất lao
  động") cannot flood the search.
- In the initiative's own grassroots union the most recent `UNIT_RECENT` earlier initiatives are
  also compared, through a 64-bit SimHash (`sim_hash`): its Hamming distance estimates the angle
  between the shingle sets and costs nothing to read, so only rows whose SimHash is close get
  their text read and scored exactly.

Identical resubmissions (same `content_key`) are linked by `Initiative.duplicate_of`; the lookups
for it live here too. Changing `SHINGLE_WORDS`, `BANDS`, `ROWS_PER_BAND` or the hashes changes
stored values: run `manage.py reindex_initiatives` after.
"""

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import OuterRef, Q, Subquery

from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative

SHINGLE_WORDS = 3
BANDS = 20
ROWS_PER_BAND = 3
MIN_SCORE = 0.3
# How many rows one band key may bring; a true match shares several bands, so it still arrives.
BAND_LIMIT = 10
# The union's own recent initiatives compared through their SimHash.
UNIT_RECENT = 300
# SimHash bits that may differ for a row of the union to be scored exactly: J = 0.3 between two
# 150-word texts gives a distance of about 22 ± 4, unrelated texts about 32 ± 4.
UNIT_MAX_DISTANCE = 26
# Rows whose text is read and scored exactly, whatever the candidates were.
MAX_CANDIDATES = 40

_MERSENNE = (1 << 61) - 1
_MASK64 = (1 << 64) - 1
_WORD = re.compile(r"[^\W_]+")
_FOLD_TABLE: dict[int, str] = {}


def _coefficient(label: str) -> int:
    # Derived from a label, not from `random`, so they never change with the Python version.
    digest = hashlib.blake2b(label.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % _MERSENNE


# h_i(x) = (a_i·x + b_i) mod (2^61 - 1): 60 independent hash functions from one 64-bit hash.
_MINHASH = [
    (_coefficient(f"minhash-a-{i}") | 1, _coefficient(f"minhash-b-{i}"))
    for i in range(BANDS * ROWS_PER_BAND)
]


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics → base letter, "đ" → "d": `common.text.fold` at C speed.

    `fold` decomposes and filters every character in Python (≈ 175 µs per 1,000 characters);
    a translation table does the same for the Latin range in a few microseconds, which matters
    when dozens of candidate texts are scored per request.
    """
    if not _FOLD_TABLE:
        for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
            char = chr(code)
            base = "".join(
                ch for ch in unicodedata.normalize("NFD", char) if unicodedata.category(ch) != "Mn"
            )
            if base != char:
                _FOLD_TABLE[code] = base
        _FOLD_TABLE[ord("đ")], _FOLD_TABLE[ord("Đ")] = "d", "D"
    return _FOLD_TABLE


def words(text: str) -> list[str]:
    """The folded, lower-case words of a text, without punctuation: "Máy ép, 20%" → may ep 20."""
    composed = unicodedata.normalize("NFC", text or "")
    return _WORD.findall(composed.translate(_fold_table()).lower())


def normalize(text: str) -> str:
    """Folded words joined by single spaces: how search text and search terms are compared."""
    return " ".join(words(text))


def shingles(text: str) -> set[str]:
    """Runs of `SHINGLE_WORDS` consecutive words; a shorter text is its own single shingle."""
    found = words(text)
    if len(found) <= SHINGLE_WORDS:
        return {" ".join(found)} if found else set()
    return {" ".join(found[i : i + SHINGLE_WORDS]) for i in range(len(found) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "little")


def _signed64(value: int) -> int:
    # PostgreSQL's bigint is signed: store the top bit as the sign.
    return value - (1 << 64) if value >= 1 << 63 else value


def simhash(hashes: list[int]) -> int:
    """Charikar's SimHash: bit i is set when most shingle hashes have bit i set (signed 64-bit)."""
    if not hashes:
        return 0
    # Count the ones per bit position column-wise in C (zip over binary strings), not bit by bit.
    columns = zip(*(format(h, "064b") for h in hashes), strict=True)
    half = len(hashes) / 2
    bits = "".join("1" if column.count("1") > half else "0" for column in columns)
    return _signed64(int(bits, 2))


def distance(a: int, b: int) -> int:
    """Hamming distance of two SimHashes as stored (signed)."""
    return ((a ^ b) & _MASK64).bit_count()


def band_keys(hashes: list[int]) -> list[int]:
    """The `BANDS` LSH keys: each a signed 32-bit hash of `ROWS_PER_BAND` MinHash values."""
    if not hashes:
        return []
    reduced = [h % _MERSENNE for h in hashes]
    minima = [min((a * x + b) % _MERSENNE for x in reduced) for a, b in _MINHASH]
    keys = []
    for band in range(BANDS):
        values = minima[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(struct.pack(f"<{ROWS_PER_BAND}Q", *values), digest_size=4).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@dataclass(frozen=True)
class Fingerprint:
    sim_hash: int | None
    bands: list[int | None]

    def as_fields(self) -> dict:
        """The model fields: `sim_hash`, `sim_band0`…`sim_band19`."""
        fields = {"sim_hash": self.sim_hash}
        fields.update({f"sim_band{i}": key for i, key in enumerate(self.bands)})
        return fields


def content_text(title: str, description: str) -> str:
    return f"{title}\n{description}"


def fingerprint(title: str, description: str) -> Fingerprint:
    """SimHash and band keys of title + description; all None for a text without a word."""
    hashes = [_hash64(s) for s in shingles(content_text(title, description))]
    if not hashes:
        return Fingerprint(None, [None] * BANDS)
    return Fingerprint(simhash(hashes), list(band_keys(hashes)))


def search_text(receipt: str, title: str, names: Iterable[str]) -> str:
    """What the office queue searches: receipt, title and every author's name, folded.

    " | " separates the parts: a search term never contains "|", so a match cannot straddle
    the end of the title and the start of a name.
    """
    return " | ".join([receipt.lower(), normalize(title), *(normalize(name) for name in names)])


@dataclass(frozen=True)
class Match:
    initiative: Initiative  # with unit and program selected
    score: float  # 0..1


BAND_FIELDS = [f"sim_band{i}" for i in range(BANDS)]


def _candidate_sql(table: str, band_count: int) -> str:
    """One statement: the union's recent rows, then up to `BAND_LIMIT` rows per band key.

    Each part is a subquery with its own LIMIT (portable to SQLite, which refuses LIMIT inside
    a bare compound SELECT); on PostgreSQL each is one index scan: an index-only scan of
    (unit, submitted_at) INCLUDE (id, sim_hash, status) for the first (migration 0003), the
    band's own index for the others.
    """
    earlier = "submitted_at < %s AND status <> %s"
    parts = [
        f"SELECT id, sim_hash, -1 AS band FROM (SELECT id, sim_hash FROM {table}"
        f" WHERE unit_id = %s AND {earlier} ORDER BY submitted_at DESC LIMIT {UNIT_RECENT}) r"
    ]
    for band in range(band_count):
        parts.append(
            f"SELECT id, sim_hash, {band} AS band FROM (SELECT id, sim_hash FROM {table}"
            f" WHERE sim_band{band} = %s AND {earlier} LIMIT {BAND_LIMIT}) b{band}"
        )
    return " UNION ALL ".join(parts)


def _candidates(initiative: Initiative, print_: Fingerprint) -> list[int]:
    """Ids worth scoring exactly, best first, at most `MAX_CANDIDATES`.

    Two or more shared band keys almost never happen by chance (20·J³ expected: 0.002 at
    J = 0.05), so those rows come first. The rest (one shared key, or a recent row of the union)
    are ranked by SimHash distance, the finer estimate: a chance collision of one band key sits
    near 32 bits, a text with J = 0.3 near 22.
    """
    ops = connection.ops
    before = ops.adapt_datetimefield_value(initiative.submitted_at)
    bands = [key for key in print_.bands if key is not None]
    params: list = [initiative.unit_id, before, Status.WITHDRAWN]
    for key in bands:
        params += [key, before, Status.WITHDRAWN]
    table = ops.quote_name(Initiative._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_candidate_sql(table, len(bands)), params)
        rows = cursor.fetchall()
    hits: dict[int, int] = {}
    apart: dict[int, int] = {}
    for pk, sim_hash, band in rows:
        known = sim_hash is not None and print_.sim_hash is not None
        apart[pk] = distance(sim_hash, print_.sim_hash) if known else 64
        if band >= 0:
            hits[pk] = hits.get(pk, 0) + 1
        elif apart[pk] <= UNIT_MAX_DISTANCE:
            hits.setdefault(pk, 0)
    ranked = sorted(hits, key=lambda pk: (hits[pk] < 2, apart[pk], -pk))
    return ranked[:MAX_CANDIDATES]


# What a match is scored and shown with (the review page, the JSON of similar_view).
MATCH_FIELDS = [
    "receipt",
    "title",
    "description",
    "submitted_at",
    "status",
    "unit__code",
    "unit__name",
    "program__code",
    "program__short_name",
]


def similar(initiative: Initiative, *, limit: int = 5) -> tuple[list[Match], list[Match]]:
    """(in the same grassroots union, in the whole country outside that union): earlier
    initiatives (submitted before it), not withdrawn, any programme, best first, score >= 0.3.

    Two queries whatever the data (one when nothing is a candidate): the candidate ids with
    their SimHash, then the candidates with unit and programme.
    """
    print_ = Fingerprint(initiative.sim_hash, [getattr(initiative, name) for name in BAND_FIELDS])
    if print_.sim_hash is None:  # stored before the fingerprint existed: compute it now
        print_ = fingerprint(initiative.title, initiative.description)
    ids = _candidates(initiative, print_)
    if not ids:
        return [], []
    mine = shingles(content_text(initiative.title, initiative.description))
    scored = []
    candidates = Initiative.objects.select_related("unit", "program").only(*MATCH_FIELDS)
    for other in candidates.filter(pk__in=ids):
        score = jaccard(mine, shingles(content_text(other.title, other.description)))
        if score >= MIN_SCORE:
            scored.append(Match(other, round(score, 4)))
    scored.sort(key=lambda m: (-m.score, -m.initiative.submitted_at.timestamp(), -m.initiative.pk))
    in_unit = [m for m in scored if m.initiative.unit_id == initiative.unit_id]
    national = [m for m in scored if m.initiative.unit_id != initiative.unit_id]
    return in_unit[:limit], national[:limit]


# --- identical resubmissions (duplicate_of) ---


def _earlier(submitted_at, pk) -> Q:
    """Submitted before (`submitted_at`, `pk`): an earlier instant, or the same one and a smaller
    id; `pk` None (not stored yet) counts every row up to that instant."""
    if pk is None:
        return Q(submitted_at__lte=submitted_at)
    return Q(submitted_at__lt=submitted_at) | Q(submitted_at=submitted_at, pk__lt=pk)


def original_of(*, program_id: int, key: str, submitted_at: datetime, pk=None) -> int | None:
    """The id of the first earlier, not withdrawn initiative of the programme with this
    content_key (the one an identical resubmission repeats), or None. One indexed query."""
    return (
        Initiative.objects.filter(
            _earlier(submitted_at, pk), program_id=program_id, content_key=key
        )
        .exclude(status=Status.WITHDRAWN)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def original_subquery() -> Subquery:
    """`original_of` for each row of an UPDATE, so later rows are re-linked in one statement."""
    outer = Q(submitted_at__lt=OuterRef("submitted_at")) | Q(
        submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk")
    )
    return Subquery(
        Initiative.objects.filter(
            outer, program_id=OuterRef("program_id"), content_key=OuterRef("content_key")
        )
        .exclude(status=Status.WITHDRAWN)
        .order_by("submitted_at", "pk")
        .values("pk")[:1]
    )
