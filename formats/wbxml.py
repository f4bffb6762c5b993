"""WBXML (WAP Binary XML 1.3): the record's XML, as ElementTree writes it, tokenised; a walk labels each byte.

No maintained Python library writes WBXML (the `wbxml` package is a 2015 binding to libwbxml), so the
encoder here is written by hand from the specification (WAP-192-WBXML-20010725-a); tests check its
bytes with libwbxml2's own decoder, `wbxml2xml`. WBXML shrinks XML by replacing the tag names of a
known document type (WML, SyncML, ActiveSync) with one-byte tokens from that type's code pages. A
record has no document type (public id 1, "unknown"), so every element is a LITERAL token whose name
sits in the string table: each name is stored once, however many elements use it. Text travels inline
(STR_I), UTF-8 and NUL-terminated; END closes an element or an attribute list.

The XML is formats.xml's mapping of the record, and reading goes back through it: the walk rebuilds
the XML and formats.xml reads the record from it.
"""
import xml.etree.ElementTree as ET

from formats import paths, scalars
from formats.base import Format
from formats.errors import FormatError
from formats.facts.wbxml import (END, ENTITY, EXT, EXT_I, EXT_T, HAS_ATTRIBUTES, HAS_CONTENT, LITERAL, OPAQUE, PI,
                                 STR_I, STR_T, SWITCH_PAGE, TAG_NAMES, UNKNOWN_PUBLIC_ID, UTF_8, VERSION_1_3)
from formats.record import MAX_DEPTH
from formats.spans import Decoded
from formats.wire import Walker, preview
from formats.xml import FORMAT as XML, ITEM, KEY, MAPPING_RULE
from i18n import Text


class WBXMLFormat(
        Format, id="wbxml", title="WBXML", mapping_rule=MAPPING_RULE, rewrites="xml",
        spends=Text("fmt.spends.wbxml")):

    def write(self, record, schema_text=None):
        return self.rewrite(XML.write(record))

    def rewrite(self, data):
        """The XML formats.xml wrote, tokenised."""
        root = ET.fromstring(data)
        names: dict[str, bytes] = {}   # name -> its string-table offset, as a multi-byte integer
        table = bytearray()

        def index(name: str) -> bytes:
            if name not in names:
                names[name] = _mb(len(table))
                table.extend(name.encode("utf-8") + b"\0")
            return names[name]

        body = bytearray()

        def element(e: ET.Element) -> None:
            content = bool(e.text) or len(e) > 0
            body.append(LITERAL | (HAS_ATTRIBUTES if e.attrib else 0) | (HAS_CONTENT if content else 0))
            body.extend(index(e.tag))
            if e.attrib:
                for name, value in e.attrib.items():
                    body.append(LITERAL)
                    body.extend(index(name))
                    body.append(STR_I)
                    body.extend(value.encode("utf-8") + b"\0")
                body.append(END)
            if content:
                if e.text:
                    body.append(STR_I)
                    body.extend(e.text.encode("utf-8") + b"\0")
                for child in e:
                    element(child)
                body.append(END)

        element(root)
        return bytes([VERSION_1_3]) + _mb(UNKNOWN_PUBLIC_ID) + _mb(UTF_8) + _mb(len(table)) + bytes(table) + bytes(body)

    def annotate(self, data, schema_text=None):
        walk = _Walk(data)
        walk.document()
        return walk.finish()

    def read(self, data, schema_text=None, writer_schema_text=None):
        walk = _Walk(data)
        root = walk.document()
        walk.finish()
        decoded = XML.read(ET.tostring(root, encoding="utf-8"))
        decoded.notes.insert(0, "The tokens were turned back into XML, which formats.xml read as the record.")
        return decoded

    def comparable(self, record):
        return XML.comparable(record)


def _mb(n: int) -> bytes:
    """A WBXML multi-byte integer: 7 bits a byte, most significant first, the high bit on all but the last."""
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | n & 0x7F)
        n >>= 7
    return bytes(reversed(out))


