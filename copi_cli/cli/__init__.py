"""The command line: the typer app, one thin module per command, reporters. The only layer
that knows the terminal."""
