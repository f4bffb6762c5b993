"""XML: the standard library's ElementTree writes and parses; a hand-written scanner labels every byte.

XML has elements and text, not records, so a record needs a mapping (MAPPING_RULE):

- the record is the root element `<record>`; each field is an element named after it;
- a string, number or boolean is the element's text, spelled as JSON spells it
  (`<favoriteNumber>1337</favoriteNumber>`, `<active>true</active>`);
- a list is the field's element holding one `<item>` element per entry;
- a nested object is an element holding one element per field;
- null is an empty element marked `null="true"`;
- a field whose name is not a valid XML element name (it starts with a digit or
  with "xml", holds a space, a colon, …; e.g. the date keys of a map) becomes an
  entry `<item key="2026-11-25">3</item>`.

A character XML 1.0 cannot hold (most control characters) is a FormatError
naming the field.

Reading gives text back: XML cannot tell a number from a digit string without an external
schema (an XML Schema declaring the element an integer), so 1337 and "1337" look the same.
The reader applies the mapping backwards: an element holding only `<item>`
elements without a key is a list, one holding other elements is an object, an
empty element is "" and `null="true"` is null. So an empty list, an empty object
and "" all come back as "", an object whose only field is `item` comes back as a
one-item list, and XML parsers turn "\\r\\n" and "\\r" in text into "\\n"
(`comparable` says exactly this).
Pasted XML may also carry attributes (read as fields "@name"), text next to
attributes (read as the field "#text"), comments, CDATA sections, processing
instructions and an XML declaration; namespaces and DOCTYPE declarations are refused.
"""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from formats import paths, scalars
from formats.base import Format
from formats.budget import MB, budgeted
from formats.errors import FormatError
from formats.record import MAX_DEPTH, check_record, json_text
from formats.spans import Decoded
from formats.wire import Walker, WalkStopped, preview, stop_point
from i18n import Text

MAPPING_RULE = Text("fmt.mapping.xml")

ROOT = "record"
ITEM = "item"
KEY = "key"   # <item key="…">: a field whose name cannot be an element name
_NULL = {"null": "true"}
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_SPACE = " \t\n\r"
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_NAME = re.compile(rb"""[^ \t\r\n/>=<"']*""")   # a tag or attribute name runs up to one of these
_SPACES = re.compile(rb"[ \t\r\n]*")


class XMLFormat(
        Format, id="xml", title="XML", is_text=True, mapping_rule=MAPPING_RULE,
        spends=Text("fmt.spends.xml")):
    def write(self, record, schema_text=None):
        check_record(record)
        root = ET.Element(ROOT)
        for name, value in record.items():
            _element(root, name, value, (name,), {})
        return ET.tostring(root, encoding="unicode").encode("utf-8")

    def annotate(self, data, schema_text=None):
        scan = _Scan(data)
        stop = stop_point()
        if stop is not None and stop < len(data):
            root = _well_formed(scan.data)
            if root is not None:   # expat read it all: scan only the tokens up to the stop point
                scan.run(stop)
                scan.assign_from(scan.root, root, "", is_root=True)
                return _Walk(scan, stop=stop).spans
        try:
            _parse(scan)
        except FormatError as e:
            _Walk(scan, upto=e.offset)   # labels the bytes before the failing one (formats.annotate keeps them)
            raise
        return _Walk(scan).spans

    def read(self, data, schema_text=None, writer_schema_text=None):
        root = _parse(_Scan(data))
        return Decoded(_element_value(root, is_root=True),
                       notes=[Text("fmt.xml.all_text")])

    def comparable(self, record):
        """The record as XML gives it back: text for every scalar, "" for [], {} and "", a one-field
        object {"item": x} as the list [x], and line ends normalised to "\\n"."""
        return {name: _as_read(value) for name, value in record.items()}


def _as_read(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list):
        return [_as_read(v) for v in value] if value else ""
    if isinstance(value, dict):
        if not value:
            return ""
        if list(value) == [ITEM]:
            return [_as_read(value[ITEM])]
        return {name: _as_read(v) for name, v in value.items()}
    return json_text(value)


