"""The Encoding Explorer's widgets: editors with inline errors, format cards, plots, sharing."""

import streamlit as st

import formats
import sample_data
from formats import compare, paths
from ui import cache, hexview, idl, lecture, show, state, widgets
from ui.language import t, tr

LANGUAGES = tuple(formats.SCHEMA_LANGUAGES)          # avsc, avdl (the same schema as IDL), proto, thrift
FIGURE_FORMATS = ("msgpack", "thrift-binary", "thrift-compact", "protobuf", "avro")
WALK_ALL_BYTES = 64 * 1024   # larger encodings are labelled up to the page on screen
WHOLE_BOX_BYTES = 64   # a full-width book figure (lecture mode) shows a box's bytes up to this many
MAX_FIELD_OPTIONS = 2000
VIEWS = ("compact", "detailed", "book figure")
VIEW_KEYS = {"compact": "ex.view_compact", "detailed": "ex.view_detailed", "book figure": "ex.view_figure"}
# the tabs read as the files they edit: the same in every language, so a link's open tab is valid in all
TABS = ("record.json",) + tuple(f".{lang}" for lang in LANGUAGES)
NO_FIELD = "(none)"   # the field picker's first option (state keeps it; the picker shows it translated)


def view_name(view: str) -> str:
    return t(VIEW_KEYS[view])


def preset_title(name: str) -> str:
    return tr(sample_data.load(name).title)


def preset_values(name: str) -> dict:
    preset = sample_data.load(name)
    values = {"record": preset.record_text}
    for lang in LANGUAGES:
        text = preset.schemas.get(lang)
        values[f"schema.{lang}"] = text or ""
        values[f"auto.{lang}"] = text is None
    return values


def load_preset(name: str) -> None:
    st.session_state.update({f"ex.{k}": v for k, v in preset_values(name).items()})


def _derived(values: dict) -> dict:
    """What follows from other inputs, so links leave it out: a schema in "derive from the record" mode
    follows the record, and the Avro IDL follows the .avsc (ui/idl reprints it)."""
    return {f"schema.{lang}": values[f"schema.{lang}"] for lang in LANGUAGES
            if values[f"auto.{lang}"] or lang == "avdl"} | {"auto.avdl": values["auto.avdl"]}


def init() -> None:
    """The Explorer's inputs: the book's Person, every format, or what the page's link holds."""
    state.declare("ex", {**preset_values("person"), "preset": "person", "formats": list(formats.FORMATS),
                         "field": NO_FIELD, "view": "compact", "large": False, "columns": 2, "tab": TABS[0]},
                  allowed={"preset": sample_data.names(), "formats": formats.FORMATS, "view": VIEWS,
                           "columns": state.between(1, 3), "tab": TABS},
                  derived=_derived, note=t("ex.link_note"))


def figure_first() -> bool:
    """Lecture mode on a book figure: the figure first, full width, one card a row, with the editors folded
    away below it and no preset row, cards-per-row slider, large-text switch or plots."""
    return lecture.on() and st.session_state.get("ex.view") == "book figure"


def valid_record() -> tuple[dict | None, str | None, formats.FormatError | None]:
    """The record as typed, or the last valid one while the typed text has an error."""
    text = st.session_state["ex.record"]
    try:
        record = cache.parsed(text)
    except formats.FormatError as e:
        last = st.session_state.get("ex.last_good")
        return (cache.parsed(last) if last else None), last, e
    st.session_state["ex.last_good"] = text
    return record, text, None


def derive(record_text: str | None) -> dict:
    """Re-derive the schemas in 'derive from record' mode; returns language -> error for failures."""
    errors = {}
    for lang in LANGUAGES:
        if lang == "avdl":   # not derived from the record: it follows the .avsc, derived or not
            idl.follow("ex.schema.avsc", "ex.schema.avdl")
            continue
        if st.session_state.get(f"ex.auto.{lang}") and record_text:
            try:
                st.session_state[f"ex.schema.{lang}"] = cache.derive_schema(lang, record_text)
            except formats.FormatError as e:
                errors[lang] = e
    return errors


