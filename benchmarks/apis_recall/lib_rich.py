import rich.console
import rich.table


def case_1():
    rich.console.Console(colour_system="auto")  # planted: keyword


def case_2():
    console = rich.console.Console()
    console.print_markdown("# x")  # planted: attribute


def case_3():
    from rich.progress import ProgressBarColumn  # planted: import


def case_4():
    table = rich.table.Table(title="x")
    table.add_rows([["a"]])  # planted: attribute


def case_5():
    from rich.text import RichText  # planted: import
