"""The rule table behind every static verdict, and the rules for the tag-based formats.

Protobuf and Thrift identify a field by its tag, so a writer's schema and a reader's
schema are compared tag by tag: is the tag known to both, do the two sides agree on
how its value travels (wire type, Thrift type id), can the reader's type hold every
value the writer's type can, and does the reader require anything the writer may leave
out. Each finding names a rule from RULES; a rule's status says what it does to the
data: "compatible" (every value the reader has a field for arrives; a field the reader
has no field for at all is ignored, which is what forward compatibility asks of old
code), "lossy" (the decode succeeds but a value the reader has a field for is dropped
or changed) or "incompatible" (some data this writer may produce breaks the reader).
The same rule classifies real reads (evolution.resolve.CLASSIFICATION). Like Avro's
reference checker, a rule judges every record the writer's schema allows, not one
record.

What the libraries do was measured here (python protobuf 7 on upb, thriftpy2 0.7):
protobuf files a field with an unexpected wire type under unknown fields and leaves
the reader's field unset; it keeps the low 32 bits of a 64-bit varint read as int32;
a singular field given several values keeps the last; a repeated field given one
value reads a one-element list (packed or not); proto2 enums are closed (an unknown
number becomes an unknown field), proto3 and editions enums are open (the number is
kept); a string field refuses bytes that are not UTF-8 when its resolved features say so
(proto3 and editions by default; formats.facts.protobuf.checks_utf8 decides, for the walk and
for these rules alike). thriftpy2 skips a field whose type id differs from its schema's
(string and binary share one; a string that is not UTF-8 comes back as bytes), reads an
enum as a bare i32 without checking it (so do C++ and Python; Java's generated code maps
a value it does not know to null), and checks no `required` field, on read or write (the
formats' readers refuse a missing required field, as C++ and Java readers do); its
compact reader does not check a list's element type: i16, i32 and i64 items are all
zigzag varints and read into each other, any other pair misreads the items, so the
formats' reader refuses those bytes.

Values keep their identity as they travel (see evolution.resolve.CLASSIFICATION): an
enum value is its number, true is 1, an embedded message is the bytes that encode it.
A reader that gets the same number, the same bits, the same bytes loses nothing.
"""
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from thriftpy2.thrift import TType

from formats.errors import FormatError
from formats.facts.protobuf import NAMES as PROTO_NAMES
from formats.facts.protobuf import VARINT_RANGES, WIRE_NAMES, WIRE_TYPE_OF, checks_utf8
from formats.facts.thrift import INT_BITS, ZIGZAG_INTS, on_wire
from formats.facts.thrift import NAMES as THRIFT_NAMES
from formats.record import MAX_DEPTH
from i18n import Text, chain

COMPATIBLE, LOSSY, INCOMPATIBLE = "compatible", "lossy", "incompatible"
STATUSES = (COMPATIBLE, LOSSY, INCOMPATIBLE)   # mildest first


def worst(statuses) -> str:
    return max(statuses, key=STATUSES.index, default=COMPATIBLE)


@dataclass(frozen=True)
class Rule:
    name: str
    status: str
    summary: str


