"""The lab's words in every language it speaks: a catalogue per language (TOML, beside this file:
`<lang>.toml` for the app's frame, `<lang>/<part>.toml` for each part of it).

`t(key, lang, **values)` renders a message. The pure core (formats/, evolution/, dataflow/) never
knows the reader's language: where it produces text a student reads (a span's explanation, a
verdict's reason, a simulation's note) it returns a `Text`, a `str` whose value is the English
rendering, so every caller and test that compares strings keeps working, and which carries its key
and values so the UI can render it again in the student's language (`render`).

A key missing from a catalogue never crashes a page: English stands in, and the key is recorded in
`MISSING` (tests fail on it; the catalogue tests check every key exists in both languages).
"""
import functools
import string
import sys
import tomllib
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal

LANGUAGES = ("en", "ru")
DEFAULT = "en"
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
_HERE = Path(__file__).resolve().parent
_SHARED: dict = {}   # (key, values) -> the Text made for them (see Text.__new__)
_NAMES: dict = {}    # the names of a message's values, one tuple per distinct set (a handful per key)
_SHARED_MAX = 50_000   # ~15 MB at most, shared by every session
MISSING: set[tuple[str, str]] = set()   # (language, key) asked for but not in its catalogue


def _flatten(table: dict, prefix: str = "") -> dict:
    out = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and not (value.keys() <= PLURAL_FORMS and "other" in value):
            out.update(_flatten(value, key + "."))
        else:
            out[key] = value
    return out


def catalogue_files(lang: str) -> list[Path]:
    """A language's catalogue: `<lang>.toml` and, one per part of the app, `<lang>/<part>.toml`."""
    return [_HERE / f"{lang}.toml", *sorted((_HERE / lang).glob("*.toml"))]


@functools.cache
def catalogue(lang: str) -> dict:
    """key -> message (a str, or plural forms by CLDR category): read once per process, shared.
    A key defined in two of the language's files is an error (one place per message)."""
    out: dict = {}
    for path in catalogue_files(lang):
        with open(path, "rb") as f:
            part = _flatten(tomllib.load(f))
        twice = part.keys() & out.keys()
        if twice:
            raise ValueError(f"{path.name}: keys already defined in another {lang} file: {sorted(twice)[:5]}")
        out.update(part)
    return out


@functools.cache
def _plural(lang: str):
    return Locale.parse(lang).plural_form


class _Formatter(string.Formatter):
    """str.format, with numbers written as the language writes them (ru: 1 337, 0,05)."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec):
        if isinstance(value, Text):
            value = value.render(self.lang)
        elif isinstance(value, (list, tuple)):   # a list of items (Texts among them), as a sentence lists them
            value = ", ".join(str(render(v, self.lang)) for v in value)
        if self.lang != DEFAULT and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and spec in (",", ",d", "g", ",g", ",.0f", ",.1f", ",.2f", ".1f", ".2f", ".0f", ".3f"):
            digits = spec.rsplit(".", 1)[1][0] if "." in spec else None
            pattern = ("#,##0" if "," in spec else "0") + ("." + "0" * int(digits) if digits and digits != "0" else "")
            return format_decimal(value, format=None if spec in ("g", ",g") else pattern, locale=self.lang)
        return super().format_field(value, spec)


@functools.cache
def _formatter(lang: str) -> _Formatter:
    return _Formatter(lang)


def message(key: str, lang: str = DEFAULT, count=None):
    """The raw message for `key` (a plural form chosen by `count`), English if `lang` lacks it, or None."""
    found = catalogue(lang).get(key)   # the walks ask once or twice a span: one lookup when found
    language = lang
    if found is None:
        found = catalogue(DEFAULT).get(key) if lang != DEFAULT else None
        if found is None:
            MISSING.add((DEFAULT, key))
            return None
        MISSING.add((lang, key))
        language = DEFAULT
    if type(found) is dict:
        form = _plural(language)(abs(count)) if isinstance(count, (int, float)) else "other"
        return found.get(form, found["other"])
    return found


def t(key: str, lang: str = DEFAULT, /, **values) -> str:
    """The message `key` in `lang` with `values` filled in; a plural message picks its form by `n`.
    A missing key renders as the key itself (and is recorded), never raises."""
    text = message(key, lang, values.get("n"))
    if text is None:
        return key
    if "{" not in text and "}" not in text:   # most labels: nothing to fill in, no "}}" to unescape
        return text
    try:
        if lang == DEFAULT:
            for value in values.values():   # a loop, not any(...): a generator costs a span's label 2 µs
                if type(value) is list or type(value) is tuple:
                    break
            else:
                return text.format_map(values)   # English numbers are str.format's own (a Text is its English)
        return _formatter(lang).vformat(text, (), values)
    except (KeyError, IndexError, ValueError):
        MISSING.add((lang, key))
        return key


class Text(str):
    """A message of the catalogue, as the core returns it: English as a `str`, translatable by key.

    `Text("verdict.lost", field="email")` equals `t("verdict.lost", "en", field="email")`; values may
    be Texts themselves (rendered in the same language)."""

    __slots__ = ("key", "_names", "_args", "_kept")   # the values as two tuples: a dict each would cost ~3x

    def __new__(cls, key: str, /, **values):
        # The walks make one or two per span and repeat most of them ("length 6" thousands of times in a
        # large record): one shared Text per message and values, so a span's label costs a reference.
        # A value naming a list item ("people[12].userName"), or a Text holding one, is one of a kind.
        # The shared one is looked up first, so a walk's repeated label skips the checks below; only what
        # they keep is stored (a value is found only if it equals one that was kept, as before).
        memo = (key, *values.values())
        try:
            shared = _SHARED.get(memo)
        except TypeError:   # an unhashable value (a list of items): one of a kind
            shared = None
        if shared is not None:
            return shared
        args = memo[1:]
        kept = True
        for value in args:
            kind = type(value)
            if kind is str:
                if "[" in value:
                    kept = False
                    break
            elif kind is Text:
                if not value._kept:
                    kept = False
                    break
            elif kind not in (int, float, bool, type(None)):
                kept = False
                break
        self = super().__new__(cls, t(key, DEFAULT, **values))   # t's English is str.format's own
        self.key, self._args, self._kept = sys.intern(key), args, kept
        names = tuple(values)
        self._names = _NAMES.setdefault(names, names)
        if kept:
            if len(_SHARED) >= _SHARED_MAX:   # bounded: start again rather than grow with what visitors type
                _SHARED.clear()
            _SHARED[memo] = self
        return self

    @property
    def values(self) -> dict:
        return dict(zip(self._names, self._args))

    def render(self, lang: str) -> str:
        return str(self) if lang == DEFAULT else t(self.key, lang, **self.values)

    def __reduce__(self):   # st.cache_data pickles: keep the key through it
        return _text, (self.key, self.values)


def _text(key: str, values: dict) -> Text:
    return Text(key, **values)


def chain(key: str, items: list):
    """Items in one sentence, joined pairwise by the message `key` ("{first} or {rest}"): a list of any
    length in each language's own words ("a or b or c", "a или b или c")."""
    return items[0] if len(items) == 1 else Text(key, first=items[0], rest=chain(key, items[1:]))


def render(text, lang: str):
    """Any text the core returned, in `lang`: a Text is rendered again, anything else as it is."""
    return text.render(lang) if isinstance(text, Text) else text
