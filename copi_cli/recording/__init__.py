"""Recording what happens: one unit of change, and the record kinds a command adds or edits."""
