"""Long tables are filled a step at a time as the cursor nears their end: building 20,000 rows
of a DataTable at once takes seconds."""

from __future__ import annotations

ROWS_AT_ONCE = 200  # rows put in a table at a time
ROWS_AHEAD = 100  # rows kept loaded below the cursor


def rows_to_add(loaded: int, at_least: int, total: int) -> range:
    """The rows to add to a table that holds `loaded` of `total` rows so that it holds
    `at_least` of them, ROWS_AT_ONCE more at least: none when it already does. An empty
    table gets only the rows asked for: its first frame waits for every cell of them to be
    measured."""
    if loaded >= min(at_least, total):
        return range(0)
    step = ROWS_AT_ONCE if loaded else 0
    return range(loaded, min(total, max(at_least, loaded + step)))
