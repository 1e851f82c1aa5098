"""Errors users see. Every message is one line that names what was wrong and where."""


class QualcodeError(Exception):
    """Base class: a problem with the user's input or project, reported as one line."""


class NotFound(QualcodeError):
    """A source, code, case, coder or coding that the caller named does not exist."""


class InvalidOperation(QualcodeError):
    """A change that would break a rule of the data model (bad span, duplicate name ...)."""


class Busy(QualcodeError):
    """Another program kept the project file locked for writing longer than qualcode waits."""


class SchemaError(QualcodeError):
    """The project file cannot be opened by this version of qualcode."""


class InputError(QualcodeError):
    """A file being imported is malformed. The message names file, row/line and column."""

    def __init__(self, path, message, *, row=None, column=None, line=None):
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path, self.row, self.column, self.line = path, row, column, line


class Ambiguous(QualcodeError):
    """A name the caller gave matches more than one thing; the message lists them."""
