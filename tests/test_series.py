import numpy as np
import pytest

from kriegsspiel.errors import InputError
from kriegsspiel.series import load_series, load_shipped, parse_series

GOOD = """day,side,strength,losses,reinforcements
0,Blue,100,,
0,Red,80,,
1,Blue,95,5,
1,Red,72,8,
2,Blue,110,5,20
2,Red,66,6,
"""


def test_two_sided_series_is_read_into_arrays_by_day():
    s = parse_series(GOOD)
    assert (s.x.name, s.y.name) == ("Blue", "Red")  # X is the first side in the file
    np.testing.assert_array_equal(s.days, [1, 2])
    assert s.x.initial == 100
    np.testing.assert_array_equal(s.x.strength, [95, 110])
    np.testing.assert_array_equal(s.x.reinforcements, [0, 20])  # empty means none
    np.testing.assert_array_equal(s.y.cumulative_losses, [8, 14])


def test_rows_may_come_in_any_order():
    lines = GOOD.strip().splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])])
    s = parse_series(shuffled)
    # the first side named in the file is X: here Red
    assert s.x.name == "Red"
    np.testing.assert_array_equal(s.x.strength, [72, 66])


def test_one_sided_series_with_only_a_day_zero_row():
    s = parse_series("day,side,strength,losses,reinforcements\n0,A,50,,\n0,B,30,,\n1,A,45,5,\n")
    assert s.x.observed and not s.y.observed
    assert s.y.initial == 30 and s.y.strength is None
    np.testing.assert_array_equal(s.y.reinforcements, [0])


def test_unobserved_side_may_have_rows_with_empty_cells_and_known_arrivals():
    text = "day,side,strength,losses,reinforcements\n0,A,50,,\n0,B,30,,\n1,A,45,5,\n1,B,,,10\n"
    s = parse_series(text)
    assert not s.y.observed
    np.testing.assert_array_equal(s.y.reinforcements, [10])


def test_weapon_system_columns_are_kept_and_must_sum_to_the_total():
    text = (
        "day,side,strength,losses,reinforcements,strength:tanks,strength:infantry\n"
        "0,A,50,,,10,40\n0,B,30,,,,\n1,A,45,5,,8,37\n"
    )
    s = parse_series(text)
    np.testing.assert_array_equal(s.x.systems["tanks"]["strength"], [10, 8])
    assert s.y.systems == {}
    with pytest.raises(InputError, match=r"row 4, column strength: the sum"):
        parse_series(text.replace("1,A,45,5,,8,37", "1,A,45,5,,9,37"))


def test_shipped_iwojima_series_keeps_the_published_figures():
    s = load_shipped("iwojima")
    assert (s.x.name, s.y.name) == ("US", "Japan")
    assert s.days.size == 35
    assert s.x.initial == 0 and s.y.initial == 21500 and not s.y.observed
    np.testing.assert_array_equal(np.flatnonzero(s.x.reinforcements) + 1, [1, 3, 6])
    assert s.x.reinforcements.sum() == 73000
    # active troops = landed - cumulative casualties, every day, as published (day 19 > day 20)
    landed = np.cumsum(s.x.reinforcements)
    np.testing.assert_array_equal(s.x.strength, landed - s.x.cumulative_losses)
    assert s.x.cumulative_losses[18] == 18208 and s.x.cumulative_losses[19] == 17692


def test_load_series_reads_a_file(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(GOOD)
    assert load_series(path).x.strength is not None


BAD = [
    ("day,side,strength,losses\n0,A,1,\n", r"row 1: a column 'reinforcements'"),
    ("", r"a CSV file with a header row"),
    ("day,side,strength,losses,reinforcements\n", r"at least one data row"),
    (GOOD.replace("1,Blue,95,5,", "1,Blue,abc,5,"), r"row 4, column strength: a number"),
    (GOOD.replace("1,Blue,95,5,", "1,Blue,95,nan,"), r"row 4, column losses: a finite number"),
    (GOOD.replace("1,Blue,95,5,", "1,Blue,inf,5,"), r"row 4, column strength: a finite number"),
    (GOOD.replace("1,Blue,95,5,", "1,Blue,-95,5,"), r"row 4, column strength: a strength >= 0"),
    (GOOD.replace("1,Blue,95,5,", "1.5,Blue,95,5,"), r"row 4, column day: an integer day"),
    (GOOD.replace("1,Blue,95,5,", "-1,Blue,95,5,"), r"row 4, column day: an integer day"),
    (
        GOOD.replace("1,Red,72,8,", "2,Red,72,8,"),
        r"row 7, column day: one row per day for Red \(row 5\)",
    ),
    (GOOD.replace("1,Red,72,8,", "1,Red,72,8"), r"row 5: 5 cells"),
    (GOOD.replace("1,Red,72,8,", "1,Red,,8,"), r"row 5, column strength: a value"),
    (GOOD.replace("1,Red,72,8,\n", ""), r"column day: a row for Red on day 1"),
    (GOOD.replace("0,Red,80,,", "0,Red,,,"), r"row 3, column strength: the initial strength"),
    (GOOD.replace("0,Red,80,,", "0,Red,80,,5"), r"row 3, column reinforcements: empty or 0"),
    (GOOD.replace("0,Red,80,,\n", ""), r"column day: a day-0 row for Red"),
    (GOOD.replace("1,Red,72,8,", "1,,72,8,"), r"row 5, column side: a side name"),
    (GOOD + "0,Green,5,,\n", r"column side: exactly two sides"),
    (GOOD.replace("day,side", "day,side,colour"), r"column colour: day, side"),
    (GOOD.replace("reinforcements", "reinforcements,strength:"), r"a system name after ':'"),
    ("day,side,strength,losses,reinforcements\n0,A,5,,\n0,B,5,,\n", r"rows for day 1 and later"),
    (
        "day,side,strength,losses,reinforcements\n0,A,5,,\n0,B,5,,\n1,A,,,\n",
        r"strengths or losses observed for at least one side",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_input_names_row_and_column(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_series(text, source="s.csv")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("s.csv")


def test_unknown_shipped_series_lists_the_known_ones():
    with pytest.raises(InputError, match="one of iwojima"):
        load_shipped("kursk")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="a readable UTF-8 CSV file"):
        load_series(tmp_path / "nope.csv")
