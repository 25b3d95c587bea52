"""copi site: the public process as a static website, with its calendar and news feed."""
