"""One module per command; each is a thin function: parse options, call the core, report."""
