"""The one exception a user can cause: a message a student understands."""


class FormatError(ValueError):
    """Bad input: a record, a schema or bytes the format cannot take.

    The message says what is wrong and where (line/column in schema text, the
    record path, or the byte offset in data); it never carries a temp path or a
    library repr. `where` repeats the location for widgets that point at it.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 offset: int | None = None, path: str | None = None):
        super().__init__(message)
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path

    @property
    def message(self) -> str:
        return str(self.args[0])
