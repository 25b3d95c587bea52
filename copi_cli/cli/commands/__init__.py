"""One module per command; each is a thin function: parse options, call the core, report.

The modules of the commands registered on every start (and cli.py) keep their annotations as
real objects, without `from __future__ import annotations`: typer reads every option's
annotation on each start, and an annotation kept as text costs an eval (about 1 ms in all).
"""