RULES: dict[str, Rule] = {r.name: r for r in (
    # any family
    Rule("field-skipped", COMPATIBLE,
         "The writer writes a field the reader's schema has no field for at all: the reader passes over its "
         "bytes and ignores it, as forward compatibility asks of old code. Nothing the reader knows is lost; "
         "the field is lost only if the reader writes the record back (read-modify-write), unless its library "
         "keeps unknown fields (python protobuf does; thriftpy2 and Avro readers do not)."),
    Rule("field-defaulted", COMPATIBLE,
         "The reader's schema has a field the writer's does not: the reader fills in its default."),
    Rule("enum-value-added", COMPATIBLE,
         "The reader's enum knows symbols the writer never sends."),
    Rule("enum-value-unknown", LOSSY,
         "The writer may send an enum value the reader's enum lacks, and the reader does not keep it: a "
         "closed enum (proto2) files it as an unknown field and the field reads as unset; Java's Thrift code "
         "reads null (thriftpy2, C++ and Python keep the bare number)."),
    Rule("enum-number-kept", COMPATIBLE,
         "The writer may send an enum value the reader's enum lacks, and the reader's enum is open (proto3, "
         "editions): it keeps the number, and writes it back unchanged. Nothing is lost; the reader's code "
         "just has no name for it."),
    # Protobuf and Thrift: fields are tags
    Rule("required-missing", INCOMPATIBLE,
         "The reader requires a field the writer's schema does not have: no data from this writer has it."),
    Rule("required-not-guaranteed", INCOMPATIBLE,
         "The reader requires a field the writer may leave out: data without it breaks the reader."),
    Rule("required-relaxed", COMPATIBLE,
         "Required for the writer, optional for the reader: the value is always there."),
    Rule("renamed", COMPATIBLE,
         "Same tag, new name: field names never travel in Protobuf or Thrift bytes."),
    Rule("tag-changed", LOSSY,
         "The same field (by name) under a different tag: on the wire the tag is the field's identity, so the "
         "reader skips the value under the writer's tag and its own field of that name never receives it."),
    Rule("tag-reused", LOSSY,
         "One tag, two different fields: the reader takes the writer's value for a field that means "
         "something else."),
    Rule("tag-not-reserved", COMPATIBLE,
         "A field was removed and its tag is not `reserved`: these two versions read each other, but nothing "
         "stops a later version from giving the tag to another field (tag-reused). Protobuf's rule: reserve "
         "the numbers (and names) of deleted fields (buf: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED)."),
    Rule("enum-value-renamed", COMPATIBLE,
         "Enums travel as numbers: the reader shows its own name for the same number."),
    Rule("enum-to-int", COMPATIBLE,
         "An enum read as an integer: an enum travels as its number, and the number arrives (the protobuf "
         "docs list enum as wire-compatible with int32, uint32, int64 and uint64)."),
    Rule("bool-to-int", COMPATIBLE,
         "A bool read as an integer: a bool travels as the varint 0 or 1, and that number arrives (the "
         "protobuf docs list bool as compatible with int32, uint32, int64 and uint64)."),
    Rule("int-to-enum", LOSSY,
         "An integer read into an enum that does not keep numbers it lacks (a closed proto2 enum files them "
         "as unknown fields; Java's Thrift code reads null)."),
    Rule("int-to-open-enum", COMPATIBLE,
         "An int32 read into an open enum (proto3, editions): every number is kept, named or not."),
    # Protobuf
    Rule("varint-widened", COMPATIBLE,
         "Both are varints (wire type 0) and every value of the writer's type fits the reader's."),
    Rule("varint-narrowed", LOSSY,
         "Both are varints (wire type 0) but the reader's type holds fewer values: the parser keeps the low "
         "bits or flips the sign, silently."),
    Rule("zigzag-mismatch", LOSSY,
         "Both are varints, but only one side zigzag-encodes (sint32, sint64): every value reads as a "
         "different number."),
    Rule("fixed-reinterpreted", LOSSY,
         "The same fixed number of bytes read as another kind of number (signed, unsigned or floating "
         "point): the same bits mean a different value."),
    Rule("string-bytes", COMPATIBLE,
         "Both are a length, then bytes (wire type 2); text is UTF-8 bytes."),
    Rule("bytes-to-checked-string", INCOMPATIBLE,
         "Bytes read as a string whose reader checks UTF-8 (protobuf when the field's resolved features say "
         "utf8_validation VERIFY: proto3 and editions by default; fastavro and Python's avro always): bytes "
         "that are not valid UTF-8 make the whole read fail. The protobuf docs call string and bytes "
         "compatible as long as the bytes are valid UTF-8; the Avro spec promotes bytes to string, and a "
         "string is UTF-8 text."),
    Rule("message-as-bytes", COMPATIBLE,
         "An embedded message read as bytes (or as a string that is not checked): the bytes are the message's "
         "encoding, which code can parse again (the protobuf docs: embedded messages are compatible with "
         "bytes if the bytes contain an encoded message)."),
    Rule("wire-type-mismatch", LOSSY,
         "The reader expects another wire type for this tag: python protobuf files the field under unknown "
         "fields and leaves the reader's field unset."),
    Rule("message-mismatch", INCOMPATIBLE,
         "Text or bytes read as an embedded message (both wire type 2): the reader parses the bytes as a "
         "message, which fails unless they happen to be one."),
    Rule("singular-to-repeated", COMPATIBLE,
         "A repeated field accepts a lone value (the tag written once): it reads as a one-element list."),
    Rule("repeated-to-singular", LOSSY,
         "Several values under one tag read into a single field: the last one wins (embedded messages are "
         "merged)."),
    Rule("oneof-merged", LOSSY,
         "Fields the writer may set together share one oneof in the reader: a oneof holds one field, so the "
         "reader keeps the last one written and clears the others (the protobuf docs: moving fields into a "
         "new oneof is safe only if no code sets more than one at a time; into an existing oneof, never; "
         "buf: FIELD_SAME_ONEOF)."),
    # Thrift
    Rule("type-id-mismatch", LOSSY,
         "The type id next to the tag is not the one the reader's schema expects: thriftpy2 skips the value, "
         "as for an unknown field."),
    Rule("string-binary", COMPATIBLE,
         "string and binary share one type id on the wire (a length, then bytes)."),
    Rule("element-type-mismatch", LOSSY,
         "A list, set or map whose element type differs from the reader's: thriftpy2 skips the elements."),
    Rule("compact-element-misread", INCOMPATIBLE,
         "A list or set whose element type differs from the reader's, in the compact protocol: thriftpy2's "
         "compact reader does not check the element type and misreads the bytes, so they are refused."),
    Rule("compact-int-items", COMPATIBLE,
         "A list or set of i16, i32 or i64 read as a wider one of these, in the compact protocol: all three "
         "are written as zigzag varints, so every item reads back as the same number."),
    Rule("compact-int-items-narrowed", LOSSY,
         "A list or set of integers read as a narrower integer type, in the compact protocol: the zigzag "
         "varints parse, but a value beyond the reader's type is cut to its low bits by C++ and Java "
         "(thriftpy2 keeps the Python int)."),
    # Avro: the reference checker's incompatibility types, then what resolution does to the data
    Rule("reader-field-missing-default", INCOMPATIBLE,
         "The reader's field is not in the writer's schema (not even under an alias) and has no default."),
    Rule("type-mismatch", INCOMPATIBLE,
         "Avro's resolution rules have no way from the writer's type to the reader's."),
    Rule("missing-enum-symbols", INCOMPATIBLE,
         "The writer's enum has symbols the reader's lacks, and the reader's enum has no default symbol."),
    Rule("missing-union-branch", INCOMPATIBLE,
         "The writer may write a union branch the reader cannot resolve."),
    Rule("name-mismatch", INCOMPATIBLE,
         "A named type (record, enum, fixed) has another name and no alias for the writer's."),
    Rule("fixed-size-mismatch", INCOMPATIBLE,
         "A fixed type has a different size."),
    Rule("type-promoted", COMPATIBLE,
         "The writer's type is promoted to the reader's by Avro's resolution rules (int to long or double; "
         "float to double; string to bytes; a value into a union) and every value keeps its exact value."),
    Rule("promotion-rounds", LOSSY,
         "A promotion the Avro spec allows that cannot hold every value exactly: int to float, long to float "
         "or double. A long beyond 2^53 (an int beyond 2^24, for a 32-bit float) arrives rounded, silently, "
         "as Protobuf's narrowing does (varint-narrowed)."),
    Rule("alias-match", COMPATIBLE,
         "The reader's field matches the writer's under an alias of the reader's schema."),
    Rule("enum-default-fill", LOSSY,
         "The writer may send symbols the reader's enum lacks: the reader substitutes its enum's default."),
)}


