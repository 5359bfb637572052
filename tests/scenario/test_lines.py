"""The TOML line index that gives errors their line numbers."""

from __future__ import annotations

from kriegsspiel.scenario.lines import index_lines, line_for

TEXT = '''# comment
[meta]
name = "x"  # trailing [not a table]
[[units]]
id = "a"
men = { value = 1, source = "S" }
[[units]]
id = "b"
weapons.rifle = { value = 2, source = "S" }
vertices = [
  [1, 2],
  [3, 4],
]
after = 1
[sides.soviet]
"quoted key" = 3
s = """
fake = 1
[[units]]
"""
[[weather.periods]]
fog = true
[[weather.periods]]
rain = true
'''


def test_index() -> None:
    idx = index_lines(TEXT)
    assert idx[("meta", "name")] == 3
    assert idx[("units", 0)] == 4 and idx[("units", 0, "men")] == 6
    assert idx[("units", 1, "weapons", "rifle")] == 9
    assert idx[("units", 1, "after")] == 14  # the multi-line array is skipped
    assert idx[("sides", "soviet", "quoted key")] == 16
    assert ("sides", "soviet", "fake") not in idx and ("units", 2) not in idx  # inside a string
    assert idx[("weather", "periods", 1, "rain")] == 24


def test_line_for_uses_the_longest_known_prefix() -> None:
    idx = index_lines(TEXT)
    assert line_for(idx, ("units", 0, "men", "value")) == 6
    assert line_for(idx, ("units", 1, "vertices", 1, 0)) == 10
    assert line_for(idx, ("nowhere",)) is None
