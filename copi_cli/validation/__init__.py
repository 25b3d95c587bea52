"""Is the process right? Schemas, the domain rules, the validation pipeline, the checks behind
each phase result, and where the process stands."""
