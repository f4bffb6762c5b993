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


class Person:
    """The writer's class: v1 of the application's code."""

    def __init__(self, userName: str, favoriteNumber: int | None, interests: list[str]):
        self.userName, self.favoriteNumber, self.interests = userName, favoriteNumber, interests

    def describe(self) -> str:
        return f"{self.userName}, {len(self.interests)} interests"


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
    "v1": ("the same code as the writer", {"Person": Person}),
    "v2": ("Person renamed to User", {"User": User}),
    "v3": ("Person gained an email attribute", {"Person": PersonWithEmail}),
}


@dataclass(frozen=True)
class Reading:
    reader: str
    ok: bool
    text: str    # what the reader got, or why it failed, in words


def write(record: dict) -> bytes:
    """The writer's Person, as pickle writes it: the class's module and name, then its attributes."""
    return pickle.dumps(Person(record["userName"], record.get("favoriteNumber"), list(record.get("interests", []))),
                        protocol=PROTOCOL)


def read(data: bytes, reader: str) -> Reading:
    """Bytes `write` produced, unpickled by a reader version's code: find_class resolves only its classes."""
    changed, classes = READERS[reader]

    class ReaderUnpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == __name__ and name in classes:
                return classes[name]
            raise pickle.UnpicklingError(f"Can't get attribute {name!r} on module {module!r}: this version of the "
                                         f"code has no such class")

    try:
        person = ReaderUnpickler(io.BytesIO(data)).load()
    except pickle.UnpicklingError as e:
        return Reading(reader, False, f"{e} ({changed}). Every pickle written before the change is unreadable "
                                      f"until the old name is importable again.")
    try:
        said = person.describe()
    except AttributeError as e:
        return Reading(reader, False, f"The object loads, but using it fails: {e}. Unpickling restores the "
                                      f"writer's attributes and never calls __init__, so an attribute added "
                                      f"since ({changed}) is simply missing.")
    return Reading(reader, True, f"A {type(person).__name__} object: {said}.")


class _RunsACommand:
    """The classic payload: __reduce__ tells pickle to rebuild this object by calling os.system."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def payload(command: str = "echo this ran on your server") -> bytes:
    """Bytes that run `command` when unpickled. Writing them runs nothing; this lab never loads them."""
    return pickle.dumps(_RunsACommand(command), protocol=PROTOCOL)
