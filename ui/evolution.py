"""Widgets of the evolution pages: outcome panels, verdict badges, editors for two versions."""
import json

import streamlit as st

import evolution
import formats
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from ui import hexview, show

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


def load_change(change_id: str, format_id: str) -> None:
    """Fill the editors with the catalogue change's two schemas and two records."""
    change = evolution.change(change_id)
    st.session_state["ev.rec1"] = json.dumps(change.record_v1, indent=2, ensure_ascii=False)
    st.session_state["ev.rec2"] = json.dumps(change.record_v2, indent=2, ensure_ascii=False)
    lang = language(format_id)
    if lang:
        v1, v2 = change.schemas(lang)
        st.session_state["ev.v1"], st.session_state["ev.v2"] = v1, v2 or ""


def reload() -> None:
    load_change(st.session_state["ev.change"], st.session_state["ev.format"])


def checked_inputs(format_id: str) -> tuple[dict, dict]:
    """Parse both versions' records and check each against its own schema.

    Returns ({version: (record, schema_text)}, {editor key: error message}).
    """
    ok, errors = {}, {}
    for v in (1, 2):
        try:
            record = formats.parse_record(st.session_state[f"ev.rec{v}"])
        except formats.FormatError as e:
            errors[f"ev.rec{v}"] = str(e)
            continue
        schema = st.session_state.get(f"ev.v{v}") if language(format_id) else None
        try:
            formats.encode(format_id, record, schema)
        except formats.FormatError as e:
            errors[f"ev.v{v}" if schema is not None else f"ev.rec{v}"] = str(e)
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
            + (badge_html(verdict.status, f"static check: {verdict.status}") if verdict else ""))
    st.markdown(outcome.error and f"**The reader fails:** {outcome.error}" or outcome.reason)
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
        st.caption(note)
    if verdict and verdict.rules:
        with st.expander(f"Why the static check says {verdict.status}"):
            for finding in verdict.rules:
                st.markdown(f"- **{finding.rule}** — {finding.explanation}")
    st.markdown(f"**The writer's {outcome.encoded.size} bytes** (outlined: bytes the reader skipped)")
    st.html(hexview.hex_html(outcome.encoded, 0, 1024, set(outcome.skipped_spans) or None, per_row=16,
                             ascii_column=False))


def read_modify_write(format_id: str, change_id: str) -> None:
    """Figure 4-7: old code reads new data, updates one field, writes it back."""
    st.subheader("Old code updates a record written by new code (figure 4-7)")
    try:
        trip = evolution.read_modify_write(format_id, change_id)
    except formats.FormatError as e:
        st.warning(str(e), icon="⚠️")
        return
    if not trip.unknown:
        st.caption("In this change v2 writes no field that v1 lacks, so nothing is at stake here. Pick "
                   "“Add an optional field with a default” to see a field survive or vanish.")
        return
    field_name, value = trip.modified
    verdict = (f"kept {', '.join(f'`{p}`' for p in trip.kept)}" if trip.kept else "") + \
              (f"lost {', '.join(f'`{p}`' for p in trip.lost)}" if trip.lost else "")
    st.markdown(f"v1 code reads v2's bytes, sets `{field_name}` to `{value!r}` and writes the record back "
                f"with its own schema: **{verdict}**.")
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
        st.json(show.jsonable(trip.reread), expanded=False)
    for note in trip.notes:
        st.caption(note)
