"""qualcode: qualitative process evaluation in one SQLite file.

    import qualcode as qc
    p = qc.open_project("study.qualcode")
    p.codings()            # a DataFrame, one row per coding, with excerpt and attributes
"""

from qualcode.core import (
                           Case,
                           Code,
                           CodeGroup,
                           Coder,
                           Coding,
                           Event,
                           Memo,
                           Project,
                           Source,
                           SourceEntry,
                           Turn,
                           create_project,
                           open_project,
)
from qualcode.errors import InputError, InvalidOperation, NotFound, QualcodeError, SchemaError

__version__ = "0.1.0"

__all__ = ["Case", "Code", "CodeGroup", "Coder", "Coding", "Event", "InputError",
           "InvalidOperation", "Memo", "NotFound", "Project", "QualcodeError", "SchemaError",
           "Source", "SourceEntry", "Turn", "__version__", "create_project", "open_project"]
