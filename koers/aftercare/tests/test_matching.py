from hypothesis import given
from hypothesis import strategies as st

from koers.aftercare.matching import Candidate, Subject, match, ranked, tags, words


def test_words_are_lower_case_without_accents_short_and_common_words():
    assert words("De Migratie van één Exchange-server, ook naar AZURE in het Café!") == {
        "migratie",
        "cafe",
        "exchange",
        "server",
        "azure",
    }


def test_tags_are_normalised_and_said_once():
    assert tags(" Go Live, go-live,Licenties ,, Café") == ["go-live", "licenties", "cafe"]


def _candidate(id: int, client: int = 2, text: str = "", tags: frozenset[str] = frozenset()):
    return Candidate(id=id, client=client, text=text, tags=tags)


def test_a_lesson_of_another_client_without_tags_or_two_shared_words_does_not_match():
    subject = Subject(client=1, text="Werkplekken vervangen bij de gemeente")
    assert match(subject, _candidate(1, text="Werkplekken op tijd bestellen")) is None


def test_a_tag_matches_a_word_of_the_project_and_a_tag_of_its_own_lessons():
    subject = Subject(client=1, text="Naar de cloud", tags=frozenset({"licenties"}))
    found = match(subject, _candidate(1, tags=frozenset({"cloud", "licenties", "printers"})))
    assert found is not None
    assert found.shared_tags == ("cloud", "licenties")
    assert found.score == 6.0


def test_ranking_tags_first_then_same_client_then_words_then_newest():
    subject = Subject(client=1, text="Exchange migratie naar de cloud")
    candidates = [
        _candidate(1, text="Exchange migratie ging goed"),  # words only
        _candidate(2, client=1),  # same client
        _candidate(3, tags=frozenset({"exchange"})),  # a tag
        _candidate(4, client=1),  # same client, newer
        _candidate(5, text="Printers"),  # nothing
    ]
    assert [m.id for m in ranked(subject, candidates, limit=10)] == [3, 4, 2, 1]
    assert [m.id for m in ranked(subject, candidates, limit=2)] == [3, 4]


@given(st.text(max_size=80), st.text(max_size=80), st.integers(1, 3), st.integers(1, 3))
def test_a_match_is_symmetric_in_words_and_never_scores_below_zero(a, b, client_a, client_b):
    there = match(Subject(client=client_a, text=a), _candidate(1, client=client_b, text=b))
    back = match(Subject(client=client_b, text=b), _candidate(1, client=client_a, text=a))
    assert (there is None) == (back is None)
    if there is not None and back is not None:
        assert there.score == back.score >= 0
        assert there.shared_words == back.shared_words
