import jinja2


def case_1():
    from jinja2 import Markup  # planted: removed


def case_2():
    from jinja2 import contextfilter  # planted: removed


def case_3():
    jinja2.Environment(autoescape=True, trim_block=True)  # planted: keyword


def case_4():
    env = jinja2.Environment()
    env.get_templates("index.html")  # planted: attribute


def case_5():
    jinja2.FileSystemLoader("templates", encodings="utf-8")  # planted: keyword


def case_6():
    jinja2.select_autoescape(enabled_extensions=("html",), default_on=True)  # planted: keyword


def case_7():
    return jinja2.Template("{{ x }}").render_stream(x=1)  # planted: attribute
