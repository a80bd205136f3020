"""The near-duplicate fingerprint and content key of a generated text, equal to what
`initiatives.similarity.fingerprint` and `initiatives.services.content_key` compute, at a
tenth of the cost.

`similarity.fingerprint` spends about 2 ms on a 150-word text (60 MinHash functions over every
3-word shingle): 80 minutes of CPU for 2.5 million texts. A generated text is a title plus
sentences drawn from a bank, and both halves of the fingerprint decompose over pieces:

- the MinHash minima of a union of shingle sets are the element-wise minima of the pieces';
- the SimHash bit counts of a union are the sum of the pieces' counts, less the shingles that
  occur in more than one piece (a set counts them once).

So each sentence's inner shingles (its 60 minima and 64 bit counts) are computed once per
process and cached, and so are the two shingles that straddle a given pair of sentence ends
(sentences begin with few different words, so there are few such pairs). Per text, what is
left is combining about twenty cached vectors. They are packed into one Python integer each
(60 lanes of 64 bits for the minima, 64 lanes of 16 bits for the counts) so that a lane-wise
minimum or sum is a handful of integer operations rather than a loop over lanes. The packed
minima, written out little-endian, are already the bytes the band keys hash.

`Fingerprinter.check` compares a text with the real functions; the workers run it on a sample,
so a change in `similarity` cannot go unnoticed.
"""

import hashlib
from itertools import chain, pairwise

from sangkien.initiatives import similarity as sim
from sangkien.initiatives.services import content_key

_M = sim._MERSENNE
_PAIRS = sim._MINHASH
_BANDS, _ROWS = sim.BANDS, sim.ROWS_PER_BAND
_LANES = len(_PAIRS)
# MinHash lanes: values < 2^61, a guard bit at 62 for the lane-wise comparison.
_GUARD = sum(1 << (64 * lane + 62) for lane in range(_LANES))
_VALUE = sum(((1 << 62) - 1) << (64 * lane) for lane in range(_LANES))
# SimHash lanes: 16 bits per column, column 0 being the hash's most significant bit.
_SPREAD = str.maketrans({"0": "0000", "1": "0001"})
_ONES = sum(1 << (16 * lane) for lane in range(64))
_TOPS = _ONES << 15
_FLAG = str.maketrans({"8": "1"})
_BAND_FIELDS = [f"sim_band{band}" for band in range(_BANDS)]


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "little")


def _minima(hashes) -> int:
    """The 60 MinHash minima of a set of shingle hashes, packed."""
    reduced = [h % _M for h in hashes]
    return sum(
        min((a * x + b) % _M for x in reduced) << (64 * lane) for lane, (a, b) in enumerate(_PAIRS)
    )


def _lane_min(a: int, b: int) -> int:
    """Lane-wise minimum of two packed minima (SWAR: no borrow crosses a lane's guard bit)."""
    at_least = ((a | _GUARD) - b) & _GUARD  # guard set where a ≥ b
    take_b = at_least - (at_least >> 62)  # all value bits set where a ≥ b
    return (b & take_b) | (a & ~take_b & _VALUE)


def _bits(h: int) -> int:
    """The 64 bits of a hash as 16-bit lanes (lane j: column j of format(h, "064b"))."""
    return int(format(h, "064b")[::-1].translate(_SPREAD), 16)


class _Piece:
    """What one sentence (or title) contributes: its words' ends and its inner shingles."""

    __slots__ = ("bits", "first", "hashes", "last", "minima", "words")

    def __init__(self, text: str):
        words = sim.words(text)
        self.words = " ".join(words)
        self.first = tuple(words[:2])
        self.last = tuple(words[-2:])
        self.hashes = frozenset(_hash(" ".join(words[i : i + 3])) for i in range(len(words) - 2))
        self.minima = _minima(self.hashes) if self.hashes else None
        self.bits = sum(map(_bits, self.hashes))