def _element(parent: ET.Element, name: str, value, steps: tuple, valid: dict, is_item: bool = False) -> None:
    """Append the element for one value, following MAPPING_RULE. `steps`: the value's record path,
    spelt (paths.join) only in an error message; `valid`: this record's names already asked of
    _valid_name (a list of 10,000 rows asks the same five)."""
    if not is_item and name not in valid:
        valid[name] = _valid_name(name)
    if is_item or valid[name]:
        element = ET.SubElement(parent, name)
    else:
        _check_characters(name, steps, ": the field name")
        element = ET.SubElement(parent, ITEM, {KEY: name})
    if value is None:
        element.attrib.update(_NULL)
    elif isinstance(value, dict):
        for child, v in value.items():
            _element(element, child, v, steps + (child,), valid)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _element(element, ITEM, v, steps + (i,), valid, is_item=True)
    else:
        text = value if isinstance(value, str) else json_text(value)
        _check_characters(text, steps)
        element.text = text


def _check_characters(text: str, steps: tuple, what: str = "") -> None:
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise FormatError(Text("err.xml.control", where=paths.join("", steps) + what, code=f"U+{ord(bad[0]):04X}"))


@budgeted(1 * MB)
def _valid_name(name: str) -> bool:
    """Can `name` be an element name? Asks the XML parser itself (ElementTree writes any tag name
    without checking it). Names starting with "xml" are reserved, and ":" would need a namespace."""
    if name.lower().startswith("xml") or ":" in name:
        return False
    try:
        return ET.fromstring(f"<{name}/>").tag == name
    except ET.ParseError:
        return False


def _blank(text: str) -> bool:
    return not text.strip(_XML_SPACE)


def _key(tag: str, attributes: dict) -> str | None:
    """The field name an entry <item key="…"> stands for; None for any other element."""
    return attributes.get(KEY) if tag == ITEM else None


def _field_name(tag: str, attributes: dict) -> str:
    key = _key(tag, attributes)
    return tag if key is None else key


def _own_attributes(tag: str, attributes: dict, is_root: bool) -> dict:
    """The attributes that are fields or the null marker: all but an entry's key."""
    if is_root or _key(tag, attributes) is None:
        return attributes
    return {name: v for name, v in attributes.items() if name != KEY}


def _shape(own_attributes: dict, children: list[tuple[str, dict]], text: str, is_root: bool) -> str:
    """How an element reads back: "object", "list", "text" or "null" (MAPPING_RULE, backwards).
    `children` are (tag, attributes) pairs."""
    if is_root:
        return "object"
    if children:
        is_list = not own_attributes and all(tag == ITEM and _key(tag, a) is None for tag, a in children)
        return "list" if is_list else "object"
    if own_attributes == _NULL and not text:
        return "null"
    return "object" if own_attributes else "text"


def _element_value(element: ET.Element, is_root: bool = False):
    """An element parsed by ElementTree as a record value (the walk has checked its shape)."""
    children = list(element)
    text = element.text or ""
    own = _own_attributes(element.tag, element.attrib, is_root)
    shape = _shape(own, [(c.tag, c.attrib) for c in children], text, is_root)
    if shape == "null":
        return None
    if shape == "text":
        return text
    if shape == "list":
        return [_element_value(c) for c in children]
    value = {"@" + name: v for name, v in own.items()}
    if not children and not _blank(text):
        value["#text"] = text
    for child in children:
        value[_field_name(child.tag, child.attrib)] = _element_value(child)
    return value


def _parse(scan: "_Scan") -> ET.Element:
    """Scan the bytes (offsets for every error), then let ElementTree parse them (the authority on
    well-formedness, and the decoder)."""
    try:
        scan.data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(Text("err.xml.utf8", offset=e.start), offset=e.start) from None
    scan.run()
    try:
        root = ET.fromstring(scan.data)
    except ET.ParseError as e:
        line, column = e.position
        offset = _offset(scan.data, line, column)
        message = re.sub(r": line \d+, column \d+$", "", str(e))
        raise FormatError(Text("err.xml.expat", line=line, column=column + 1, offset=offset, message=message),
                          line=line, column=column + 1, offset=offset) from None
    scan.assign(scan.root, "", is_root=True)
    return root


