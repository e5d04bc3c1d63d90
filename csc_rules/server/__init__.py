"""The HTTP API (`csc-rules serve`): a front end over `csc_rules.application`, like the CLI.
Needs the `server` extra: `pip install 'csc-rules[server]'`."""
