"""The glossary: the chapter's terms in English and Russian, each with the lab page where a student
touches it. The terms live in the catalogues (i18n/<lang>/glossary.toml, `glossary.term.<id>`: name,
definition, page); this module only lists and filters them, so it stays pure."""
from dataclasses import dataclass

import i18n

PREFIX = "glossary.term."


@dataclass(frozen=True)
class Term:
    id: str
    names: dict        # language -> the term's name in it
    definition: str    # in the language asked for
    page: str          # app_pages/<page>.py


def ids() -> list[str]:
    """The terms' ids in the catalogue's order (the chapter's order)."""
    return [key[len(PREFIX):-len(".name")] for key in i18n.catalogue(i18n.DEFAULT)
            if key.startswith(PREFIX) and key.endswith(".name")]


def terms(lang: str) -> list[Term]:
    return [Term(id, {language: i18n.t(f"{PREFIX}{id}.name", language) for language in i18n.LANGUAGES},
                 i18n.t(f"{PREFIX}{id}.definition", lang), i18n.t(f"{PREFIX}{id}.page", i18n.DEFAULT))
            for id in ids()]


def _folded(text: str) -> str:
    return text.casefold().replace("ё", "е")


def matching(found: list[Term], query: str) -> list[Term]:
    """The terms whose name in any language, or definition, holds every word of `query` (any case, ё as е)."""
    words = _folded(query).split()
    return [term for term in found
            if all(w in _folded(" ".join([*term.names.values(), term.definition])) for w in words)]
