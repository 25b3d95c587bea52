"""copi preview: a local web page of the process that follows its files."""
