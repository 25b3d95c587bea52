"""Allow ``python -m copi_cli``."""

from copi_cli.cli import run

run()
