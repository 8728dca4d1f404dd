import django.utils.timezone


def case_1():
    from django.conf.urls import url  # planted: removed


def case_2():
    from django.utils.translation import ugettext_lazy  # planted: removed


def case_3():
    from django.utils.encoding import force_text  # planted: removed


def case_4():
    from django.utils.http import urlquote  # planted: removed


def case_5():
    return django.utils.timezone.utc  # planted: removed


def case_6():
    from django.http import HttpResponseUnauthorized  # planted: import