def _edited(lang: str) -> None:
    st.session_state[f"ex.auto.{lang}"] = False


def _derive_now(lang: str) -> None:
    st.session_state[f"ex.auto.{lang}"] = True


def derive_all() -> None:
    for lang in LANGUAGES:
        _derive_now(lang)


def schema_editor(lang: str, errors: list[str]) -> None:
    if lang == "avdl":
        idl.editor(tr(formats.SCHEMA_LANGUAGES[lang]), "ex.schema.avsc", "ex.schema.avdl", then=_edited, args=("avsc",))
        st.button(t("ex.derive"), key="ex.derive.avdl", on_click=_derive_now, args=("avsc",),
                  help=t("ex.derive_idl_help"))
        return
    auto = st.session_state.get(f"ex.auto.{lang}")
    st.text_area(tr(formats.SCHEMA_LANGUAGES[lang]), key=f"ex.schema.{lang}", height=260,
                 on_change=_edited, args=(lang,))
    if auto:
        st.caption(t("ex.derived"))
    else:
        st.button(t("ex.derive"), key=f"ex.derive.{lang}", on_click=_derive_now, args=(lang,),
                  help=t("ex.derive_help"))
    for message in errors:
        st.error(message, icon="⚠️")


def field_picker(record: dict | None) -> str | None:
    options = [NO_FIELD]
    for path, _ in paths.leaves(record) if record else ():
        if len(options) > MAX_FIELD_OPTIONS:
            break
        options.append(path)
    if st.session_state.get("ex.field") not in options:
        st.session_state["ex.field"] = NO_FIELD
    choice = st.selectbox(t("ex.field"), options, key="ex.field", help=t("ex.field_help"),
                          format_func=lambda o: t("ex.no_field") if o == NO_FIELD else o)
    return None if choice == NO_FIELD else choice


def format_cards(results: dict, columns: list, view: str, highlight: str | None) -> dict:
    """Every format's card, dealt into `columns` in turn; returns format id -> the Encoded it showed
    (labelled up to the page on screen). A column's run of one-page cards goes out as one st.html: each
    element costs the server a message, a hash and a wake-up of its event loop, and thirteen cards were
    half of an Explorer edit's 74 messages (bench/bench_load.py); each card is an `.el-card` edged by
    ui.theme.card_css. A card with an error, or with more than one page of bytes (a fragment: its page
    picker reruns that card alone), is drawn on its own."""
    shown, runs = {}, [[] for _ in columns]

    def flush(c: int) -> None:
        if runs[c]:
            with columns[c]:
                show.html("".join(runs[c]))
            runs[c] = []

    for i, (fid, written) in enumerate(results.items()):
        c = i % len(columns)
        failed = isinstance(written, formats.FormatError)
        if failed or _paged(written[0]):
            flush(c)
            with columns[c]:
                result = (_card if failed else _paged_card)(fid, written, view, highlight)
        else:
            head, body, result = _card_html(fid, *written, 0, len(written[0]), view, highlight)
            runs[c].append(f"<div class='el-card el-fmt-{fid}'>{head}{body}</div>")
        if result is not None:
            shown[fid] = result
    for c in range(len(columns)):
        flush(c)
    return shown


def _paged(data: bytes) -> bool:
    """More than one page of bytes: the card has a page picker (widgets.byte_window)."""
    return len(data) > widgets.PAGE_BYTES


