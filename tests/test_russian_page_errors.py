"""Issue 14: a bad input's error in Russian (AppTest, ?lang=ru): the page's frame around it from the catalogue
and the core's message rendered again in Russian, not printed with str() or an f-string. The detector
(tests/russian.py `english`) reads the alerts; it knows no expected string."""
import formats
import sample_data
from formats import avro_idl
from i18n import Text
from tests.pages import page
from tests.russian import english

BOOK = sample_data.load("person")


def idl_typed(idl_text: str) -> dict:
    """The Explorer's state with `idl_text` typed in its IDL editor after the book's .avsc (the editor follows
    an .avsc it has not seen, so the .avsc it last followed is set too). Set before the first run: AppTest
    cannot drive the Explorer's widgets in Russian (their format_func speaks the session's language)."""
    return {"ex.schema.avsc": BOOK.schemas["avsc"], "ex.schema.avdl.source": BOOK.schemas["avsc"],
            "ex.schema.avdl": idl_text}


def _russian(name: str, state: dict | None = None, then=()):
    """The page in Russian, `state` set before its first run, then each (editor, text) typed."""
    at = page(f"app_pages/{name}.py")
    at.query_params["lang"] = "ru"
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    for key, value in then:   # typed into an editor after the first run, as a student does
        at.text_area(key=key).set_value(value(at) if callable(value) else value)
        at.run()
    assert not at.exception
    return at


def _alerts(at) -> list[str]:
    return [e.value for e in [*at.error, *at.warning]]


def _english_in(alerts: list[str], plain: str = "") -> list[str]:
    """The alerts' English phrases; `plain`: a core message still a plain str (its engineer turns it into a
    Text), passed over until it is one."""
    return [a for a in alerts if english(a.replace(plain, " ") if plain else a)]


def test_a_bad_record_on_the_explorer_is_reported_in_russian():
    at = _russian("explorer", {"ex.record": '{"userName": "M",'})
    alerts = _alerts(at)
    assert any(a.startswith("Запись: строка 1, столбец 18:") for a in alerts), alerts   # the summary's frame
    assert any(a.startswith("строка 1, столбец 18: текст кончается слишком рано") for a in alerts), alerts
    assert _english_in(alerts) == []


def test_bad_pasted_text_on_decode_is_reported_in_russian():
    at = _russian("decode", {"dec.data": "0a 06 zz"})
    alerts = _alerts(at)
    assert any(a.startswith("Не удалось прочитать вставленный текст: шестнадцатеричная цифра 5") for a in alerts), alerts
    assert _english_in(alerts) == []


def test_a_bad_schema_in_the_evolution_labs_own_versions_is_reported_in_russian():
    broken = lambda at: at.text_area(key="ev.v2").value.replace('"name": "Person",', '"name": "Person"')
    at = _russian("evolution_lab", then=[("ev.v2", broken)])
    alerts = _alerts(at)
    assert any(a.startswith("Схема v2: строка ") and "ожидается запятая" in a for a in alerts), alerts
    assert _english_in(alerts) == []


def test_a_bad_avro_idl_is_reported_in_russian():
    bad = "protocol P { record Person { strin x; } }"
    at = _russian("explorer", idl_typed(bad))
    try:
        avro_idl.record_schema(bad)
    except formats.FormatError as e:
        message = e.message
    alerts = _alerts(at)
    assert any(a.startswith("Ошибка в Avro IDL: строка 1, столбец 30" if isinstance(message, Text)
                            else f"Ошибка в Avro IDL: {message}") for a in alerts), alerts
    assert _english_in(alerts, "" if isinstance(message, Text) else message) == []
