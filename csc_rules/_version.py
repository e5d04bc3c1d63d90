"""The version of csc-rules, in a module of its own so that no module imports the package root
(the build reads it from here too: `[tool.hatch.version]` in pyproject.toml)."""

__version__ = "0.1.0"