class Finding(NamedTuple):
    """One reason in a verdict: a rule's name, and what it means for these two schemas."""
    rule: str
    explanation: str

    @property
    def status(self) -> str:
        return RULES[self.rule].status


# --- one field as the tag-based formats see it ---

@dataclass(frozen=True)
class TagField:
    tag: int
    name: str                 # as declared in the schema
    key: str                  # as it appears in a record (protobuf's JSON name)
    type: str                 # readable: "int64", "list<i64>", "enum Status"
    required: bool
    repeated: bool
    raw: Any                  # the library's description: a FieldDescriptor, or a thrift_spec item


class TagFields(dict):
    """A message's or struct's fields by tag, and `container`: the message descriptor (Protobuf) or the
    struct class (Thrift) they belong to."""

    def __init__(self, fields: dict[int, TagField], container):
        super().__init__(fields)
        self.container = container


# Protobuf

def _proto_kind(descriptor) -> str:
    return PROTO_NAMES[descriptor.type]


def proto_fields(message_descriptor) -> TagFields:
    out = {}
    for f in message_descriptor.fields:
        kind = _proto_kind(f)
        readable = (f"enum {f.enum_type.name}" if kind == "enum"
                    else f"message {f.message_type.name}" if kind in ("message", "group") else kind)
        out[f.number] = TagField(f.number, f.name, f.json_name, readable, f.is_required, f.is_repeated, f)
    return TagFields(out, message_descriptor)


