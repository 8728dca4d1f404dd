import pandas as pd


def case_1():
    df = pd.DataFrame({"a": [1]})
    return df.append({"a": 2}, ignore_index=True)  # planted: removed method


def case_2():
    return pd.read_csv("missing.csv", error_bad_lines=False)  # planted: removed keyword


def case_3():
    return pd.datetime  # planted: removed


def case_4():
    from pandas.util.testing import assert_frame_equal  # planted: moved module


def case_5():
    return pd.Panel  # planted: removed


def case_6():
    return pd.np  # planted: removed
