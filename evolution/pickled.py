"""Language-specific formats: a pickle names the writer's classes by their module path, so the bytes only
read back in code that still has those classes, and unpickling runs whatever the bytes name.

Only bytes this module wrote itself, from its own classes, are ever unpickled here, and then with an
Unpickler whose `find_class` resolves nothing but the reader version's allow-list (the pickle
documentation's "Restricting Globals"). Bytes from anyone else go through formats.pickle, which only
disassembles them.
"""
import io
import os
import pickle
from dataclasses import dataclass

from formats.facts.pickle import PROTOCOL
from i18n import Text


class Person:
    """The writer's class: v1 of the application's code."""

    def __init__(self, userName: str, favoriteNumber: int | None, interests: list[str]):
        self.userName, self.favoriteNumber, self.interests = userName, favoriteNumber, interests

    def describe(self) -> Text:
        return Text("pickled.read.describe", user=self.userName, n=len(self.interests))


class User(Person):
    """v2 of the code renamed Person to User (same attributes)."""


class PersonWithEmail(Person):
    """v3 of the code added an attribute that __init__ sets; its describe() uses it."""

    def __init__(self, userName, favoriteNumber, interests, email: str = ""):
        super().__init__(userName, favoriteNumber, interests)
        self.email = email

    def describe(self) -> str:
        return f"{self.userName} <{self.email}>"


# reader version -> (what changed, the classes its code has under this module's path)
READERS = {
    "v1": (Text("pickled.reader.v1"), {"Person": Person}),
    "v2": (Text("pickled.reader.v2"), {"User": User}),
    "v3": (Text("pickled.reader.v3"), {"Person": PersonWithEmail}),
}


@dataclass(frozen=True)
class Reading:
    reader: str
    ok: bool
    text: Text   # what the reader got, or why it failed, in words


def write(record: dict) -> bytes:
    """The writer's Person, as pickle writes it: the class's module and name, then its attributes."""
    return pickle.dumps(Person(record["userName"], record.get("favoriteNumber"), list(record.get("interests", []))),
                        protocol=PROTOCOL)


class _NoClass(pickle.UnpicklingError):
    """find_class refused a name: the reader version's code has no such class (its message is a Text)."""


def read(data: bytes, reader: str) -> Reading:
    """Bytes `write` produced, unpickled by a reader version's code: find_class resolves only its classes."""
    changed, classes = READERS[reader]

    class ReaderUnpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == __name__ and name in classes:
                return classes[name]
            raise _NoClass(Text("pickled.read.no_class", name=repr(name), module=repr(module)))

    try:
        person = ReaderUnpickler(io.BytesIO(data)).load()
    except _NoClass as e:
        return Reading(reader, False, Text("pickled.read.unreadable", error=e.args[0], changed=changed))
    try:
        said = person.describe()
    except AttributeError as e:   # Python's own message: "'X' object has no attribute 'y'"
        missing = Text("pickled.read.no_attribute", cls=repr(type(person).__name__), name=repr(e.name))
        return Reading(reader, False, Text("pickled.read.unusable", error=missing, changed=changed))
    return Reading(reader, True, Text("pickled.read.ok", cls=type(person).__name__, said=said))


class _RunsACommand:
    """The classic payload: __reduce__ tells pickle to rebuild this object by calling os.system."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def payload(command: str = "echo this ran on your server") -> bytes:
    """Bytes that run `command` when unpickled. Writing them runs nothing; this lab never loads them."""
    return pickle.dumps(_RunsACommand(command), protocol=PROTOCOL)
