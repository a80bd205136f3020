"""Titles and descriptions of generated initiatives, composed from a bank of sentences.

Each topic has a bank of sentences per part of a description (context, solution, method,
result, closing), filled once from the templates in `vocabulary` with the topic's words and
random numbers. A description picks 5 to 12 of them in order, so two initiatives on one topic
share a sentence now and then (as real ones share stock phrases) but almost never three: their
near-duplicate fingerprints stay apart. Sentences being reused is also what makes the
fingerprints of 2.5 million texts affordable (`fingerprints.py` caches each sentence's share).

A small share of initiatives copies an earlier one on purpose: retyped (no accents, another
case: an identical resubmission by `content_key`) or edited (sentences replaced, dropped,
swapped or added: a near duplicate).
"""

import random
import re
import unicodedata
from dataclasses import dataclass

from sangkien.demo.country import vocabulary as v

PARTS = ("context", "solution", "method", "result", "closing")
# Sentences per topic and part; titles per topic. Larger banks: fewer shared sentences, more
# fingerprint work (each sentence is fingerprinted once per process).
BANK_SIZES = {"context": 1500, "solution": 2500, "method": 800, "result": 1500, "closing": 60}
TITLE_BANK = 6000
MAX_DESCRIPTION = 2000
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Text:
    title: str
    # The description is "".join(segment + separator): sentences (and section labels), each
    # with what follows it (" " or "\n").
    segments: tuple[str, ...]
    separators: tuple[str, ...]

    @property
    def description(self) -> str:
        return "".join(s + sep for s, sep in zip(self.segments, self.separators, strict=True))


def _fill(rng: random.Random, template: str, words: dict[str, list[str]]) -> str:
    a = rng.randint(8, 240)

    def value(match: re.Match) -> str:
        slot = match.group(1)
        key = slot.lower()
        if key in words:
            word = rng.choice(words[key])
            return word[:1].upper() + word[1:] if slot[0].isupper() else word
        return {
            "a": str(a),
            "b": str(max(1, a * rng.randint(20, 85) // 100)),
            "n": str(rng.randint(2, 30)),
            "pct": str(rng.randint(5, 60)),
            "money": str(rng.choice([2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 45, 60, 80, 120, 250])),
            "month": str(rng.randint(1, 12)),
            "year": str(rng.choice([2020, 2021, 2021, 2022])),
            "people": str(rng.randint(5, 400)),
        }[slot]

    text = _SLOT.sub(value, template)
    return text[:1].upper() + text[1:]


class Bank:
    """The sentences and titles of every topic, the same in every process for one seed."""

    def __init__(self, seed: int):
        rng = random.Random(f"country-texts-{seed}")
        self.sentences: dict[tuple[str, str], list[str]] = {}
        self.titles: dict[str, list[str]] = {}
        self.research_titles: dict[str, list[str]] = {}
        for topic, words in v.TOPICS.items():
            for part in PARTS:
                made = {
                    _fill(rng, rng.choice(v.SENTENCES[part]), words)
                    for _ in range(BANK_SIZES[part])
                }
                self.sentences[(topic, part)] = sorted(made)
            self.titles[topic] = sorted(
                {
                    _fill(rng, rng.choice(v.TITLES) + suffix, words)
                    for suffix in (
                        rng.choice(v.TITLE_SUFFIXES) if rng.random() < 0.4 else ""
                        for _ in range(TITLE_BANK)
                    )
                }
            )
            self.research_titles[topic] = sorted(
                {_fill(rng, rng.choice(v.RESEARCH_TITLES), words) for _ in range(TITLE_BANK // 5)}
            )

    def strings(self) -> list[str]:
        """Every sentence, label and title a text can be made of."""
        return sorted(
            {
                *v.SECTION_LABELS.values(),
                *(s for sentences in self.sentences.values() for s in sentences),
                *(t for titles in self.titles.values() for t in titles),
                *(t for titles in self.research_titles.values() for t in titles),
            }
        )

    def compose(self, rng: random.Random, topic: str, *, research: bool = False) -> Text:
        titles = self.research_titles if research else self.titles
        title = rng.choice(titles[topic])
        labelled = rng.random() < 0.25
        segments: list[str] = []
        separators: list[str] = []
        for part in PARTS:
            low, high = v.PART_SIZES[part]
            count = rng.randint(low, high)
            if not count:
                continue
            chosen = rng.sample(self.sentences[(topic, part)], count)
            if labelled and part in v.SECTION_LABELS:
                if separators:
                    separators[-1] = "\n"
                segments.append(v.SECTION_LABELS[part])
                separators.append(" ")
            segments.extend(chosen)
            separators.extend([" "] * count)
        separators[-1] = ""
        return _within_limit(rng, Text(title, tuple(segments), tuple(separators)))

    def edit(self, rng: random.Random, original: Text, topic: str) -> Text:
        """A near copy: a few sentences replaced, one dropped, two swapped, or one added."""
        segments, separators = list(original.segments), list(original.separators)
        how = rng.choice(["replace", "replace", "drop", "swap", "add"])
        pool = self.sentences[(topic, rng.choice(["solution", "result", "context"]))]
        places = [i for i, s in enumerate(segments) if s not in v.SECTION_LABELS.values()]
        if how == "replace":
            for i in rng.sample(places, min(len(places), rng.randint(1, 2))):
                segments[i] = rng.choice(pool)
        elif how == "drop" and len(places) > 3:
            i = rng.choice(places[1:])
            del segments[i]
            del separators[i]
        elif how == "swap" and len(places) > 2:
            i, j = rng.sample(places, 2)
            segments[i], segments[j] = segments[j], segments[i]
        else:
            i = rng.choice(places)
            segments.insert(i, rng.choice(pool))
            separators.insert(i, " ")
        separators[-1] = ""
        title = original.title if rng.random() < 0.7 else f"{original.title} (bổ sung)"
        return _within_limit(rng, Text(title, tuple(segments), tuple(separators)))


def retyped(original: Text, rng: random.Random) -> Text:
    """The same words typed without accents, in another case: the same `content_key`."""

    def plain(text: str) -> str:
        out = "".join(
            ch
            for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
            if unicodedata.category(ch) != "Mn"
        )
        return out.upper() if upper else out

    upper = rng.random() < 0.3
    return Text(plain(original.title), tuple(map(plain, original.segments)), original.separators)


def _within_limit(rng: random.Random, text: Text) -> Text:
    """Drop sentences from the middle until the description fits the programme's limit."""
    segments, separators = list(text.segments), list(text.separators)
    while sum(map(len, segments)) + sum(map(len, separators)) > MAX_DESCRIPTION:
        i = rng.randrange(1, len(segments) - 1)
        del segments[i]
        del separators[i]
    return Text(text.title, tuple(segments), tuple(separators))


def fill(rng: random.Random, template: str, topic: str) -> str:
    """One template (a benefit in words, a message) with the words of a topic."""
    return _fill(rng, template, v.TOPICS[topic])
