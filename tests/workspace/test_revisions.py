"""Revision schemes: first revision, major/minor bumps, validity and ordering."""

from __future__ import annotations

import pytest

from dossier.workspace.revisions import SCHEME_NAMES, scheme


def walk(name: str, steps: int, minor: bool = False) -> list[str]:
    """The first revision of scheme `name` followed by `steps` bumps."""
    s = scheme(name)
    revs = [s.first()]
    for _ in range(steps):
        revs.append(s.next(revs[-1], minor=minor))
    return revs


def test_scheme_names_and_unknown_scheme():
    assert SCHEME_NAMES == ("letters", "edition", "numeric")
    with pytest.raises(ValueError, match=r"unknown revision scheme 'roman'.*letters, edition, numeric"):
        scheme("roman")


@pytest.mark.parametrize("name", SCHEME_NAMES)
def test_describe_names_the_scheme(name):
    assert scheme(name).describe().startswith(f"{name}: ")


# --- letters ---------------------------------------------------------------------------------

def test_letters_sequence_uses_every_letter_then_two_letters():
    revs = walk("letters", 27)
    assert revs[:10] == list("ABCDEFGHIJ")
    assert "I" in revs and "O" in revs and "Q" in revs
    assert revs[25:] == ["Z", "AA", "AB"]


@pytest.mark.parametrize("rev, after", [("A", "B"), ("Z", "AA"), ("AZ", "BA"), ("ZZ", "AAA")])
def test_letters_major_bump(rev, after):
    assert scheme("letters").next(rev) == after


def test_letters_minor_bump_is_an_error_that_names_the_major_bump():
    with pytest.raises(ValueError, match=r"no minor revisions.*after C is D"):
        scheme("letters").next("C", minor=True)


@pytest.mark.parametrize("rev, valid", [("A", True), ("AA", True), ("a", False), ("A1", False),
                                        ("", False), ("A/0", False), ("1.0", False), (None, False)])
def test_letters_validity(rev, valid):
    assert scheme("letters").is_valid(rev) is valid


def test_letters_order():
    s = scheme("letters")
    assert sorted(["AA", "B", "Z", "A", "AB"], key=s.sort_key) == ["A", "B", "Z", "AA", "AB"]


def test_letters_invalid_revision_is_refused_with_an_example():
    with pytest.raises(ValueError, match=r"'b' is not a valid letters revision \(expected e.g. A, B, AA\)"):
        scheme("letters").next("b")
    with pytest.raises(ValueError):
        scheme("letters").sort_key("1.0")


# --- edition/change --------------------------------------------------------------------------

def test_edition_first_and_bumps():
    s = scheme("edition")
    assert s.first() == "A/0"
    assert walk("edition", 3, minor=True) == ["A/0", "A/1", "A/2", "A/3"]
    assert s.next("A/3") == "B/0"
    assert s.next("A/9", minor=True) == "A/10"
    assert s.next("Z/4") == "AA/0"


@pytest.mark.parametrize("rev, valid", [("A/0", True), ("B/12", True), ("AA/3", True), ("A/01", False),
                                        ("A", False), ("a/0", False), ("A/-1", False), ("A/1/2", False)])
def test_edition_validity(rev, valid):
    assert scheme("edition").is_valid(rev) is valid


def test_edition_order_is_numeric_in_the_change_number():
    s = scheme("edition")
    assert sorted(["B/0", "A/10", "A/9", "A/0"], key=s.sort_key) == ["A/0", "A/9", "A/10", "B/0"]


def test_edition_invalid_revision_is_refused():
    with pytest.raises(ValueError, match="not a valid edition revision"):
        scheme("edition").next("A", minor=True)


# --- numeric ---------------------------------------------------------------------------------

def test_numeric_first_and_bumps():
    s = scheme("numeric")
    assert s.first() == "1.0"
    assert s.next("1.0", minor=True) == "1.1"
    assert s.next("1.9", minor=True) == "1.10"
    assert s.next("1.10") == "2.0"
    assert s.next("9.3") == "10.0"


@pytest.mark.parametrize("rev, valid", [("1.0", True), ("0.1", True), ("12.34", True), ("1", False),
                                        ("01.0", False), ("1.0.0", False), ("v1.0", False), ("1.01", False)])
def test_numeric_validity(rev, valid):
    assert scheme("numeric").is_valid(rev) is valid


def test_numeric_order_is_numeric_not_textual():
    s = scheme("numeric")
    assert sorted(["10.0", "1.10", "2.0", "1.9"], key=s.sort_key) == ["1.9", "1.10", "2.0", "10.0"]


def test_numeric_invalid_revision_is_refused():
    with pytest.raises(ValueError, match="not a valid numeric revision"):
        scheme("numeric").next("A")


# --- every scheme ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", SCHEME_NAMES)
def test_every_bump_is_valid_and_sorts_after_its_predecessor(name):
    s = scheme(name)
    revs = [s.first()]
    for i in range(120):
        revs.append(s.next(revs[-1], minor=(name != "letters" and i % 3 != 0)))
    assert all(s.is_valid(rev) for rev in revs)
    keys = [s.sort_key(rev) for rev in revs]
    assert keys == sorted(keys) and len(set(revs)) == len(revs)
