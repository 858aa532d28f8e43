"""Which earlier lessons fit a project: a pure ranking, no Django.

A lesson matches when it is of the same client, shares a tag, or shares at least
`MIN_SHARED_WORDS` words with the project (its name, request, situation, bottleneck, the
behaviour that must change, and goals). Words are normalised: lower case, accents dropped,
short words and common Dutch and English words left out. The score ranks the matches,
highest first, the newest lesson first on a tie:

    3 per shared tag + 2 for the same client + 4 x the word overlap (Jaccard, 0 to 1)

A shared tag says most (someone chose it), the same client next (same people, same systems),
shared words add a little and never reach a tag on their own.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SHARED_WORDS = 2
MIN_WORD = 3
TAG_WEIGHT = 3.0
CLIENT_WEIGHT = 2.0
WORDS_WEIGHT = 4.0
# Common words that say nothing of what a project is about.
_COMMON = """
aan alle als bij dan dat de deze die dit door een eens en er geen het hier hoe hun
ik in is je kan maar meer met na naar niet nog of om onder ons ook op over te tot uit
van voor wat we wel werd wij zal zich zij zijn zo
al elk elke eerst goed kunnen laat moet moeten twee drie dag dagen week weken worden wordt zelf
about after all also and are but can for from had has have how into its more not
now off one our out than that the their them then there they this too was were what
when which who will with you
each first good let must self two three day days week weeks
"""
STOPWORDS = frozenset(_COMMON.split())
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> frozenset[str]:
    """Return the normalised words of `text` that carry meaning."""
    return frozenset(
        w for w in _NOT_A_WORD.split(_plain(text)) if len(w) >= MIN_WORD and w not in STOPWORDS
    )


def tags(text: str) -> list[str]:
    """Return the tags of `text` (comma separated), normalised, each once, in order."""
    found: list[str] = []
    for part in text.split(","):
        tag = "-".join(_NOT_A_WORD.split(_plain(part))).strip("-")
        if tag and tag not in found:
            found.append(tag)
    return found


@dataclass(frozen=True)
class Subject:
    """What lessons are matched to: a project, or one lesson of another."""

    client: int
    text: str
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    id: int
    client: int
    text: str
    tags: frozenset[str]


@dataclass(frozen=True)
class Match:
    id: int
    score: float
    same_client: bool
    shared_tags: tuple[str, ...]
    shared_words: tuple[str, ...]


def match(subject: Subject, candidate: Candidate) -> Match | None:
    """Return how `candidate` matches `subject`, or None when it does not."""
    subject_words = words(subject.text)
    candidate_words = words(candidate.text)
    # A tag of the lesson matches a tag of the project or a word of what the project is about.
    shared_tags = tuple(sorted(candidate.tags & (subject.tags | subject_words)))
    shared_words = tuple(sorted(subject_words & candidate_words))
    same_client = subject.client == candidate.client
    if not (same_client or shared_tags or len(shared_words) >= MIN_SHARED_WORDS):
        return None
    union = subject_words | candidate_words
    overlap = len(shared_words) / len(union) if union else 0.0
    score = TAG_WEIGHT * len(shared_tags) + CLIENT_WEIGHT * same_client + WORDS_WEIGHT * overlap
    return Match(candidate.id, round(score, 3), same_client, shared_tags, shared_words)


def ranked(subject: Subject, candidates: Iterable[Candidate], limit: int) -> list[Match]:
    """Return the best `limit` matches, highest score first, then the newest (highest id)."""
    found = [m for m in (match(subject, c) for c in candidates) if m is not None]
    found.sort(key=lambda m: (-m.score, -m.id))
    return found[:limit]
