import sqlalchemy
import sqlalchemy.orm


def case_1():
    from sqlalchemy.orm import relation  # planted: removed


def case_2():
    from sqlalchemy import Binary  # planted: removed


def case_3():
    sqlalchemy.create_engine("sqlite://", convert_unicode=True)  # planted: removed keyword


def case_4():
    session = sqlalchemy.orm.Session()
    session.query_all()  # planted: attribute
