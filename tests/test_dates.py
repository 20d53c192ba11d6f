"""Dates no more precise than the content says: parsing and formatting."""

import pytest

from bilingual.dates import DayDate, MonthDate, YearDate, datetime_attr, format_date, parse_date


@pytest.mark.parametrize(
    ("text", "cls", "attr", "nb", "en"),
    [
        ("2011-11-26", DayDate, "2011-11-26", "26. november 2011", "26 November 2011"),
        ("2023-08", MonthDate, "2023-08", "august 2023", "August 2023"),
        ("2022", YearDate, "2022", "2022", "2022"),
        (" 2020-1-5 ", DayDate, "2020-01-05", "5. januar 2020", "5 January 2020"),
    ],
)
def test_parse_and_format(text, cls, attr, nb, en):
    date = parse_date(text, "Europe/Oslo")
    assert type(date) is cls
    assert date.tzinfo is not None
    assert datetime_attr(date) == attr
    assert format_date(date, "nb_NO") == nb
    assert format_date(date, "en_GB") == en


@pytest.mark.parametrize("text", ["", "26.11.2011", "2011-13", "2011-02-30", "next year", "20111"])
def test_bad_dates_say_how_to_write_them(text):
    with pytest.raises(ValueError, match="2011-11-26.*2023-08.*2022"):
        parse_date(text)


def test_precision_survives_pickling():
    """Pelican's content cache pickles dates."""
    import pickle

    date = parse_date("2023-08")
    assert type(pickle.loads(pickle.dumps(date))) is MonthDate