def _message_proto(message_descriptor):
    from google.protobuf import descriptor_pb2
    proto = descriptor_pb2.DescriptorProto()
    message_descriptor.CopyToProto(proto)
    return proto


def _reserved(message_descriptor, tag: int) -> bool:
    """Does the message reserve field number `tag` (`reserved 2;`, `reserved 5 to 9;`)?"""
    return any(r.start <= tag < r.end for r in _message_proto(message_descriptor).reserved_range)


def _oneof(field) -> str | None:
    """The oneof a field belongs to; None outside one (proto3's `optional` makes a synthetic oneof of one
    field, which is presence, not a choice)."""
    oneof = field.containing_oneof
    if oneof is None or _message_proto(field.containing_type).field[field.index].proto3_optional:
        return None
    return oneof.name


def _proto_wire(f: TagField) -> int:
    kind = _proto_kind(f.raw)
    return 2 if f.raw.is_packed else WIRE_TYPE_OF.get(kind, 0)


def _enum_values(enum_type) -> dict[int, str]:
    return {v.number: v.name for v in enum_type.values}


# Thrift: a thrift_spec item is (type id, name, required) or (type id, name, element spec, required)

_ZIGZAG_BITS = {t: INT_BITS[t] for t in ZIGZAG_INTS}   # compact: zigzag varints


def _split(spec) -> tuple[int, Any]:
    return (spec, None) if isinstance(spec, int) else (spec[0], spec[1])


def _enum_class(extra) -> bool:
    return isinstance(extra, type) and hasattr(extra, "_VALUES_TO_NAMES")


def _thrift_type_name(ttype: int, extra) -> str:
    if ttype in (TType.LIST, TType.SET):
        return f"{THRIFT_NAMES[ttype]}<{_thrift_type_name(*_split(extra))}>"
    if ttype == TType.MAP:
        return f"map<{_thrift_type_name(*_split(extra[0]))}, {_thrift_type_name(*_split(extra[1]))}>"
    if ttype == TType.STRUCT:
        return f"struct {extra.__name__}"
    if ttype == TType.I32 and _enum_class(extra):
        return f"enum {extra.__name__}"
    return THRIFT_NAMES.get(ttype, f"type {ttype}")


def thrift_fields(struct_class) -> TagFields:
    out = {}
    for tag, item in struct_class.thrift_spec.items():
        ttype, name, extra, required = item if len(item) == 4 else (item[0], item[1], None, item[2])
        out[tag] = TagField(tag, name, name, _thrift_type_name(ttype, extra), bool(required),
                            ttype in (TType.LIST, TType.SET), (ttype, extra))
    return TagFields(out, struct_class)


