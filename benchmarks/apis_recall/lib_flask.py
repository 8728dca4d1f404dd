import flask
from flask import Flask


def case_1():
    from flask import escape  # planted: removed


def case_2():
    from flask import Markup  # planted: removed


def case_3():
    return flask.json.dumps_pretty({})  # planted: attribute


def case_4():
    app = Flask(__name__)
    app.add_url_route("/", "index", lambda: "")  # planted: attribute


def case_5():
    from flask import before_request  # planted: import


def case_6():
    return flask.helpers.send_from_dir("static", "x")  # planted: attribute


def case_7():
    Flask(__name__, static_path="/s")  # planted: removed keyword
