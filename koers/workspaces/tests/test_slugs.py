from koers.workspaces.slugs import short_name_from


def test_a_short_name_is_the_name_in_lower_case_ascii_with_hyphens():
    assert short_name_from("Zorggroep Één & Co", is_taken=lambda _: False) == "zorggroep-een-co"


def test_a_taken_or_reserved_short_name_gets_the_next_free_number():
    taken = {"acme", "acme-2"}
    assert short_name_from("Acme", is_taken=taken.__contains__) == "acme-3"
    assert short_name_from("New", is_taken=lambda _: False) == "new-2"


def test_a_long_name_is_cut_to_forty_characters_without_a_trailing_hyphen():
    name = "Gemeentelijke belastingsamenwerking regio West-Brabant"
    slug = short_name_from(name, is_taken=lambda _: False)
    numbered = short_name_from(name, is_taken=lambda s: s == slug)
    assert slug == "gemeentelijke-belastingsamenwerking-regi"
    assert numbered == "gemeentelijke-belastingsamenwerking-re-2"
    assert len(numbered) <= 40


def test_a_name_without_letters_or_digits_makes_no_short_name():
    assert short_name_from("???", is_taken=lambda _: False) == ""
