"""copi: scaling processes in innovative public procurement, kept as files in git."""

__version__ = "0.1.0"
