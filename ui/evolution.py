"""Widgets of the evolution pages: outcome panels, verdict badges, editors for two versions."""
import json

import streamlit as st

import evolution
import formats
from evolution import buf
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from ui import hexview, idl, show
from ui.language import tr

STATUS_STYLE = {   # status -> (colour, symbol, words)
    "compatible": ("#009E73", "✓", "compatible"),
    "lossy": ("#E69F00", "≈", "lossy: reads, but data is dropped or changed"),
    "incompatible": ("#D55E00", "✗", "incompatible: the reader fails"),
    "n/a": ("#999999", "–", "does not apply"),
}
FORMAT_IDS = evolution.FORMATS


def language(format_id: str) -> str | None:
    return LANGUAGE_OF.get(FAMILY_OF_FORMAT[format_id])


def badge_html(status: str, text: str | None = None) -> str:
    colour, symbol, words = STATUS_STYLE.get(status, STATUS_STYLE["n/a"])
    return (f"<span style='background:{colour};color:#fff;border-radius:4px;padding:2px 8px;"
            f"font-weight:600;display:inline-block;white-space:nowrap;margin:2px 4px 2px 0'>"
            f"{symbol} {text or words}</span>")


def schema_editor(v: int, lang: str, error: str | None) -> None:
    """Version v's schema; for Avro both its languages, the .avsc and the IDL, kept in step."""
    label = f"v{v} schema ({formats.SCHEMA_LANGUAGES[lang]})"
    if lang == "avsc":
        avsc_tab, idl_tab = st.tabs([".avsc", ".avdl"])
        with avsc_tab:
            st.text_area(label, key=f"ev.v{v}", height=260)
        with idl_tab:
            idl.editor(f"v{v} schema ({formats.SCHEMA_LANGUAGES['avdl']})", f"ev.v{v}", f"ev.v{v}.avdl")
    else:
        st.text_area(label, key=f"ev.v{v}", height=260)
    if error:
        st.error(f"v{v} schema: {error}", icon="⚠️")


def catalogued(values: dict) -> dict:
    """The editors' contents for a catalogue change in a format (`values` names both): its two
    records and, in a format with a schema language, its two schemas."""
    change = evolution.change(values["change"])
    out = {"rec1": json.dumps(change.record_v1, indent=2, ensure_ascii=False),
           "rec2": json.dumps(change.record_v2, indent=2, ensure_ascii=False)}
    lang = language(values["format"])
    if lang:
        v1, v2 = change.schemas(lang)
        out.update(v1=v1, v2=v2 or "")
    return out


def derived(values: dict) -> dict:
    """What the lab's link leaves out: the catalogue's versions while unedited, and the Avro IDL (it
    follows the .avsc)."""
    return catalogued(values) | {name: values[name] for name in ("v1.avdl", "v2.avdl")}


def reload() -> None:
    """Fill the editors with the chosen change as catalogued (a callback: the editors are drawn later)."""
    ss = st.session_state
    ss.update({f"ev.{name}": text for name, text in catalogued({"change": ss["ev.change"],
                                                                 "format": ss["ev.format"]}).items()})


def edited(change, format_id: str) -> bool:
    """Do the editors hold anything but the catalogue change's two versions?"""
    lang = language(format_id)
    if lang and (st.session_state.get("ev.v1"), st.session_state.get("ev.v2") or None) != change.schemas(lang):
        return True
    for v in (1, 2):
        try:
            if json.loads(st.session_state.get(f"ev.rec{v}", "")) != change.record(v):
                return True
        except ValueError:
            return True
    return False


