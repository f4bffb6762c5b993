"""The path through the chapter: each step names what to read, one thing to do, what to notice, and the
exact view (a page and the settings it opens with) that a deep link restores.

The two editions order the dataflow half differently: the first edition's chapter 4 goes databases,
services, message passing (brokers, then actors); the second edition's chapter 5 adds durable execution
after services, and event-driven architectures (brokers, actors, events in a log) after it.
"""
from dataclasses import dataclass, field

EDITIONS = {"first": 4, "second": 5}   # edition -> the chapter's number in it


@dataclass(frozen=True)
class Step:
    id: str
    page: str                          # app_pages/<page>.py
    view: dict = field(default_factory=dict)   # session keys the page opens with: {"ev.change": "…"}
    section: str = "formats"           # the book's section (course.section.<section>)

    @property
    def keys(self) -> dict:
        """Catalogue keys of this step's texts."""
        return {part: f"course.step.{self.id}.{part}" for part in ("title", "do", "notice")}


STEPS = {s.id: s for s in (
    Step("sizes", "overview", section="binary"),
    Step("msgpack", "explorer", {"ex.formats": ["json", "msgpack"], "ex.view": "book figure", "ex.field": "userName"},
         "binary"),
    Step("thrift", "explorer", {"ex.formats": ["thrift-binary", "thrift-compact"], "ex.view": "book figure",
                                "ex.field": "favoriteNumber"}, "thrift"),
    Step("protobuf", "explorer", {"ex.formats": ["protobuf"], "ex.view": "book figure", "ex.field": "interests"},
         "thrift"),
    Step("avro", "explorer", {"ex.formats": ["avro", "protobuf"], "ex.view": "book figure", "ex.field": "favoriteNumber"},
         "avro"),
    Step("decode", "decode", section="avro"),
    Step("add-field", "evolution_lab", {"ev.change": "add-optional-field", "ev.format": "avro"}, "schemas"),
    Step("required", "evolution_lab", {"ev.change": "add-required-field", "ev.format": "protobuf"}, "thrift"),
    Step("matrix", "matrix", section="schemas"),
    Step("registry", "registry", section="schemas"),
    Step("rolling", "flow_upgrade", section="dataflow"),
    Step("databases", "flow_databases", section="databases"),
    Step("services", "flow_services", section="services"),
    Step("durable", "flow_durable", section="durable"),
    Step("messaging", "flow_messaging", section="messaging"),
    Step("actors", "flow_actors", section="actors"),
    Step("events", "flow_events", section="events"),
    # the lecture's own steps: one book figure at a time, with all its bytes (one format, one card a row),
    # and the simulations from their first event, to step through on the timeline
    *(Step(f"fig-4-{n}", "explorer", {"ex.formats": [fid], "ex.view": "book figure", "ex.columns": 1}, section)
      for n, fid, section in ((1, "msgpack", "binary"), (2, "thrift-binary", "thrift"), (3, "thrift-compact", "thrift"),
                              (4, "protobuf", "thrift"), (5, "avro", "avro"))),
    Step("fig-4-6", "evolution_lab", {"ev.change": "add-optional-field", "ev.format": "avro"}, "avro"),
    Step("lecture-rolling", "flow_upgrade", {"up.strategy": "rolling", "up.step": 1}, "dataflow"),
    Step("fig-4-7", "flow_databases", {"db.format": "avro", "db.step": 1}, "databases"),
    Step("lecture-services", "flow_services", {"sv.step": 1}, "services"),
    Step("lecture-broker", "flow_messaging", {"mq.scenario": "outage", "mq.step": 1}, "messaging"),
)}

ORDER = {
    "first": ("sizes", "msgpack", "thrift", "protobuf", "avro", "decode", "add-field", "required", "matrix",
              "registry", "rolling", "databases", "services", "messaging", "actors"),
    "second": ("sizes", "msgpack", "thrift", "protobuf", "avro", "decode", "add-field", "required", "matrix",
               "registry", "rolling", "databases", "services", "durable", "messaging", "actors", "events"),
    # lecture mode's presenter sequence (ui/lecture.py): the book's figures in its numbering (first edition),
    # then the dataflow stories
    "lecture": ("sizes", "fig-4-1", "fig-4-2", "fig-4-3", "fig-4-4", "fig-4-5", "fig-4-6", "required",
                "lecture-rolling", "fig-4-7", "lecture-services", "lecture-broker"),
}


def steps(edition: str) -> list[Step]:
    return [STEPS[i] for i in ORDER[edition]]


def neighbours(edition: str, step_id: str) -> tuple[Step | None, Step | None]:
    order = ORDER[edition]
    i = order.index(step_id)
    return (STEPS[order[i - 1]] if i else None), (STEPS[order[i + 1]] if i + 1 < len(order) else None)


def step_for(edition: str, page: str, current: str | None) -> Step | None:
    """The step a page is on: the current one if it is on this page, else the page's first."""
    on_page = [s for s in steps(edition) if s.page == page]
    return next((s for s in on_page if s.id == current), on_page[0] if on_page else None)
