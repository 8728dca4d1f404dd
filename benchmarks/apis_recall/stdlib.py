import asyncio
import datetime
import itertools
import json
import logging
import os
import os.path
import re
import shutil
import string
import time


def case_1():
    return json.loads("{}", encoding="utf-8")  # planted: removed keyword


def case_2():
    return os.path.existz("x")  # planted: attribute


def case_3():
    return os.getcwdu()  # planted: removed


def case_4():
    from collections import Mapping  # planted: moved


def case_5():
    return time.clock()  # planted: removed


def case_6():
    return datetime.datetime.from_iso("2020-01-01")  # planted: attribute


def case_7():
    return logging.getLoger("x")  # planted: attribute


async def _main():
    return None


def case_8():
    asyncio.run(_main(), debug=True, loop=None)  # planted: keyword


def case_9():
    return string.letters  # planted: removed


def case_10():
    return itertools.izip([1], [2])  # planted: removed


def case_11():
    shutil.copy_tree("a", "b")  # planted: attribute


def case_12():
    return re.compile("x", flag=re.I)  # planted: keyword


def case_13():
    return json.dumps({}, sort_key=True)  # planted: keyword


def case_14():
    import io

    return json.load(io.StringIO("{}"), encoding="utf-8")  # planted: removed keyword


def case_15():
    import pprint

    pprint.pp({}, widht=40)  # planted: keyword


def case_16():
    import subprocess

    subprocess.call(["true"], shel=True)  # planted: keyword