def explain_change(change, format_id: str) -> None:
    """The catalogue's lesson for the change, or, once the versions are the student's own, a word that
    everything below follows them instead."""
    family = FAMILY_OF_FORMAT[format_id]
    if change.applies(family) and edited(change, format_id):
        st.info(f"**Your own v1 and v2** (edited from “{tr(change.title)}”). The catalogue's explanation no longer "
                f"applies: every verdict, byte and read below comes from the versions in the editors. "
                f"“Reset both versions” brings the catalogue's back.", icon=":material/edit:")
        return
    st.info(f"**{tr(change.title)}.** {tr(change.summary)}\n\n{tr(change.explain(family))}", icon=":material/school:")


def checked_inputs(format_id: str) -> tuple[dict, dict]:
    """Parse both versions' records and check each against its own schema.

    Returns ({version: (record, schema_text)}, {editor key: error message}).
    """
    ok, errors = {}, {}
    for v in (1, 2):
        try:
            record = formats.parse_record(st.session_state[f"ev.rec{v}"])
        except formats.FormatError as e:
            errors[f"ev.rec{v}"] = tr(e.message)
            continue
        schema = st.session_state.get(f"ev.v{v}") if language(format_id) else None
        try:
            formats.encode(format_id, record, schema)
        except formats.FormatError as e:
            errors[f"ev.v{v}" if schema is not None else f"ev.rec{v}"] = tr(e.message)
            continue
        ok[v] = (record, schema)
    return ok, errors


def read_both_ways(format_id: str, change, ok: dict, writer: int, reader: int):
    """The empirical outcome (real write, real read) and, for schema formats, the static verdict."""
    record, writer_schema = ok[writer]
    reader_schema = ok[reader][1]
    direction = "backward" if writer == 1 else "forward"
    if language(format_id):
        outcome = evolution.read_across(format_id, record, writer_schema, reader_schema, direction=direction)
        return outcome, evolution.static_verdict(format_id, writer_schema, reader_schema,
                                                 newer=evolution.NEWER[direction])
    avsc = change.schemas("avsc")[reader - 1] or change.schemas("avsc")[0]
    code = evolution.SchemalessReader.expecting(ok[reader][0], evolution.catalogue.optional_fields(avsc),
                                                st.session_state["ev.policy"])
    return evolution.read_across(format_id, record, None, None, reader=code, direction=direction), None


def outcome_panel(outcome, verdict) -> None:
    """One direction: the verdicts, the record as written and as read, the writer's bytes."""
    st.html(badge_html(outcome.status, f"decode: {outcome.status}")
            + (badge_html(verdict.status, f"static check: {verdict.status}") if verdict else "")
            + (badge_html(verdict.reference, f"apache avro checker: {verdict.reference}")
               if verdict and verdict.reference else ""))
    st.markdown(outcome.error and f"**The reader fails:** {tr(outcome.error)}" or tr(outcome.reason))
    written, read = st.columns(2)
    with written:
        st.caption("Written")
        st.json(show.jsonable(outcome.writer_record), expanded=True)
    with read:
        st.caption("Read back")
        if outcome.read_record is None:
            st.error("No record: the reader refused the data.", icon="⚠️")
        else:
            st.json(show.jsonable(outcome.read_record), expanded=True)
    facts = [("Filled from the reader's defaults", outcome.defaulted),
             ("Ignored: the reader has no such field", getattr(outcome, "ignored", [])),
             ("Lost: the reader has the field but not the value", outcome.lost),
             ("Skipped bytes", outcome.skipped)]
    for title, items in facts:
        if items:
            st.markdown(f"**{title}:** " + ", ".join(f"`{p}`" for p in items))
    for path, was, now in outcome.changed:
        st.markdown(f"**Changed in transit:** `{path}` written as `{was!r}`, read as `{now!r}`")
    for note in outcome.notes:
        st.caption(tr(note))
    if verdict and verdict.rules:
        with st.expander(f"Why the static check says {verdict.status}"):
            for finding in verdict.rules:
                st.markdown(f"- **{finding.rule}** — {tr(finding.explanation)}")
    st.markdown(f"**The writer's {outcome.encoded.size} bytes** (outlined: bytes the reader skipped)")
    st.html(hexview.hex_html(outcome.encoded, 0, 1024, set(outcome.skipped_spans) or None, per_row=16,
                             ascii_column=False))


