import requests
import requests.adapters
import requests.exceptions


def case_1():
    requests.Session().close_all()  # planted: attribute


def case_2():
    requests.get("http://127.0.0.1:9", timeut=5)  # planted: keyword


def case_3():
    from requests import HTTPSession  # planted: import


def case_4():
    raise requests.exceptions.TimeoutException("x")  # planted: attribute


def case_5():
    requests.adapters.HTTPAdapter(max_retry=3)  # planted: keyword


def case_6():
    from requests.utils import get_encoding_from_response  # planted: import


def case_7():
    session = requests.Session()
    session.mount_adapter("http://", requests.adapters.HTTPAdapter())  # planted: attribute
