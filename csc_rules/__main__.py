"""`python -m csc_rules`, the same as the `csc-rules` command."""

from .cli import main

main()
