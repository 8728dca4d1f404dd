import httpx


def case_1():
    httpx.Client(timeout=5, retries=3)  # planted: keyword


def case_2():
    httpx.get("http://127.0.0.1:9", follow_redirect=True)  # planted: keyword


def case_3():
    from httpx import RequestTimeout  # planted: import


def case_4():
    client = httpx.Client()
    client.fetch("http://127.0.0.1:9")  # planted: attribute


def case_5():
    httpx.post("http://127.0.0.1:9", json_data={})  # planted: keyword


def case_6():
    return httpx.codes.OKAY  # planted: attribute
