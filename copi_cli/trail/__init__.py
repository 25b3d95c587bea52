"""The audit trail in git: the git adapter, one change at a time, phase transitions, reading
the trail back and checking it."""
