"""One module per command; each is a thin function: parse options, call the core, report.

Options and arguments are declared as `Annotated[type, typer.Option(...)]`, the default after
`=`. typer passes every parameter by name, so a function whose required option follows ones
with defaults takes them after a `*`, and --help lists them in the order written. No help
text is written here: a command's and each parameter's help, in Danish and English, is in
data/messages/help.json under its id (copi_cli/cli/helptext.py); a docstring is for developers.

The modules of the commands registered on every start (and cli/app.py) keep their annotations
as real objects, without `from __future__ import annotations`: typer reads every option's
annotation on each start, and an annotation kept as text is evaluated again, typer.Option call
included (building the commands took 12 ms instead of 1.5 ms when measured).
"""
