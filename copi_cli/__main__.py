"""Allow ``python -m copi_cli``."""

from copi_cli.cli.app import run

run()
