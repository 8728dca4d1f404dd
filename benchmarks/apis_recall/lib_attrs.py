import attr
import attrs


def case_1():
    attr.s(auto_attrib=True)  # planted: keyword


def case_2():
    attrs.define(frozen=True, slot=True)  # planted: keyword


def case_3():
    attr.ib(default=1, validators=[])  # planted: keyword


def case_4():
    from attrs import dataclass  # planted: import


def case_5():
    return attrs.asdictionary  # planted: attribute
