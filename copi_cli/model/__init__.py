"""The process as data: the workspace layout and its records, YAML read with locations and
edited in place, the phase catalogue, documents and tools as definitions, the words of the
method."""
