"""The package's exceptions: one base class, narrow subclasses.

Messages name the bad value, where it came from and the valid choices, so the
command line can print them as they are.
"""


class AnalysisError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(AnalysisError):
    """A record in data/ does not match its schema or refers to something missing."""


class ParameterError(AnalysisError):
    """A parameter override is unknown, of the wrong type, non-finite or out of range."""


class ScenarioError(ParameterError):
    """A scenario file is malformed or names bad parameters."""


class ScaffoldError(AnalysisError):
    """A new chapter's name or title cannot be used (not an identifier, or taken); nothing was written."""


class BuildError(AnalysisError):
    """A notebook or the HTML build failed; the published book was left as it was."""


class ModelInputError(AnalysisError, ValueError):
    """A model function got an argument outside its valid range; the message names it, its value and the range."""


class ReportError(AnalysisError, ValueError):
    """A chapter asked for a table, chart or glued value the report layer cannot make; the message says why."""
