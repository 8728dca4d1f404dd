import click
import click.testing


def case_1():
    return click.Choices(["a", "b"])  # planted: attribute


def case_2():
    click.echo("x", colour=True)  # planted: keyword


def case_3():
    from click import prompt_password  # planted: import


def case_4():
    return click.get_current_ctx()  # planted: attribute


def case_5():
    click.testing.CliRunner(mix_stderr=False)  # planted: removed keyword


def case_6():
    click.Path(exist=True)  # planted: keyword


def case_7():
    return click.style("x", fg="red", blinking=True)  # planted: keyword