def thrift_inside(writer_raw, reader_raw) -> tuple | None:
    """How to look inside a value whose writer's and reader's Thrift types are both a struct, or a list,
    set or map of structs: ("record", writer fields, reader fields), ("list", inside) or ("map", inside)
    (map values); ("enum", writer's numbers, reader's numbers) when either side is an enum (an enum value
    is its number); ("held", bits) for an integer read as a narrower one; None for anything else."""
    (wt, wx), (rt, rx) = writer_raw, reader_raw
    if wt in _ZIGZAG_BITS and rt in _ZIGZAG_BITS and _ZIGZAG_BITS[rt] < _ZIGZAG_BITS[wt]:
        return ("held", _ZIGZAG_BITS[rt])   # compact list items: the reader's type holds the low bits
    if wt != rt:
        return None
    if wt == TType.I32 and (_enum_class(wx) or _enum_class(rx)):
        return ("enum", dict(wx._NAMES_TO_VALUES) if _enum_class(wx) else {},
                dict(rx._NAMES_TO_VALUES) if _enum_class(rx) else {})
    if wt == TType.STRUCT:
        return "record", thrift_fields(wx), thrift_fields(rx)
    if wt in (TType.LIST, TType.SET, TType.MAP):
        element = (lambda extra: _split(extra[1] if wt == TType.MAP else extra))   # a map's values
        inner = thrift_inside(element(wx), element(rx))
        return (("map" if wt == TType.MAP else "list"), inner) if inner else None
    return None


# --- the comparison ---

