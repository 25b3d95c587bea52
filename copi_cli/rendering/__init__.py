"""Documents: what an audience may see, the records as templates see them, Jinja2 in a
sandbox, pandoc and typst, rendering in parallel."""