def _well_formed(data: bytes) -> ET.Element | None:
    """The tree expat parses from `data`, or None if it cannot (then the whole scan finds where)."""
    try:
        data.decode("utf-8")
        return ET.fromstring(data)
    except (UnicodeDecodeError, ET.ParseError):
        return None


def _offset(data: bytes, line: int, column: int) -> int:
    """The byte offset of expat's (line, 0-based character column)."""
    lines = data.split(b"\n")
    if line > len(lines):
        return len(data)
    before = sum(len(x) + 1 for x in lines[:line - 1])
    return before + len(lines[line - 1].decode("utf-8")[:column].encode("utf-8"))


@dataclass(eq=False)
class _Node:
    name: str
    start: int                      # offset of "<"
    depth: int
    parent: "_Node | None"
    attributes: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    text: str = ""                  # the character data, decoded
    content_end: int = 0            # where its last text, CDATA, comment or PI ends
    shape: str = ""
    path: str = ""


@dataclass
class _Token:
    kind: str                       # bom decl pi comment space text cdata start end
    start: int
    end: int
    node: _Node | None = None
    parts: tuple = ()               # start tags: (name_end, attributes, is_empty); an attribute is
                                    # (name_start, name_end, value_start, value_end)


class _Scan:
    """XML's syntax on bytes, into tokens with offsets and a tree of elements (hand-written:
    ElementTree reports no byte positions). Checks what the walk relies on; expat checks the rest."""

    def __init__(self, data: bytes):
        self.data = bytes(data)
        self.tokens: list[_Token] = []
        self.root: _Node | None = None
        self.pos = 0

    def fail(self, message: str, offset: int | None = None) -> FormatError:
        offset = self.pos if offset is None else offset
        return FormatError(Text("fmt.error.at_byte", offset=offset, message=message), offset=offset)

    def add(self, kind: str, end: int, node=None, parts=()) -> None:
        self.tokens.append(_Token(kind, self.pos, end, node, parts))
        if node is not None and kind not in ("start", "end"):
            node.content_end = end
        self.pos = end

    def until(self, opening: bytes, marker: bytes, what: str) -> int:
        end = self.data.find(marker, self.pos + len(opening))
        if end < 0:
            raise self.fail(Text("err.xml.never_closed", what=what, marker=marker.decode()))
        return end + len(marker)

    def characters(self, rule: str, start: int, end: int) -> str:
        try:
            return scalars.read(rule, self.data[start:end])
        except (ValueError, OverflowError):   # chr() of a reference past U+10FFFF
            raise self.fail(Text("err.xml.reference"), start) from None

    def run(self, stop: int | None = None) -> None:
        """Scan the tokens; with `stop`, only up to the first tag that ends there or after (a walk
        stopped there needs no more), leaving the checks of the whole document to expat."""
        data = self.data
        if data.startswith(b"\xef\xbb\xbf"):
            self.add("bom", 3)
        if data.startswith(b"<?xml", self.pos) and data[self.pos + 5:self.pos + 6] in (b" ", b"?", b"\t", b"\n", b"\r"):
            end = self.until(b"<?xml", b"?>", Text("err.xml.declaration"))
            encoding = _ENCODING.search(data, self.pos, end)
            if encoding and encoding[1].lower() not in (b"utf-8", b"utf8"):
                raise self.fail(Text("err.xml.encoding", encoding=encoding[1].decode()),
                                encoding.start(1))
            self.add("decl", end)
        open_elements: list[_Node] = []
        while self.pos < len(data):
            inside = open_elements[-1] if open_elements else None
            if data[self.pos] != 0x3C:   # "<"
                end = data.find(b"<", self.pos)
                end = len(data) if end < 0 else end
                text = data[self.pos:end].decode("utf-8")
                if inside is None:
                    if not _blank(text):
                        raise self.fail(Text("err.xml.outside_text"))
                    self.add("space", end)
                else:
                    inside.text += self.characters("xml-text", self.pos, end)
                    self.add("text", end, inside)
            elif data.startswith(b"<!--", self.pos):
                self.add("comment", self.until(b"<!--", b"-->", Text("err.xml.comment")), inside)
            elif data.startswith(b"<![CDATA[", self.pos):
                if inside is None:
                    raise self.fail(Text("err.xml.outside_cdata"))
                end = self.until(b"<![CDATA[", b"]]>", Text("err.xml.cdata"))
                inside.text += self.characters("xml-text", self.pos, end)
                self.add("cdata", end, inside)
            elif data.startswith(b"<!", self.pos):
                raise self.fail(Text("err.xml.doctype"))
            elif data.startswith(b"<?", self.pos):
                self.add("pi", self.until(b"<?", b"?>", Text("err.xml.pi")), inside)
            elif data.startswith(b"</", self.pos):
                self.end_tag(open_elements)
            else:
                self.start_tag(open_elements)
            if stop is not None and self.pos >= stop and self.tokens[-1].kind in ("start", "end"):
                return
        if open_elements:
            raise self.fail(Text("err.xml.unclosed", name=open_elements[-1].name, start=open_elements[-1].start), len(data))
        if self.root is None:
            raise self.fail(Text("err.xml.no_element"))

    def name(self, start: int) -> tuple[str, int]:
        end = _NAME.match(self.data, start).end()
        if end == start:
            raise self.fail(Text("err.xml.no_name"), start)
        name = self.data[start:end].decode("utf-8")
        if ":" in name or name == "xmlns":
            raise self.fail(Text("err.xml.namespace", name=repr(name)), start)
        return name, end

    def spaces(self, at: int) -> int:
        return _SPACES.match(self.data, at).end()

    def start_tag(self, open_elements: list[_Node]) -> None:
        start = self.pos
        parent = open_elements[-1] if open_elements else None
        if parent is None and self.root is not None:
            raise self.fail(Text("err.xml.second_root"))
        name, at = self.name(start + 1)
        depth = parent.depth + 1 if parent else 1
        if depth > MAX_DEPTH + 1:   # the root adds one level to the record's nesting
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        node = _Node(name, start, depth, parent)
        name_end = at
        attributes = []
        while True:
            gap = self.spaces(at)
            if self.data[gap:gap + 1] in (b">", b"/") or gap >= len(self.data):
                break
            if gap == at:
                raise self.fail(Text("err.xml.in_tag", name=name), at)
            attribute, name_stop = self.name(gap)
            equals = self.spaces(name_stop)
            quote_at = self.spaces(equals + 1)
            quote = self.data[quote_at:quote_at + 1]
            if self.data[equals:equals + 1] != b"=" or quote not in (b'"', b"'"):
                raise self.fail(Text("err.xml.attribute_value", attribute=attribute), name_stop)
            close = self.data.find(quote, quote_at + 1)
            if close < 0:
                raise self.fail(Text("err.xml.attribute_open", attribute=attribute), quote_at)
            if attribute in node.attributes:
                raise self.fail(Text("err.xml.attribute_twice", attribute=attribute), gap)
            node.attributes[attribute] = self.characters("xml-attribute", quote_at + 1, close)
            attributes.append((gap, name_stop, quote_at + 1, close))
            at = close + 1
        at = self.spaces(at)
        empty = self.data.startswith(b"/>", at)
        if not empty and not self.data.startswith(b">", at):
            raise self.fail(Text("err.xml.tag_open", name=name), at)
        end = at + (2 if empty else 1)
        if parent is None:
            self.root = node
        else:
            parent.children.append(node)
        self.add("start", end, node, (name_end, tuple(attributes), empty))
        if not empty:
            open_elements.append(node)

    def end_tag(self, open_elements: list[_Node]) -> None:
        name, at = self.name(self.pos + 2)
        at = self.spaces(at)
        if not self.data.startswith(b">", at):
            raise self.fail(Text("err.xml.end_open", name=name), at)
        if not open_elements:
            raise self.fail(Text("err.xml.end_nothing", name=name))
        node = open_elements.pop()
        if node.name != name:
            raise self.fail(Text("err.xml.mismatch", name=name, open=node.name, start=node.start))
        self.add("end", at + 1, node)

    def assign_from(self, node: _Node, element: ET.Element, path: str, is_root: bool = False) -> None:
        """`assign` for a scan stopped early: an element's shape comes from the whole tree expat
        parsed (`element` is the node's), since the scan has not reached all of its children.
        The checks of `assign` are left to the whole walk (an error past the stop is not found)."""
        own = _own_attributes(node.name, node.attributes, is_root)
        node.shape = _shape(own, [(c.tag, c.attrib) for c in element], element.text or "", is_root)
        node.path = path
        for i, (child, child_element) in enumerate(zip(node.children, element)):
            self.assign_from(child, child_element, paths.index(path, i) if node.shape == "list" else
                             paths.key(path, _field_name(child.name, child.attributes)))

    def assign(self, node: _Node, path: str, is_root: bool = False, strict: bool = True) -> None:
        """Give each element its shape and record path (the same rule `_element_value` reads by).
        Not `strict`: the tree is the part scanned before an error, so take it as it is."""
        own = _own_attributes(node.name, node.attributes, is_root)
        node.shape = _shape(own, [(c.name, c.attributes) for c in node.children], node.text, is_root)
        node.path = path
        if strict and node.children and not _blank(node.text):
            at = next(t.start for t in self.tokens if t.node is node and t.kind in ("text", "cdata")
                      and not _blank(self.data[t.start:t.end].decode("utf-8")))
            raise self.fail(Text("err.xml.mixed", name=node.name), at)
        if node.shape == "list":
            for i, child in enumerate(node.children):
                self.assign(child, paths.index(path, i), strict=strict)
            return
        seen = {"@" + name for name in own}
        for child in node.children:
            name = _field_name(child.name, child.attributes)
            if name in seen and strict:
                raise self.fail(Text("err.xml.field_twice", name=repr(name), parent=node.name, item=ITEM),
                                child.start)
            seen.add(name)
            self.assign(child, paths.key(path, name), strict=strict)


