import numpy as np


def case_1():
    return np.linalg.inverse(np.eye(2))  # planted: attribute


def case_2():
    return np.float(1)  # planted: removed alias


def case_3():
    from numpy import asscalar  # planted: removed


def case_4():
    return np.product([1, 2])  # planted: removed


def case_5():
    return np.alltrue([True])  # planted: removed


def case_6():
    return np.arange(10).to_list()  # planted: attribute on a value


def case_7():
    return np.random.randint(0, 10, siz=3)  # planted: keyword
