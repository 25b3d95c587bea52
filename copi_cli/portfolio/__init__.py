"""copi portfolio: one view over many processes, local or fetched with git into the cache."""
