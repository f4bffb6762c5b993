"""The one exception a user can cause: a message a student understands."""
import json

from i18n import Text


class FormatError(ValueError):
    """Bad input: a record, a schema or bytes the format cannot take.

    The message says what is wrong and where (line/column in schema text, the
    record path, or the byte offset in data); it never carries a temp path or a
    library repr. `line`, `column`, `offset` and `path` repeat the location for widgets that
    point at it. A walk that fails sets `walked`: an Encoded (complete=False) whose spans label
    the bytes it read before the failing one, as protoscope shows them.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 offset: int | None = None, path: str | None = None):
        super().__init__(message)
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
        self.walked = None

    @property
    def message(self) -> str:
        """The message as raised: an i18n.Text stays one, so the UI can render it in the student's language."""
        message = self.args[0]
        return message if isinstance(message, str) else str(message)


def describe(value) -> str:
    """A JSON value in a sentence: `the string "abc"`, `the integer 7`, `an object` (an i18n.Text)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return Text("err.value.integer", value=value)
    if isinstance(value, float):
        return Text("err.value.number", value=repr(value))
    if isinstance(value, str):
        return Text("err.value.string", value=json.dumps(value if len(value) <= 30 else value[:29] + "…",
                                                         ensure_ascii=False))
    if isinstance(value, (bytes, bytearray)):
        return Text("err.value.bytes", n=len(value))
    return Text("err.value.object" if isinstance(value, dict) else "err.value.array" if isinstance(value, list)
                else "err.value.other")


def expected(path: str, what: str, value) -> FormatError:
    """`path: expected an integer (int64), got the string "abc"`."""
    return FormatError(Text("err.value.expected", where=path or Text("err.the_record"), what=what, got=describe(value)),
                       path=path or None)
