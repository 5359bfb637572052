import pandas as pd

from kriegsspiel.datasets import cdb90


def test_row_count_and_unique_battle_numbers():
    d = cdb90.load()
    assert len(d) == 527
    assert d["isqno"].is_unique


def test_duplicates_flagged_and_parents_exist():
    d = cdb90.load()
    dup = d[d["is_duplicate"]]
    assert len(dup) == d["parent"].notna().sum() > 0
    assert set(dup["parent"]) <= set(d["isqno"])
    # the four phases of the Somme 1916 (305-308) re-count battle 304
    assert d.set_index("isqno").loc[[305, 306, 307, 308], "parent"].eq(304).all()


def test_negative_outcomes_preserved_from_fixed_columns():
    d = cdb90.load()
    assert set(d["wina_fixed"].dropna()) == {-1, 0, 1}
    assert (d["wina_fixed"] == -1).sum() > 100
    assert (d["kmda_fixed"] < 0).any()
    # Nieuport 1600: the attacker lost and was thrown back 6.4 km
    row = d.set_index("isqno").loc[1]
    assert row["wina_fixed"] == -1
    assert row["wina_fixed_name"] == "attacker loss"
    assert row["kmda_fixed"] == -6.4


def test_codes_decoded_against_code_lists():
    d = cdb90.load()
    posture = cdb90.load_codes("post")
    for code, name in zip(d["post1"], d["post1_name"], strict=True):
        assert (pd.isna(code) and pd.isna(name)) or posture[code] == name
    assert set(d["terra1_name"].dropna()) == {"Rolling", "Rugged", "Flat"}


def test_overcast_weather_code_restored_from_wide_file():
    d = cdb90.load()
    assert (d["wx2"] == "O").sum() > 0
    assert set(d["wx2"].dropna()) <= set(cdb90.load_codes("wx2"))
    # the wide file packs the five weather codes into WX1; battle 86 is "DOCWT"
    row = d.set_index("isqno").loc[86]
    assert "".join(row[f"wx{i}"] for i in range(1, 6)) == "DOCWT"


def test_load_returns_independent_copies():
    a = cdb90.load()
    a.loc[0, "att_str"] = -1.0
    assert cdb90.load().loc[0, "att_str"] > 0
