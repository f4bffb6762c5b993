"""Dataflow through databases: rows written by v1, v2, v3 of the code, read by today's code."""
import streamlit as st

from course import questions
from dataflow import databases
from ui import cache, course, flow, flow_plots, hexview, show, widgets
from ui.theme import CSS

st.title("Dataflow through databases")
course.path_nav("flow_databases")
st.html(CSS + flow.CSS)
v = flow.init("db", format="avro", rows=150, months=24, seed=1, mb_per_s=100.0, row_ms=0.1, resolve_us=2.0,
              reads_per_s=1000.0)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        fid = st.selectbox("Format", flow.FORMATS, key="db.format", format_func=flow.title)
        st.number_input("Rows", 3, 2000, key="db.rows")
        st.number_input("Months", 3, 240, key="db.months", help="v1, v2 and v3 each ran for a third of them")
        st.number_input("Seed", 0, 2 ** 32, key="db.seed")
    with st.expander("Cost model: migration versus resolution on read"):
        with st.container(horizontal=True):
            st.number_input("Disk throughput (MB/s)", 0.1, 10_000.0, key="db.mb_per_s")
            st.number_input("Per row rewritten (ms)", 0.0, 1000.0, key="db.row_ms",
                            help="Transaction log, index updates")
            st.number_input("Resolution per old-row read (µs)", 0.0, 10_000.0, key="db.resolve_us")
            st.number_input("Reads per second", 0.0, 10_000_000.0, key="db.reads_per_s")
    st.caption("The table's history: v1 writes userName and favoriteNumber, v2 adds interests, v3 adds email.")
with idea:
    flow.concept(
        "A database stores a message to your future self, and **data outlives code**: rows written years ago by "
        "v1 are still there when v3 runs. Today's code reads them as they are (Avro by **schema resolution**, "
        "Protobuf and Thrift by field tag; missing fields take their defaults) instead of rewriting every row: a **migration** is possible, but its cost grows "
        "with the table. And an old process still running can read a new row, change it and write it back: "
        "will the fields it does not know survive?")

params = databases.Params(rows=v["rows"], months=v["months"], migrate_mb_per_s=v["mb_per_s"], row_ms=v["row_ms"],
                          resolve_us=v["resolve_us"], reads_per_s=v["reads_per_s"], seed=v["seed"])
run = flow.run_or_explain(flow.database, fid, params)
c, u = run.counters, run.update
flow.metrics([
    ("Old rows", f"{c['old rows']:,} of {c['rows']:,}", "Rows written by older code than today's"),
    ("Defaulted", c["filled from defaults"], "Rows missing fields that today's schema has: filled from "
     "its defaults"),
    ("Unreadable", c["read failed"], "Rows today's code cannot read"),
    ("Lost in update", len(u.get("lost", [])), "Fields lost when v1 code read, changed and rewrote a v3 row"),
    ("Migration", flow.duration(c["migration seconds"]), "Rewriting every old row of this table with today's "
     "schema"),
])
flow.notice(run.notes)

left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.rows_over_time(run.series), "db-rows")
with right:
    flow.chart(flow_plots.read_status(run.rows), "db-status")
with st.expander("Every row: who wrote it and how today's code read it"):
    flow.table(run.rows, height=360)

st.subheader("Old code updates a row new code wrote")
if "error" in u:
    st.error(f"Old code could not read row {u['row']}: {u['error']}", icon="⚠️")
else:
    before, after, before_marks, after_marks = flow.rewrite_views(fid, u)
    verdict = ("kept " + ", ".join(f"`{f}`" for f in u["kept"]) if u["kept"] else
               "lost " + ", ".join(f"`{f}`" for f in u["lost"]) if u["lost"] else "nothing at stake")
    st.markdown(f"v{u['editor_version']} code reads row {u['row']} (written by v{u['writer_version']}), sets "
                f"`{u['field']}` to `{u['value']!r}` and writes the row back: **{verdict}**.")
    st.html(hexview.legend_html())
    was, now = st.columns(2, gap="medium")
    with was:
        st.markdown(f"**Before: v{u['writer_version']} wrote {before.size} bytes** (outlined: fields "
                    f"v{u['editor_version']} does not know)")
        st.html(hexview.hex_html(before, 0, 1024, before_marks or None, per_row=8))
        st.json(show.jsonable(u["before_record"]), expanded=True)
    with now:
        st.markdown(f"**After: v{u['editor_version']} wrote {after.size} bytes**"
                    + (" (outlined: the unknown fields, kept)" if after_marks else ""))
        st.html(hexview.hex_html(after, 0, 1024, after_marks or None, per_row=8))
        st.json(show.jsonable(u["after_record"]), expanded=True)
    st.caption("Tap or hover a byte for what it is. Each side is labelled with its own writer's schema; below each, "
               "the row as today's code reads it.")

st.subheader("Migrate every row, or resolve on read?")
costs, numbers = st.columns(2, gap="medium")
with costs:
    flow.chart(flow_plots.migration_costs(run.costs), "db-costs")
with numbers:
    flow.table(flow.cost_rows(run.costs), height=320)
    st.caption("A migration is paid once but grows with the table; resolution costs the same every day "
               "whatever the table's size, and no row is ever rewritten.")

st.subheader("The archive dump")
if run.archive:
    dump, schema = st.columns([1, 2], gap="medium")
    with dump:
        st.markdown(f"Every row re-encoded with the v3 schema in one **Avro object container file**: "
                    f"**{len(run.archive):,} bytes** for {c['rows'] - c['read failed']:,} rows, and the writer "
                    f"schema travels in the file's header, so any Avro reader can open it without this code.")
        st.download_button("Download the dump (.avro)", run.archive, file_name="people.avro",
                           mime="application/octet-stream", on_click="ignore", icon=":material/download:")
        st.code(flow.embedded_schema(run.archive), language="json", height=320)
        st.caption("The writer schema, as the Avro library reads it back from the file's header.")
    with schema:
        container = cache.annotate("avro-container", run.archive, None)
        st.markdown("**The file's bytes**: header (magic, metadata with the schema, sync marker), then the rows")
        st.html(hexview.hex_html(container, *widgets.byte_window(container.size, "db.dump_page", 256), per_row=16))
else:
    st.caption("No dump for this run: " + " ".join(n for n in run.notes if "archive" in n.lower()))
course.footer("flow_databases", questions.database(fid, params))