class _Walk(Walker):
    """Spans from the scanner's tokens, in byte order. With `upto` (the offset of an error), only
    the tokens the scanner read before it; with `stop`, the tokens of a scan stopped there."""

    def __init__(self, scan: _Scan, upto: int | None = None, stop: int | None = None):
        super().__init__(scan.data)
        if upto is not None and scan.root is not None:
            scan.assign(scan.root, "", is_root=True, strict=False)
        for token in scan.tokens:
            if token.start < self.pos:
                continue   # inside an element's text, labelled as one value already
            value_path = self._text_path(token.node) if token.kind in _CONTENT else None
            if upto is not None and (token.node.content_end if value_path is not None else token.end) > upto:
                return
            if value_path is None:
                getattr(self, "_" + token.kind)(token)
            else:
                self._value(token.node, value_path)
        if stop is not None:   # the stop is reached at the scan's last tag at the latest
            raise WalkStopped(self.spans)
        if upto is None:
            self.finish()

    def _value(self, node: _Node, path: str):
        """All of an element's text as one value span, CDATA sections and comments inside it
        included: they make one string together."""
        self.take(node.content_end - self.pos, "value", preview, path, Text("fmt.xml.text", path=path),
                  scalar="xml-text")

    def _bom(self, token):
        self.span(token.end, "header", Text("fmt.csv.bom"), explanation=Text("fmt.csv.bom_note"))

    def _decl(self, token):
        self.span(token.end, "header", Text("fmt.xml.declaration"), explanation=Text("fmt.xml.declaration_note"))

    def _pi(self, token):
        self.span(token.end, "punctuation", Text("fmt.xml.pi"), _path(token), Text("fmt.xml.pi_note"))

    def _comment(self, token):
        self.span(token.end, "punctuation", Text("fmt.xml.comment"), _path(token), Text("fmt.xml.comment_note"))

    def _space(self, token):
        self.span(token.end, "punctuation", Text("fmt.json.whitespace"), explanation=Text("fmt.xml.space_note"))

    def _text(self, token):
        self.span(token.end, "punctuation", Text("fmt.json.whitespace"), token.node.path, Text("fmt.xml.formatting"))

    def _cdata(self, token):
        self.span(token.end, "punctuation", Text("fmt.xml.cdata"), token.node.path, Text("fmt.xml.cdata_note"))

    @staticmethod
    def _text_path(node: _Node | None) -> str | None:
        """Where an element's character data goes in the record; None for formatting between elements."""
        if node is None:
            return None
        if node.shape == "text":
            return node.path
        if node.shape == "object" and not node.children and not _blank(node.text):
            return paths.key(node.path, "#text")
        return None

    @staticmethod
    def _tag_kind(node: _Node) -> str:
        """The root's tags are the envelope; <item> tags are structure; other tags spell a field name."""
        if node.parent is None:
            return "header"
        return "punctuation" if node.parent.shape == "list" or _is_entry(node) else "name"

    def _start(self, token):
        node = token.node
        name_end, attributes, empty = token.parts
        kind = self._tag_kind(node)
        where = node.path or Text("fmt.xml.the_record")
        if node.parent is None:
            label, note = Text("fmt.xml.root", name=node.name), Text("fmt.xml.root_note")
        elif _is_entry(node):
            label = Text("fmt.xml.entry", item=ITEM, name=preview(node.attributes[KEY]))
            note = Text("fmt.xml.entry_note", where=where)
        elif kind == "punctuation":
            label = Text("fmt.xml.item", item=ITEM, index=paths.steps(node.path)[-1])
            note = Text("fmt.xml.item_note", where=where)
        else:
            label = Text("fmt.xml.empty" if empty else "fmt.xml.start", name=node.name)
            note = Text("fmt.xml.empty_note" if empty else "fmt.xml.start_note", name=repr(node.name))
        if not attributes:
            self.span(token.end, kind, label, node.path, note)
            return
        self.span(name_end, kind, label, node.path, note)   # "<name"; the attributes follow
        for name_start, name_stop, value_start, value_end in attributes:
            self.span(name_start, "punctuation", Text("fmt.json.whitespace"), node.path)
            if node.shape == "null" and self.data[name_start:name_stop] != KEY.encode():
                self.span(value_end + 1, "type", 'null="true"', node.path,
                          Text("fmt.xml.null", where=where))
                continue
            attribute = self.data[name_start:name_stop].decode("utf-8")
            if attribute == KEY and _is_entry(node):
                self.span(value_start, "punctuation", f"{KEY}=\"", node.path)
                self.span(value_end, "name", Text("fmt.field_name", name=preview(node.attributes[KEY])), node.path,
                          Text("fmt.xml.key_name"))
                self.span(value_end + 1, "punctuation", "\"", node.path)
                continue
            at = paths.key(node.path, "@" + attribute)
            self.span(name_stop, "name", Text("fmt.xml.attribute", name=attribute), at,
                      Text("fmt.xml.attribute_note", name=attribute))
            self.span(value_start, "punctuation", "=\"", at)
            self.take(value_end - value_start, "value", preview, at, Text("fmt.xml.attribute_value", at=at),
                      scalar="xml-attribute")
            self.span(value_end + 1, "punctuation", "\"", at)
        self.span(token.end, "punctuation", "/>" if empty else ">", node.path,
                  Text("fmt.xml.empty_ends" if empty else "fmt.xml.start_ends"))

    def _end(self, token):
        node = token.node
        kind = self._tag_kind(node)
        if node.parent is None:
            label, note = Text("fmt.xml.root_end", name=node.name), Text("fmt.xml.root_end_note")
        elif _is_entry(node):
            label, note = f"</{ITEM}>", Text("fmt.xml.entry_ends", path=node.path)
        elif kind == "punctuation":
            label, note = f"</{ITEM}>", Text("fmt.xml.item_ends", path=node.path)
        else:
            label, note = Text("fmt.xml.end", name=node.name), Text("fmt.xml.end_note", name=repr(node.name))
        self.span(token.end, kind, label, node.path, note)


def _is_entry(node: _Node) -> bool:
    """Is this <item key="…">, standing for a field whose name cannot be an element name?"""
    return node.parent is not None and node.parent.shape == "object" and _key(node.name, node.attributes) is not None


def _path(token: _Token) -> str:
    return token.node.path if token.node else ""


_CONTENT = ("text", "cdata", "comment", "pi")
FORMAT = XMLFormat()
