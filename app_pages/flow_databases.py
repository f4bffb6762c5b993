"""Dataflow through databases: rows written by v1, v2, v3 of the code, read by today's code."""
import streamlit as st

from course import questions
from dataflow import databases
from ui import cache, course, flow, flow_plots, hexview, show, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("fl.db.title"))
course.path_nav("flow_databases")
show.html(CSS + flow.CSS)
v = flow.init("db", {"step": flow.any_step}, format="avro", rows=150, months=24, seed=1, mb_per_s=100.0,
              row_ms=0.1, resolve_us=2.0, reads_per_s=1000.0, step=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        fid = st.selectbox(t("fl.format"), flow.FORMATS, key="db.format", format_func=flow.title)
        st.number_input(t("fl.db.rows"), 3, 2000, key="db.rows")
        st.number_input(t("fl.db.months"), 3, 240, key="db.months", help=t("fl.db.months_help"))
        flow.seed_input("db.seed")
    with st.expander(t("fl.db.cost_model")):
        with st.container(horizontal=True):
            st.number_input(t("fl.db.mb_per_s"), 0.1, 10_000.0, key="db.mb_per_s")
            st.number_input(t("fl.db.row_ms"), 0.0, 1000.0, key="db.row_ms", help=t("fl.db.row_ms_help"))
            st.number_input(t("fl.db.resolve_us"), 0.0, 10_000.0, key="db.resolve_us")
            st.number_input(t("fl.db.reads_per_s"), 0.0, 10_000_000.0, key="db.reads_per_s")
    st.caption(t("fl.db.history"))
with idea:
    flow.concept(t("fl.db.concept"))

params = databases.Params(rows=v["rows"], months=v["months"], migrate_mb_per_s=v["mb_per_s"], row_ms=v["row_ms"],
                          resolve_us=v["resolve_us"], reads_per_s=v["reads_per_s"], seed=v["seed"])
run = flow.run_or_explain(flow.database, fid, params)
c, u = run.counters, run.update
flow.metrics([
    (t("fl.db.m.old"), t("fl.of", n=c["old rows"], total=c["rows"]), t("fl.db.m.old_help")),
    (t("fl.db.m.defaulted"), c["filled from defaults"], t("fl.db.m.defaulted_help")),
    (t("fl.db.m.unreadable"), c["read failed"], t("fl.db.m.unreadable_help")),
    (t("fl.db.m.lost"), len(u.get("lost", [])), t("fl.db.m.lost_help")),
    (t("fl.db.m.migration"), flow.duration(c["migration seconds"]), t("fl.db.m.migration_help")),
])
flow.notice(run.notes)

left, right = st.columns(2, gap="medium")
with left:
    flow.timeline("db", run.events, flow_plots.rows_over_time(run.series), "db-rows", unit="month")
with right:
    flow.chart(flow_plots.read_status(run.rows), "db-status")
with widgets.folded(t("fl.db.every_row"), "db.every_row") as open_:
    if open_:
        flow.table(run.rows, height=360)

st.subheader(t("fl.db.update_title"))
if "error" in u:
    st.error(t("fl.db.update_error", row=u["row"], error=tr(u["error"])), icon="⚠️")
else:
    before, after, before_marks, after_marks = flow.rewrite_views(fid, u)
    names = ", ".join(f"`{f}`" for f in u["kept"] or u["lost"])
    verdict = t("fl.db.kept" if u["kept"] else "fl.db.lost" if u["lost"] else "fl.db.nothing", fields=names)
    st.markdown(t("fl.db.update", editor=u["editor_version"], row=u["row"], writer=u["writer_version"],
                  field=u["field"], value=repr(u["value"]), verdict=verdict))
    show.html(hexview.legend_html())
    was, now = st.columns(2, gap="medium")
    with was:
        st.markdown(t("fl.db.before", writer=u["writer_version"], n=before.size, editor=u["editor_version"]))
        show.html(hexview.hex_html(before, 0, 1024, before_marks or None, per_row=8))
        st.json(show.jsonable(u["before_record"]), expanded=True)
    with now:
        st.markdown(t("fl.db.after_kept" if after_marks else "fl.db.after", editor=u["editor_version"], n=after.size))
        show.html(hexview.hex_html(after, 0, 1024, after_marks or None, per_row=8))
        st.json(show.jsonable(u["after_record"]), expanded=True)
    st.caption(t("fl.db.tap"))

st.subheader(t("fl.db.migrate_title"))
costs, numbers = st.columns(2, gap="medium")
with costs:
    flow.chart(flow_plots.migration_costs(run.costs), "db-costs")
with numbers:
    flow.table(flow.cost_rows(run.costs), height=320)
    st.caption(t("fl.db.migrate_caption"))

st.subheader(t("fl.db.dump_title"))
if run.archive:
    dump, schema = st.columns([1, 2], gap="medium")
    with dump:
        st.markdown(t("fl.db.dump", n=len(run.archive), rows=c["rows"] - c["read failed"]))
        st.download_button(t("fl.db.download"), run.archive, file_name="people.avro",
                           mime="application/octet-stream", on_click="ignore", icon=":material/download:")
        st.code(flow.embedded_schema(run.archive), language="json", height=320)
        st.caption(t("fl.db.schema_caption"))
    with schema:
        container = cache.annotate("avro-container", run.archive, None)
        st.markdown(t("fl.db.file_bytes"))
        show.html(hexview.hex_html(container, *widgets.byte_window(container.size, "db.dump_page", 256), per_row=16))
else:
    st.caption(t("fl.db.no_dump", why=" ".join(tr(n) for n in run.notes if getattr(n, "key", "") in (
        "df.db.no_archive", "df.db.archive_failed"))))
course.footer("flow_databases", questions.database(fid, params))
