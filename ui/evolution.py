"""Widgets of the evolution pages: outcome panels, verdict badges, editors for two versions."""
import json
import re

import streamlit as st

import evolution
import formats
from evolution import buf
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from ui import hexview, idl, show
from ui.language import t, tr

STATUS_STYLE = {   # status -> (colour, symbol); its words: status_words
    "compatible": ("#009E73", "✓"),
    "lossy": ("#E69F00", "≈"),
    "incompatible": ("#D55E00", "✗"),
    "n/a": ("#999999", "–"),
}
FORMAT_IDS = evolution.FORMATS


def policy_labels() -> dict:
    """The schemaless reading code's policies in the student's language. A widget's format_func gets a
    dict's `get`, not a function that asks the language: AppTest formats the options again outside the run."""
    return {policy: tr(words) for policy, words in evolution.POLICIES.items()}


def language(format_id: str) -> str | None:
    return LANGUAGE_OF.get(FAMILY_OF_FORMAT[format_id])


def status_words(status: str) -> str:
    """A status explained in the student's language ("lossy: reads, but data is dropped or changed")."""
    return t(f"evolve.status.{'na' if status not in STATUS_STYLE or status == 'n/a' else status}")


def status_name(status: str) -> str:
    """A status in one or two words, as a badge names it."""
    return t(f"evolve.status_name.{'na' if status not in STATUS_STYLE or status == 'n/a' else status}")


def badge_html(status: str, text: str | None = None) -> str:
    colour, symbol = STATUS_STYLE.get(status, STATUS_STYLE["n/a"])
    # white-space normal: a long Russian badge wraps inside a phone's column instead of overflowing it
    return (f"<span style='background:{colour};color:#fff;border-radius:4px;padding:2px 8px;"
            f"font-weight:600;display:inline-block;max-width:100%;margin:2px 4px 2px 0'>"
            f"{symbol} {text or status_words(status)}</span>")


def schema_editor(v: int, lang: str, error: str | None) -> None:
    """Version v's schema; for Avro both its languages, the .avsc and the IDL, kept in step."""
    label = t("evolve.lab.schema", v=v, language=tr(formats.SCHEMA_LANGUAGES[lang]))
    if lang == "avsc":
        avsc_tab, idl_tab = st.tabs([t("evolve.lab.tab_avsc"), t("evolve.lab.tab_avdl")])
        with avsc_tab:
            st.text_area(label, key=f"ev.v{v}", height=260)
        with idl_tab:
            idl.editor(t("evolve.lab.schema", v=v, language=tr(formats.SCHEMA_LANGUAGES["avdl"])), f"ev.v{v}",
                       f"ev.v{v}.avdl")
    else:
        st.text_area(label, key=f"ev.v{v}", height=260)
    if error:
        st.error(t("evolve.lab.schema_error", v=v, error=error), icon="⚠️")


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
        st.info(t("evolve.lab.own_versions", title=tr(change.title)), icon=":material/edit:")
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
    show.html(badge_html(outcome.status, t("evolve.lab.decode", status=status_name(outcome.status)))
              + (badge_html(verdict.status, t("evolve.lab.static", status=status_name(verdict.status))) if verdict else "")
              + (badge_html(verdict.reference, t("evolve.lab.reference", status=status_name(verdict.reference)))
                 if verdict and verdict.reference else ""))
    st.markdown(outcome.error and t("evolve.lab.reader_fails", error=tr(outcome.error)) or tr(outcome.reason))
    written, read = st.columns(2)
    with written:
        st.caption(t("evolve.lab.written"))
        st.json(show.jsonable(outcome.writer_record), expanded=True)
    with read:
        st.caption(t("evolve.lab.read_back"))
        if outcome.read_record is None:
            st.error(t("evolve.lab.no_record"), icon="⚠️")
        else:
            st.json(show.jsonable(outcome.read_record), expanded=True)
    facts = [("defaulted", outcome.defaulted), ("ignored", getattr(outcome, "ignored", [])),
             ("lost", outcome.lost), ("skipped", outcome.skipped)]
    for fact, items in facts:
        if items:
            st.markdown(f"**{t('evolve.lab.fact.' + fact)}:** " + ", ".join(f"`{p}`" for p in items))
    for path, was, now in outcome.changed:
        st.markdown(t("evolve.lab.changed", path=path, was=repr(was), now=repr(now)))
    for note in outcome.notes:
        st.caption(tr(note))
    if verdict and verdict.rules:
        with st.expander(t("evolve.lab.why_static", status=status_name(verdict.status))):
            for finding in verdict.rules:
                st.markdown(f"- **{finding.rule}** — {tr(finding.explanation)}")
    st.markdown(t("evolve.lab.writer_bytes", n=outcome.encoded.size))
    show.html(hexview.hex_html(outcome.encoded, 0, 1024, set(outcome.skipped_spans) or None, per_row=16,
                               ascii_column=False))