def buf_report(format_id: str, ok: dict, verdicts: list) -> None:
    """buf, the reference checker for Protobuf, on the change from v1 to v2, beside the rule table's two
    verdicts; one sentence for each place the two part ways."""
    if FAMILY_OF_FORMAT[format_id] != "protobuf":
        return
    report = buf.breaking(ok[1][1], ok[2][1])
    st.subheader("The reference checker: buf breaking (categories WIRE and WIRE_JSON)")
    if not report.available or report.problem:
        st.warning(f"{report.problem[0].upper()}{report.problem[1:]}. The static checks above come from the "
                   f"lab's rule table alone.", icon="⚠️")
        return
    status = "incompatible" if report.wire else "compatible"
    st.html(badge_html(status, f"buf: {report.verdict} on the wire")
            + "<span style='font-size:0.85rem;color:#555'>buf breaking v2 --against v1</span>")
    if report.wire:
        st.markdown("\n".join(f"- **{f.rule}** — {f.message}" for f in report.wire))
    for sentence in buf.differences(report, verdicts):
        st.markdown(f"**Where buf and the rule table differ.** {sentence}")
    note = buf.json_only_note(report)
    if note:
        st.caption(note)


def read_modify_write(format_id: str, ok: dict) -> None:
    """Figure 4-7 on the versions in the editors: old code reads new data, updates one field, writes it back."""
    st.subheader("Old code updates a record written by new code (figure 4-7)")
    (old_record, v1), (new_record, v2) = ok[1], ok[2]
    book = isinstance(old_record.get("favoriteNumber"), int) and not isinstance(old_record["favoriteNumber"], bool)
    try:   # the book's update where v1 has the field; else a change to the first number or text v1 reads
        trip = evolution.round_trip(format_id, v1, v2, new_record, *(("favoriteNumber", 42) if book else ()))
    except formats.FormatError as e:
        st.warning(str(e), icon="⚠️")
        return
    field_name, value = trip.modified
    if not trip.unknown and trip.update_arrived:
        st.caption(f"v2 writes no field that v1 lacks, and v1's update of `{field_name}` reaches v2: nothing is "
                   f"at stake here. Pick “Add an optional field with a default” to see a field survive or vanish.")
        return
    fates = ([f"**kept** {', '.join(f'`{p}`' for p in trip.kept)}"] if trip.kept else []) + \
            ([f"**lost** {', '.join(f'`{p}`' for p in trip.lost)}"] if trip.lost else [])
    of_unknown = f"{' and '.join(fates)} (what v1 does not know)" if fates else ""
    update = "" if trip.update_arrived else ("but " if fates else "") + "**v1's own update is lost**"
    st.markdown(f"v1 code reads v2's bytes, sets `{field_name}` to `{value!r}` and writes the record back "
                f"with its own schema: {', '.join(p for p in (of_unknown, update) if p)}.")
    before, after = st.columns(2)
    with before:
        st.markdown(f"**Before: v2 wrote {trip.before.size} bytes** (outlined: the field v1 does not know)")
        st.html(hexview.hex_html(trip.before, 0, 1024, set(trip.lost_spans) or
                                 {s for p in trip.unknown for s in trip.before.spans_for(p)}, per_row=16,
                                 ascii_column=False))
    with after:
        st.markdown(f"**After: v1 wrote {trip.after.size} bytes**")
        st.html(hexview.hex_html(trip.after, 0, 1024, per_row=16, ascii_column=False))
        st.caption("Read again by v2 code:")
        st.json(show.jsonable(trip.reread), expanded=True)
    if trip.update_note:
        st.warning(trip.update_note, icon="⚠️")
    for note in trip.notes:
        st.caption(note)