def pieces_of(texts: list[str]) -> list[tuple[str, _Piece]]:
    """The pieces of many texts, to fill a Fingerprinter ahead (in another process)."""
    return [(text, _Piece(text)) for text in texts]


class Fingerprinter:
    """Fingerprints and content keys of texts made of cached pieces (one per process)."""

    def __init__(self):
        self._pieces: dict[str, _Piece] = {}
        # (words ending a piece, words starting the next) → the two shingles across, with
        # their packed minima and bit counts. About 30,000 pairs in 100,000 texts.
        self._pairs: dict[tuple, tuple[frozenset, int, int]] = {}
        self._bits: dict[int, int] = {}  # shingles found in two pieces of a text

    def add(self, pieces: list[tuple[str, _Piece]]) -> None:
        self._pieces.update(pieces)

    def piece(self, text: str) -> _Piece:
        found = self._pieces.get(text)
        if found is None:
            found = self._pieces[text] = _Piece(text)
        return found

    def _crossing(self, last: tuple, first: tuple) -> tuple[frozenset, int, int]:
        found = self._pairs.get((last, first))
        if found is None:
            pair = frozenset(
                (
                    _hash(f"{last[0]} {last[1]} {first[0]}"),
                    _hash(f"{last[1]} {first[0]} {first[1]}"),
                )
            )
            found = self._pairs[(last, first)] = (pair, _minima(pair), sum(map(_bits, pair)))
        return found

    def fields(self, title: str, segments: tuple[str, ...]) -> tuple[str, dict]:
        """(content_key, the model's sim_hash/sim_band fields) of title + description."""
        pieces = [p for p in map(self.piece, (title, *segments)) if p.words]
        if any(len(p.first) < 2 for p in pieces) or sum(len(p.hashes) for p in pieces) < 2:
            # A one-word piece lets a shingle straddle three pieces: take the plain way.
            description = " ".join(segments)
            return content_key(title, description), sim.fingerprint(title, description).as_fields()
        key = hashlib.sha256(" ".join(p.words for p in pieces).encode()).hexdigest()
        crossings = [self._crossing(a.last, b.first) for a, b in pairwise(pieces)]
        minima = None
        for packed in chain((p.minima for p in pieces), (c[1] for c in crossings)):
            if packed is not None:
                minima = packed if minima is None else _lane_min(minima, packed)
        counts = sum(p.bits for p in pieces) + sum(c[2] for c in crossings)
        # A shingle in two pieces is one element of the text's set: its bits count once.
        seen: set[int] = set()
        repeated: list[int] = []
        for hashes in chain((p.hashes for p in pieces), (c[0] for c in crossings)):
            repeated.extend(seen & hashes)
            seen |= hashes
        if repeated:
            known = self._bits
            counts -= sum(known.get(h) or known.setdefault(h, _bits(h)) for h in repeated)
        # Bit j of the SimHash: more than half of the shingles have it. Lane-wise, adding
        # 0x8000 - k sets a lane's top bit exactly when its count is at least k.
        k = len(seen) // 2 + 1
        flags = (counts + _ONES * (0x8000 - k)) & _TOPS
        value = int(format(flags, "0256x")[::4][::-1].translate(_FLAG), 2)
        fields = {"sim_hash": value - (1 << 64) if value >= 1 << 63 else value}
        raw = minima.to_bytes(8 * _LANES, "little")
        step = 8 * _ROWS
        for band, name in enumerate(_BAND_FIELDS):
            digest = hashlib.blake2b(raw[band * step : (band + 1) * step], digest_size=4).digest()
            fields[name] = int.from_bytes(digest, "little", signed=True)
        return key, fields

    def check(self, title: str, description: str, segments: tuple[str, ...]) -> None:
        """Raise if the fast path disagrees with `similarity.fingerprint` / `content_key`."""
        fast = self.fields(title, segments)
        slow = (content_key(title, description), sim.fingerprint(title, description).as_fields())
        if fast != slow:
            raise RuntimeError(
                "generated fingerprint differs from initiatives.similarity for " + repr(title)
            )
