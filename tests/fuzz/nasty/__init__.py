"""Hand-written nasty inputs (the YAML files here) and `make`, which writes the big ones."""