class _Compare:
    """Walks a writer's and a reader's fields tag by tag and collects findings."""

    def __init__(self, family: str, compact: bool = False, newer: str | None = None):
        self.family = family
        self.compact = compact
        self.newer = newer   # "writer" or "reader": which schema is the later version (None: unknown)
        self.findings: list[Finding] = []
        self._seen: set[tuple[int, int]] = set()   # message/struct pairs already compared (recursive types)

    def add(self, rule: str, key: str, /, **values):
        """A finding of `rule`, explained by the catalogue's message `ev.finding.<key>`."""
        self.findings.append(Finding(rule, Text(f"ev.finding.{key}", **values)))

    def fields(self, writer: dict[int, TagField], reader: dict[int, TagField], path: str, depth: int):
        if depth > MAX_DEPTH:
            raise FormatError(Text("ev.error.too_deep", depth=MAX_DEPTH))
        where = (lambda name: f"{path}.{name}" if path else name)
        reader_tags = {r.name: r.tag for r in reader.values()}
        # a writer field whose tag the reader lacks but whose name it has: the reader knows the field, under
        # another tag, so the value is lost rather than ignored
        moved = {w.name: (w.tag, reader_tags[w.name]) for w in writer.values()
                 if w.tag not in reader and w.name in reader_tags}
        for name, (old, new) in moved.items():
            fate = (Text("ev.finding.tag_changed_carries", tag=new, field=where(writer[new].name)) if new in writer
                    else Text("ev.finding.tag_changed_empty"))
            self.add("tag-changed", "tag_changed", field=where(name), old=old, new=new, fate=fate)
        moved_to = {new for _, new in moved.values()}
        for tag, w in writer.items():
            r = reader.get(tag)
            if r is None:
                if w.name not in moved:
                    self.add("field-skipped", "field_skipped", field=where(w.name), tag=tag, type=w.type,
                             skips=self._skips)
            else:
                self.pair(w, r, where, depth)
        for tag, r in reader.items():
            if tag in writer:
                continue
            if r.required:
                self.add("required-missing", "required_missing", field=where(r.name), tag=tag,
                         note=self._required_note)
            elif tag not in moved_to:
                self.add("field-defaulted", "field_defaulted", field=where(r.name), tag=tag)
        if self.family == "protobuf":
            self.oneofs(writer, reader, where)
            self.unreserved(writer, reader, where)

    def oneofs(self, writer: TagFields, reader: TagFields, where: Callable[[str], str]):
        """Fields the writer may set together that one oneof of the reader's holds."""
        groups: dict[str, dict] = {}   # the reader's oneof -> {how the writer groups them: [field names]}
        for tag, r in reader.items():
            w, oneof = writer.get(tag), _oneof(r.raw)
            if w is not None and oneof is not None:
                groups.setdefault(oneof, {}).setdefault(_oneof(w.raw) or tag, []).append(where(r.name))
        for oneof, by_writer in groups.items():
            if len(by_writer) > 1:
                self.add("oneof-merged", "oneof_merged", oneof=oneof,
                         names=chain("ev.finding.and", [f"`{n}`" for names in by_writer.values() for n in names]))

    def unreserved(self, writer: TagFields, reader: TagFields, where: Callable[[str], str]):
        """A field the later version deleted without reserving its tag (Protobuf's `reserved`)."""
        if self.newer is None:
            return
        old, new = (writer, reader) if self.newer == "reader" else (reader, writer)
        names = {f.name for f in new.values()}
        for tag, f in old.items():
            if tag not in new and f.name not in names and not _reserved(new.container, tag):
                self.add("tag-not-reserved", "tag_not_reserved", field=where(f.name), tag=tag)

    @property
    def _skips(self) -> Text:
        return Text("ev.finding.skips_kept" if self.family == "protobuf" else "ev.finding.skips_dropped")

    @property
    def _required_note(self) -> Text:
        return Text("ev.finding.required_note_protobuf" if self.family == "protobuf"
                    else "ev.finding.required_note_thrift")

    def pair(self, w: TagField, r: TagField, where: Callable[[str], str], depth: int):
        path = where(r.name)
        before = len(self.findings)
        if self.family == "protobuf":
            self.proto_field(w, r, path, depth)
        else:
            self.thrift_type(w.raw, r.raw, path, depth, element=None)
        type_trouble = any(f.status != COMPATIBLE for f in self.findings[before:])
        if r.required and not w.required:
            self.add("required-not-guaranteed", "required_not_guaranteed", path=path, note=self._required_note)
        elif w.required and not r.required:
            self.add("required-relaxed", "required_relaxed", path=path)
        if w.name != r.name:
            if type_trouble and w.type != r.type:
                self.add("tag-reused", "tag_reused", tag=w.tag, writer=w.name, writer_type=w.type,
                         reader=r.name, reader_type=r.type)
            else:
                self.add("renamed", "renamed", tag=w.tag, writer=w.name, reader=r.name)

    # Protobuf

    def proto_field(self, w: TagField, r: TagField, path: str, depth: int):
        same_wire = WIRE_TYPE_OF.get(_proto_kind(w.raw), 0) == WIRE_TYPE_OF.get(_proto_kind(r.raw), 0)
        if w.repeated and not r.repeated:
            if w.raw.is_packed and _proto_wire(w) != _proto_wire(r):
                self.add("wire-type-mismatch", "packed_to_singular", path=path, writer_type=w.type,
                         reader_type=r.type, wire=_proto_wire(r), wire_name=WIRE_NAMES[_proto_wire(r)])
                return
            if same_wire:
                self.add("repeated-to-singular", "repeated_to_singular", path=path, tag=w.tag)
        elif r.repeated and not w.repeated and same_wire:
            self.add("singular-to-repeated", "singular_to_repeated", path=path)
        self.proto_type(w, r, path, depth)

    def proto_type(self, w: TagField, r: TagField, path: str, depth: int):
        wk, rk = _proto_kind(w.raw), _proto_kind(r.raw)
        w_wire, r_wire = WIRE_TYPE_OF.get(wk, 0), WIRE_TYPE_OF.get(rk, 0)
        if w_wire != r_wire:
            self.add("wire-type-mismatch", "repeated_wire_type_mismatch" if r.repeated else "wire_type_mismatch",
                     path=path, writer_type=w.type, writer_wire=w_wire, writer_wire_name=WIRE_NAMES[w_wire],
                     reader_type=r.type, reader_wire=r_wire, reader_wire_name=WIRE_NAMES[r_wire])
        elif wk == rk == "enum":
            closed = r.raw.enum_type.is_closed
            self.enum_values(_enum_values(w.raw.enum_type), _enum_values(r.raw.enum_type), path, not closed,
                             Text("ev.finding.enum_closed_note" if closed else "ev.finding.enum_open_note"))
        elif wk == "enum" or rk == "enum":
            self.proto_enum_int(w, r, wk, rk, path)
        elif wk in VARINT_RANGES and rk in VARINT_RANGES:
            self.proto_varint(wk, rk, path)
        elif w_wire == 2:
            self.proto_length_delimited(w, r, wk, rk, path, depth)
        elif wk != rk:
            self.add("fixed-reinterpreted", "fixed_reinterpreted", path=path, writer_type=wk, reader_type=rk)

    def proto_enum_int(self, w, r, wk, rk, path):
        if wk == "enum":
            low, high = VARINT_RANGES.get(rk, (0, -1))
            values = _enum_values(w.raw.enum_type)
            if rk in VARINT_RANGES and all(low <= v <= high for v in values):
                self.add("enum-to-int", "enum_to_int", path=path, enum=w.raw.enum_type.name, reader_type=rk)
            else:
                self.add("zigzag-mismatch" if rk.startswith("sint") else "varint-narrowed", "enum_numbers_differ",
                         path=path, reader_type=rk)
        elif r.raw.enum_type.is_closed:
            self.add("int-to-enum", "int_to_closed_enum", path=path, writer_type=wk, enum=r.raw.enum_type.name)
        elif wk.startswith("sint"):
            self.add("zigzag-mismatch", "zigzag_to_enum", path=path, writer_type=wk)
        elif wk in ("int32", "bool"):
            self.add("int-to-open-enum", "int_to_open_enum", path=path, writer_type=wk, enum=r.raw.enum_type.name)
        else:
            self.add("varint-narrowed", "int_to_enum_narrowed", path=path, writer_type=wk, enum=r.raw.enum_type.name)

    def proto_varint(self, wk, rk, path):
        if wk.startswith("sint") != rk.startswith("sint"):
            self.add("zigzag-mismatch", "zigzag_mismatch", path=path, writer_type=wk, reader_type=rk,
                     reads="-1" if rk.startswith("sint") else "2")
            return
        (wl, wh), (rl, rh) = VARINT_RANGES[wk], VARINT_RANGES[rk]
        if wk == "bool" and rk != "bool":
            self.add("bool-to-int", "bool_to_int", path=path, reader_type=rk)
        elif rl <= wl and wh <= rh:
            if wk != rk:
                self.add("varint-widened", "varint_widened", path=path, writer_type=wk, reader_type=rk)
        else:
            self.add("varint-narrowed", "varint_narrowed", path=path, writer_type=wk, reader_type=rk)

    def proto_length_delimited(self, w, r, wk, rk, path, depth):
        checked = rk == "string" and checks_utf8(r.raw)
        if wk == "message" and rk in ("string", "bytes"):
            if checked:
                self.add("bytes-to-checked-string", "message_to_checked_string", path=path, writer_type=w.type)
            else:
                self.add("message-as-bytes", "message_as_bytes", path=path, writer_type=w.type, reader_type=rk)
        elif {wk, rk} <= {"string", "bytes"}:
            if wk == rk:
                return
            if checked:
                self.add("bytes-to-checked-string", "bytes_to_checked_string", path=path)
            elif rk == "string":
                self.add("string-bytes", "bytes_to_unchecked_string", path=path, writer_type=wk, reader_type=rk)
            else:
                self.add("string-bytes", "string_bytes", path=path, writer_type=wk, reader_type=rk)
        elif wk == rk == "message":
            pair = (id(w.raw.message_type), id(r.raw.message_type))
            if pair not in self._seen:
                self._seen.add(pair)
                self.fields(proto_fields(w.raw.message_type), proto_fields(r.raw.message_type), path, depth + 1)
        else:
            self.add("message-mismatch", "message_mismatch", path=path, writer_type=w.type, reader_type=r.type)

    # Thrift

    def thrift_type(self, w, r, path: str, depth: int, element: str | None):
        """`element`: None for a field's own type, else "item", "key" or "value" of its container."""
        (wt, wx), (rt, rx) = w, r
        if depth > MAX_DEPTH:
            raise FormatError(Text("ev.error.too_deep", depth=MAX_DEPTH))
        w_name, r_name = _thrift_type_name(wt, wx), _thrift_type_name(rt, rx)
        types = dict(path=path, writer_type=w_name, reader_type=r_name)
        if on_wire(wt) != on_wire(rt):
            if element == "item" and self.compact and wt in _ZIGZAG_BITS and rt in _ZIGZAG_BITS:
                if _ZIGZAG_BITS[wt] <= _ZIGZAG_BITS[rt]:
                    self.add("compact-int-items", "compact_int_items", **types)
                else:
                    self.add("compact-int-items-narrowed", "compact_int_items_narrowed", **types)
            elif element == "item" and self.compact:
                self.add("compact-element-misread", "compact_element_misread", **types)
            elif element:
                self.add("element-type-mismatch", "element_type_mismatch", **types)
            else:
                self.add("type-id-mismatch", "type_id_mismatch", writer_id=on_wire(wt), reader_id=on_wire(rt),
                         **types)
            return
        if wt != rt:
            self.add("string-binary", "string_bytes", **types)
        elif wt == TType.I32 and _enum_class(wx) and _enum_class(rx):
            self.enum_values(dict(wx._VALUES_TO_NAMES), dict(rx._VALUES_TO_NAMES), path, False,
                             Text("ev.finding.enum_thrift_note"))
        elif wt == TType.I32 and (_enum_class(wx) or _enum_class(rx)):
            if _enum_class(rx):
                self.add("int-to-enum", "thrift_int_to_enum", **types)
            else:
                self.add("enum-to-int", "thrift_enum_to_int", **types)
        elif wt in (TType.LIST, TType.SET):
            self.thrift_type(_split(wx), _split(rx), f"{path}[]", depth + 1, element="item")
        elif wt == TType.MAP:
            self.thrift_type(_split(wx[0]), _split(rx[0]), f"{path} keys", depth + 1, element="key")
            self.thrift_type(_split(wx[1]), _split(rx[1]), f"{path} values", depth + 1, element="value")
        elif wt == TType.STRUCT:
            pair = (id(wx), id(rx))
            if pair not in self._seen:
                self._seen.add(pair)
                self.fields(thrift_fields(wx), thrift_fields(rx), path, depth + 1)

    # enums, by number (Protobuf and Thrift)

    def enum_values(self, writer: dict[int, str], reader: dict[int, str], path: str, keeps_unknown: bool,
                    unknown_note: Text):
        unknown = sorted(set(writer) - set(reader))
        if unknown:
            listed = ", ".join(f"{writer[n]} = {n}" for n in unknown)
            self.add("enum-number-kept" if keeps_unknown else "enum-value-unknown", "enum_value_unknown",
                     path=path, values=listed, note=unknown_note)
        added = sorted(set(reader) - set(writer))
        if added:
            listed = ", ".join(f"{reader[n]} = {n}" for n in added)
            self.add("enum-value-added", "enum_value_added", path=path, values=listed)
        renamed = [n for n in set(writer) & set(reader) if writer[n] != reader[n]]
        for n in sorted(renamed):
            self.add("enum-value-renamed", "enum_value_renamed", path=path, number=n, writer=writer[n],
                     reader=reader[n])


def compare_tagged(family: str, writer: TagFields, reader: TagFields, compact: bool = False,
                   newer: str | None = None) -> list[Finding]:
    """Findings for a writer's and a reader's top-level fields (family "protobuf" or "thrift";
    `compact`: Thrift's compact protocol; `newer`: "writer" or "reader", the later version, which
    tells a deleted field from an added one)."""
    compare = _Compare(family, compact, newer)
    compare.fields(writer, reader, "", 0)
    return compare.findings