def _card(fid: str, written, view: str, highlight: str | None):
    """A card drawn on its own: a bordered st.container (keyed "card-<format>") around its error, or
    around its heading, page picker and page of bytes."""
    fmt = formats.get(fid)
    with st.container(border=True, key=f"card-{fid}"):
        if isinstance(written, formats.FormatError):
            st.markdown(f"**{fmt.title}**")
            st.error(tr(written.message), icon="⚠️")
            return None
        data, schema = written
        head = st.empty()   # the heading stays above the page picker
        start, end = widgets.byte_window(len(data), f"ex.page.{fid}")
        heading, body, result = _card_html(fid, data, schema, start, end, view, highlight)
        show.html(heading, head)
        show.html(body)
    return result


def _card_html(fid: str, data: bytes, schema: str | None, start: int, end: int, view: str,
               highlight: str | None):
    """(the card's heading and notes, its bytes, the Encoded it shows) as HTML, for bytes [start, end):
    a one-page card sends the two in one element (see hexview.card_head_html), a paged one its heading
    above its page picker."""
    fmt = formats.get(fid)
    result = cache.annotate(fid, data, schema, None if len(data) <= WALK_ALL_BYTES else end, written=True)
    text = t("ex.card_head", format=fmt.title, size=t("unit.bytes", n=result.size))
    if highlight:
        text += t("ex.card_field" if result.complete else "ex.card_field_so_far", field=highlight,
                  n=result.bytes_for(highlight), labelled=result.labelled)
    notes = [t("ex.spends", spends=tr(fmt.spends))]
    if fmt.mapping_rule and view == "detailed":
        notes.append(t("ex.mapping", format=fmt.title, rule=tr(fmt.mapping_rule)))
    if not result.complete:
        notes.append(t("ex.page_by_page", last=result.labelled - 1))
    if view == "book figure" and fid in FIGURE_FORMATS:
        whole = {"max_bytes": WHOLE_BOX_BYTES} if figure_first() else {}
        body = [hexview.figure_html(result, highlight=highlight, **whole)]
    elif fmt.is_text:
        body = [hexview.text_html(result, start, end, highlight)]
    else:
        body = [hexview.hex_html(result, start, end, highlight)]
    if view == "detailed":
        if fmt.is_text:
            body.append(hexview.hex_html(result, start, end, highlight))
        body.append(hexview.span_table_html(result, start, end))
    return hexview.card_head_html(text, notes), "".join(body), result


_paged_card = st.fragment(_card)


def results(record_text: str | None, chosen) -> dict:
    """format id -> (bytes the library wrote, schema) or FormatError, for the chosen formats."""
    out, schemas = {}, dict(schemas_tuple())
    for fid in chosen:
        try:
            out[fid] = cache.written(fid, record_text, compare.schema_for(fid, schemas))
        except formats.FormatError as e:
            out[fid] = e
    return out


def schema_errors(results_by_format: dict, derive_errors: dict) -> dict:
    """language -> messages to show under that schema's editor."""
    out = {lang: [] for lang in LANGUAGES}
    out["avdl"] = idl.errors(st.session_state.get("ex.schema.avdl", ""))
    for lang, error in derive_errors.items():
        out[lang].append(t("ex.could_not_derive", error=tr(error.message)))
    for fid, result in results_by_format.items():
        lang = formats.get(fid).schema_language
        if lang and isinstance(result, formats.FormatError):
            message = f"{formats.get(fid).title}: {tr(result.message)}"
            if message not in out[lang]:
                out[lang].append(message)
    return out


def growth_counts(size: int) -> tuple:
    """1, 2, 5, 10 … records, stopping where the total would pass ~4 MB."""
    counts = [n for n in (1, 2, 5, 10, 20, 50, 100, 200) if n * size <= 4_000_000]
    return tuple(counts or [1])


def language_of_errors(errors: dict) -> list[str]:
    return [f"{tr(formats.SCHEMA_LANGUAGES[lang])}: {msgs[0]}" for lang, msgs in errors.items() if msgs]


def schemas_tuple() -> tuple:
    return tuple((lang, st.session_state[f"ex.schema.{lang}"]) for lang in LANGUAGES)

