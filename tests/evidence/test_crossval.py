import numpy as np
import pandas as pd

from kriegsspiel.evidence.folds import assign_folds, battle_groups


def test_groups_follow_parent(battles):
    groups = battle_groups(battles)
    dup = battles["is_duplicate"].to_numpy()
    assert np.array_equal(groups[dup], battles.loc[dup, "parent"].to_numpy(dtype=int))
    assert np.array_equal(groups[~dup], battles.loc[~dup, "isqno"].to_numpy())


def test_folds_keep_duplicates_with_their_parent(battles):
    folds = assign_folds(battle_groups(battles), 10, 1990)
    fold_of = dict(zip(battles["isqno"], folds, strict=True))
    for child, parent in battles.loc[battles["is_duplicate"], ["isqno", "parent"]].itertuples(
        index=False
    ):
        assert fold_of[child] == fold_of[int(parent)]


def test_folds_are_balanced_by_battle_and_deterministic(battles):
    groups = battle_groups(battles)
    folds = assign_folds(groups, 10, 1990)
    per_fold = pd.Series(groups).groupby(folds).nunique()
    assert set(per_fold.index) == set(range(10))
    assert per_fold.max() - per_fold.min() <= 1
    assert np.array_equal(folds, assign_folds(groups, 10, 1990))
    assert not np.array_equal(folds, assign_folds(groups, 10, 1991))