class _Walk(Walker):
    def __init__(self, data: bytes, table: dict[int, str] | None = None):
        super().__init__(data)
        self.table = table if table is not None else {}   # string-table offset -> string

    def mb(self, kind: str, label, path: str = "", explanation: str = "") -> int:
        end = scalars.mb_u_int32(self.data, self.pos)[1]
        return self.take(end - self.pos, kind, label, path, explanation, scalar="mb-u-int32")

    def document(self) -> ET.Element:
        version = self.fixed(">B", "header", lambda v: f"WBXML {(v >> 4) + 1}.{v & 15}", "",
                             Text("fmt.wbxml.version"))
        public_id = self.mb("header", lambda v: Text("fmt.wbxml.public_id_unknown" if v == UNKNOWN_PUBLIC_ID
                                                     else "fmt.wbxml.public_id", n=v),
                            "", Text("fmt.wbxml.public_id_note"))
        if public_id == 0:
            self.mb("header", lambda v: Text("fmt.wbxml.public_id_at", n=v), "")
        if version:   # WBXML 1.0 has no charset field
            charset = self.mb("header", lambda v: f"charset {v}" + (" (UTF-8)" if v == UTF_8 else ""), "",
                              Text("fmt.wbxml.charset_note"))
            if charset != UTF_8:
                raise self.fail(Text("err.walk.wbxml.charset", charset=charset), self.pos - 1)
        size = self.mb("length", lambda n: Text("fmt.wbxml.table", n=n), "", Text("fmt.wbxml.table_note"))
        with self.within(size, Text("err.walk.wbxml.table"), Text("err.walk.wbxml.of_table")):
            start = self.pos
            while self.pos < self.limit:
                end = self.data.find(b"\0", self.pos, self.limit)
                if end < 0:
                    raise self.fail(Text("err.walk.wbxml.table_nul"))
                offset = self.pos - start
                text = self.take(end - self.pos, "name", lambda t: Text("fmt.wbxml.entry", name=preview(t), offset=offset),
                                 "", Text("fmt.wbxml.entry_note", offset=offset), scalar="utf-8",
                                 what=Text("fmt.wbxml.an_entry"))
                self.table[offset] = text
                self.take(1, "terminator", Text("fmt.wbxml.string_end"), "")
        while self.peek() in (bytes([SWITCH_PAGE]), bytes([PI])):
            self.control("")
        return self.element("", 0, "")

    def element(self, path: str, depth: int, parent: str) -> ET.Element:
        """One element, its attributes and content; `parent` is "list" when it is an entry of a list."""
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        token = self.byte(Text("err.walk.wbxml.an_element"))
        base = token & 0x3F
        if base == LITERAL:
            name = self.name_at(self.pos + 1)
        elif 0x05 <= base:
            raise self.fail(Text("err.walk.wbxml.tag_page", byte=f"0x{base:02x}"))
        else:
            raise self.fail(Text("err.walk.wbxml.not_element", byte=f"0x{token:02x}"))
        what = {0: "empty", HAS_CONTENT: "content", HAS_ATTRIBUTES: "attributes",
                HAS_CONTENT | HAS_ATTRIBUTES: "both"}[token & 0xC0]
        self.take(1, "type", f"{TAG_NAMES[token]} <{name}>", path,
                  Text(f"fmt.wbxml.element.{what}", where=path or Text("fmt.wbxml.the_record")))
        self.mb("tag", lambda v: Text("fmt.wbxml.name_at", n=v, name=name), path,
                Text("fmt.wbxml.name_at_note", name=repr(name)))
        element = ET.Element(name)
        if token & HAS_ATTRIBUTES:
            element.attrib.update(self.attributes(path))
        if token & HAS_CONTENT:
            items = self.is_list()
            i = 0
            while self.byte(Text("err.walk.wbxml.content_or_end")) != END:
                head = self.byte()
                if head in (STR_I, STR_T, ENTITY, OPAQUE) or head in EXT_I + EXT_T + EXT:
                    element.text = (element.text or "") + self.text(path)
                elif head in (SWITCH_PAGE, PI):
                    self.control(path)
                else:
                    child_name, key = self.peek_name_and_key()
                    child = paths.index(path, i) if items else paths.key(path, key if key is not None else child_name)
                    element.append(self.element(child, depth + 1, "list" if items else ""))
                    i += 1
            self.take(1, "terminator", f"END </{name}>", path,
                      Text("fmt.wbxml.element_ends", where=path or Text("fmt.wbxml.the_record")))
        return element

    def attributes(self, path: str) -> dict:
        out = {}
        while self.byte(Text("err.walk.wbxml.attribute_or_end")) != END:
            token = self.byte()
            if token != LITERAL:
                raise self.fail(Text("err.walk.wbxml.attribute_page", byte=f"0x{token:02x}"))
            name = self.name_at(self.pos + 1)
            self.take(1, "type", Text("fmt.wbxml.attribute", name=name), path, Text("fmt.wbxml.attribute_note"))
            self.mb("tag", lambda v: Text("fmt.wbxml.name_at", n=v, name=name), path)
            value = ""
            while self.byte(Text("err.walk.wbxml.value_or_next")) in (STR_I, STR_T):
                value += self.text(path, role="attribute" if name != KEY else "key")
            out[name] = value
        self.take(1, "terminator", Text("fmt.wbxml.attributes_end"), path)
        return out

    def text(self, path: str, role: str = "value") -> str:
        head = self.byte()
        kind = "value" if role == "value" else "name"
        where = path or Text("fmt.wbxml.the_record")
        if head == STR_I:
            self.take(1, "type", "STR_I", path, Text("fmt.wbxml.inline", where=where))
            end = self.data.find(b"\0", self.pos)
            if end < 0:
                raise self.fail(Text("err.walk.wbxml.inline_nul"))
            text = self.take(end - self.pos, kind, preview, path, Text("fmt.ubjson.string", where=where), scalar="utf-8",
                             what=Text("fmt.wbxml.an_inline_string")) if end > self.pos else ""
            self.take(1, "terminator", Text("fmt.wbxml.string_end"), path)
            return text
        if head == STR_T:
            self.take(1, "type", "STR_T", path, Text("fmt.wbxml.table_string", where=where))
            offset = self.mb("tag", lambda v: Text("fmt.wbxml.string_at", n=v), path)
            return self.string(offset)
        if head == ENTITY:
            self.take(1, "type", "ENTITY", path, Text("fmt.wbxml.entity", where=where))
            return chr(self.mb("value", lambda v: Text("fmt.wbxml.character", n=v), path,
                               Text("fmt.wbxml.character_note", where=where)))
        if head == OPAQUE:
            self.take(1, "type", "OPAQUE", path, Text("fmt.wbxml.opaque", where=where))
            n = self.mb("length", lambda v: Text("fmt.length", n=v), path)
            raise self.fail(Text("err.walk.wbxml.opaque", where=where, n=n))
        raise self.fail(Text("err.walk.wbxml.extension", byte=f"0x{head:02x}"))

    def control(self, path: str) -> None:
        head = self.byte()
        if head == SWITCH_PAGE:
            self.take(2, "punctuation", "SWITCH_PAGE", path, Text("fmt.wbxml.switch_page"))
        else:
            raise self.fail(Text("err.walk.wbxml.pi"))

    def is_list(self) -> bool:
        """An element whose first child is <item> with no key attribute holds a list (formats.xml's mapping)."""
        if self.byte(Text("err.walk.wbxml.content_or_end")) & 0x3F != LITERAL:
            return False
        name, key = self.peek_name_and_key()
        return name == ITEM and key is None

    def peek_name_and_key(self) -> tuple[str, str | None]:
        """The next element's name and its key attribute, read ahead by a second walker (its spans are
        dropped): an entry's path is its key, which comes after its tag."""
        token = self.byte(Text("err.walk.wbxml.an_element"))
        probe = _Walk(self.data, self.table)
        probe.pos = self.pos
        if token & 0x3F != LITERAL:
            return "", None
        name = probe.name_at(probe.pos + 1)
        probe.pos += 1
        probe.mb("tag", "")
        if token & HAS_ATTRIBUTES:
            return name, probe.attributes("").get(KEY)
        return name, None

    def name_at(self, pos: int) -> str:
        offset = scalars.mb_u_int32(self.data, pos)[0]
        return self.string(offset, pos)

    def string(self, offset: int, pos: int | None = None) -> str:
        if offset not in self.table:
            raise self.fail(Text("err.walk.wbxml.offset", offset=offset), pos)
        return self.table[offset]


FORMAT = WBXMLFormat()
