"""Schema registry compatibility modes, as Confluent's Schema Registry defines them.

A registry keeps the versions of one subject's schema and accepts a new version only if
it passes the subject's mode:

- BACKWARD: the new schema can read data written with the previous version (upgrade
  consumers first: new readers meet old data while producers catch up).
- FORWARD: the previous version can read data written with the new schema (upgrade
  producers first: old readers meet new data while consumers catch up).
- FULL: both; the two sides may upgrade in either order.
- *_TRANSITIVE: against every earlier version, not only the latest one.
- NONE: no check.

A rejected version is not registered, so the next candidate is compared with the versions
that were. Avro pairs are judged by the reference checker, Protobuf and Thrift pairs by the
rule table (evolution.rules); a "lossy" pair passes, as it does in a registry, and is listed
as a warning.
"""
from dataclasses import dataclass

from evolution.catalogue import BASE_V1, FIELD_LINES, append, apply_edits, drop, swap
from evolution.rules import INCOMPATIBLE, LOSSY
from evolution.static import Verdict, static_verdict
from formats.errors import FormatError
from i18n import Text

# mode -> (directions checked, transitive, which side to upgrade first)
MODES = {
    "BACKWARD": (("backward",), False, "consumers"),
    "BACKWARD_TRANSITIVE": (("backward",), True, "consumers"),
    "FORWARD": (("forward",), False, "producers"),
    "FORWARD_TRANSITIVE": (("forward",), True, "producers"),
    "FULL": (("backward", "forward"), False, "either"),
    "FULL_TRANSITIVE": (("backward", "forward"), True, "either"),
    "NONE": ((), False, "none"),
}
UPGRADE_FIRST = {side: Text(f"ev.registry.upgrade.{side}") for side in ("consumers", "producers", "either", "none")}
_FORMAT_OF_LANGUAGE = {"avsc": "avro", "proto": "protobuf", "thrift": "thrift-compact"}


@dataclass(frozen=True)
class PairCheck:
    """The candidate checked against one registered version, in one direction."""
    direction: str            # "backward": the candidate reads `other`'s data; "forward": `other` reads the candidate's
    other: int                # the registered version (1-based)
    verdict: Verdict


@dataclass(frozen=True)
class Candidate:
    version: int                      # position in the history, 1-based
    accepted: bool
    compared_with: tuple[int, ...]    # the registered versions it was checked against
    failed: tuple[PairCheck, ...]     # the pairs that made it rejected
    warnings: tuple[PairCheck, ...]   # lossy pairs: accepted, but data is dropped or changed
    checks: tuple[PairCheck, ...]     # every pair checked


@dataclass(frozen=True)
class Registration:
    mode: str
    language: str
    candidates: tuple[Candidate, ...]
    upgrade_first: str                # "consumers", "producers", "either" or "none"

    @property
    def upgrade_advice(self) -> str:
        return UPGRADE_FIRST[self.upgrade_first]

    @property
    def registered(self) -> tuple[int, ...]:
        return tuple(c.version for c in self.candidates if c.accepted)


def register(language: str, history, mode: str) -> Registration:
    """Offer the versions in `history` (schema texts in `language`: "avsc", "proto" or "thrift")
    to a registry in `mode`, oldest first. The first version is always accepted."""
    if mode not in MODES:
        raise FormatError(f"unknown compatibility mode {mode!r}; choose one of {', '.join(MODES)}")
    if language not in _FORMAT_OF_LANGUAGE:
        raise FormatError(f"unknown schema language {language!r}; choose one of {', '.join(_FORMAT_OF_LANGUAGE)}")
    history = list(history)
    if not history:
        raise FormatError(Text("ev.registry.empty"))
    directions, transitive, upgrade_first = MODES[mode]
    format_id = _FORMAT_OF_LANGUAGE[language]
    for version, text in enumerate(history, 1):   # say which version a schema error is in
        try:
            static_verdict(format_id, text, text)
        except FormatError as e:
            raise FormatError(Text("ev.registry.version_error", version=version, message=e.message), line=e.line, column=e.column) from None
    candidates = [Candidate(1, True, (), (), (), ())]
    registered = [1]
    for version in range(2, len(history) + 1):
        others = tuple(registered if transitive else registered[-1:]) if directions else ()
        checks = []
        for other in others:
            for direction in directions:
                writer, reader = ((history[other - 1], history[version - 1]) if direction == "backward"
                                  else (history[version - 1], history[other - 1]))
                newer = "reader" if direction == "backward" else "writer"   # `version` is the later one
                checks.append(PairCheck(direction, other, static_verdict(format_id, writer, reader, newer=newer)))
        failed = tuple(c for c in checks if c.verdict.status == INCOMPATIBLE)
        warnings = tuple(c for c in checks if c.verdict.status == LOSSY)
        candidates.append(Candidate(version, not failed, others, failed, warnings, tuple(checks)))
        if not failed:
            registered.append(version)
    return Registration(mode, language, tuple(candidates), upgrade_first)


def register_all_modes(language: str, history) -> dict[str, Registration]:
    """The same history under every mode, for a side-by-side table."""
    return {mode: register(language, history, mode) for mode in MODES}


def _example(language: str, *steps) -> tuple[str, ...]:
    return (BASE_V1[language],) + tuple(apply_edits(BASE_V1[language], edits) for edits in steps)


_EMAIL = '{"name": "email", "type": ["null", "string"]'
# Three versions whose acceptance differs from mode to mode (see EXAMPLE_STORIES).
EXAMPLE_HISTORIES = {
    "avsc": _example(
        "avsc",
        (swap("avsc", "userName", FIELD_LINES["avsc"]["userName"][:-1] + ', "default": ""}'),
         append("avsc", _EMAIL + ', "default": null}')),
        (drop("avsc", "userName"), append("avsc", _EMAIL + "}")),
    ),
    **{language: _example(language, (swap(language, "userName", relaxed),), (drop(language, "userName"),))
       for language, relaxed in (("proto", "optional string user_name = 1;"),
                                 ("thrift", "1: optional string userName"))},
}
# what each example history shows (ev.registry.story.<language>)
EXAMPLE_STORIES = {language: Text(f"ev.registry.story.{language}") for language in EXAMPLE_HISTORIES}