def buf_report(format_id: str, ok: dict, verdicts: list) -> None:
    """buf, the reference checker for Protobuf, on the change from v1 to v2, beside the rule table's two
    verdicts; one sentence for each place the two part ways."""
    if FAMILY_OF_FORMAT[format_id] != "protobuf":
        return
    report = buf.breaking(ok[1][1], ok[2][1])
    st.subheader(t("evolve.buf.title"))
    if not report.available or report.problem:
        problem = tr(report.problem)
        st.warning(t("evolve.buf.problem", problem=problem[:1].upper() + problem[1:]), icon="⚠️")
        return
    status = "incompatible" if report.wire else "compatible"
    show.html(badge_html(status, t("evolve.buf.verdict", verdict=tr(report.verdict)))
              + "<span style='font-size:0.85rem;color:#555'><code>buf breaking v2 --against v1</code></span>")
    if report.wire:   # buf's own messages, quoted as buf wrote them
        st.markdown("\n".join(f"- **{f.rule}** — {_quoted(f.message)}" for f in report.wire))
    for sentence in buf.differences(report, verdicts):
        st.markdown(t("evolve.buf.differ", sentence=tr(sentence)))
    note = buf.json_only_note(report)
    if note:
        st.caption(tr(note))


def _quoted(text: str) -> str:
    """Another tool's own words as inline code: markdown's backticks, as many as the text needs."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def read_modify_write(format_id: str, ok: dict) -> None:
    """Figure 4-7 on the versions in the editors: old code reads new data, updates one field, writes it back."""
    st.subheader(t("evolve.rmw.title"))
    (old_record, v1), (new_record, v2) = ok[1], ok[2]
    book = isinstance(old_record.get("favoriteNumber"), int) and not isinstance(old_record["favoriteNumber"], bool)
    try:   # the book's update where v1 has the field; else a change to the first number or text v1 reads
        trip = evolution.round_trip(format_id, v1, v2, new_record, *(("favoriteNumber", 42) if book else ()))
    except formats.FormatError as e:
        st.warning(tr(e.message), icon="⚠️")
        return
    field_name, value = trip.modified
    if not trip.unknown and trip.update_arrived:
        st.caption(t("evolve.rmw.nothing_at_stake", field=field_name,
                     change=tr(evolution.change("add-optional-field").title)))
        return
    names = {fate: ", ".join(f"`{p}`" for p in getattr(trip, fate)) for fate in ("kept", "lost")}
    fates = [t(f"evolve.rmw.{fate}", fields=names[fate]) for fate in ("kept", "lost") if names[fate]]
    outcome = [t("evolve.rmw.of_unknown", fates=t("evolve.rmw.and", first=fates[0], rest=fates[1])
                 if len(fates) == 2 else fates[0])] if fates else []
    if not trip.update_arrived:
        outcome.append(t("evolve.rmw.update_lost_but" if fates else "evolve.rmw.update_lost"))
    st.markdown(t("evolve.rmw.reads", field=field_name, value=repr(value), outcome=", ".join(outcome)))
    before, after = st.columns(2)
    with before:
        st.markdown(t("evolve.rmw.before", n=trip.before.size))
        show.html(hexview.hex_html(trip.before, 0, 1024, set(trip.lost_spans) or
                                   {s for p in trip.unknown for s in trip.before.spans_for(p)}, per_row=16,
                                   ascii_column=False))
    with after:
        st.markdown(t("evolve.rmw.after", n=trip.after.size))
        show.html(hexview.hex_html(trip.after, 0, 1024, per_row=16, ascii_column=False))
        st.caption(t("evolve.rmw.reread"))
        st.json(show.jsonable(trip.reread), expanded=True)
    if trip.update_note:
        st.warning(tr(trip.update_note), icon="⚠️")
    for note in trip.notes:
        st.caption(tr(note))
