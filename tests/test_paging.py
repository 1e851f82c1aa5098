"""How many rows a long table gets at a time."""

from qualcode.tui.paging import ROWS_AT_ONCE, rows_to_add


def test_an_empty_table_gets_only_the_rows_asked_for():
    assert rows_to_add(0, 100, 20_000) == range(0, 100)  # its first frame measures each cell


def test_a_filled_table_grows_a_step_at_a_time_and_never_past_the_end():
    assert rows_to_add(100, 150, 20_000) == range(100, 100 + ROWS_AT_ONCE)
    assert rows_to_add(100, 5_000, 20_000) == range(100, 5_000)
    assert rows_to_add(300, 150, 20_000) == range(0)
    assert rows_to_add(19_950, 20_050, 20_000) == range(19_950, 20_000)
    assert rows_to_add(0, 100, 40) == range(0, 40)
    assert rows_to_add(40, 140, 40) == range(0)
