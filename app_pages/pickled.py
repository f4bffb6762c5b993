"""Language-specific formats: Python's pickle, its class paths, a rename that breaks old bytes, and the
security problem; a paragraph on Java's Serializable and Ruby's Marshal."""
import streamlit as st

import formats
import sample_data
from evolution import pickled
from ui import cache, hexview, state
from ui.theme import CSS

st.title("Language-specific formats")
st.markdown(
    "Many languages come with their own encoding of in-memory objects: Python's `pickle`, Java's "
    "`java.io.Serializable`, Ruby's `Marshal`. They are convenient, since any object can be saved with one "
    "call, but the bytes are tied to one language and to the code that wrote them, versioning is an "
    "afterthought, and **reading them can run arbitrary code**. Here is pickle, written by the standard "
    "library and disassembled with `pickletools` (hover any byte).")
st.html(CSS)
state.declare("pk", {"reader": "v2"}, allowed={"reader": pickled.READERS})
BOOK = sample_data.load("person").record_text

st.subheader("The book's record")
plain = cache.encode("pickle", BOOK, None)
st.markdown(f"**{plain.size} bytes** (JSON: {cache.encode('json', BOOK, None).size}). "
            "Every value gets an opcode; every string and container a memo entry, so that a second use of the "
            "same object costs a reference (pickle keeps object identity, which no record format does).")
st.html(hexview.legend_html() + hexview.hex_html(plain))

st.subheader("An object: its class path is in the bytes")
data = pickled.write(cache.parsed(BOOK))
walked = cache.annotate("pickle", data, None)
class_path = [s for s in walked.spans if s.kind == "name" and s.label.startswith(("module", "name"))]
st.markdown(f"The same person as an object of the writer's class `Person`: **{len(data)} bytes**. Outlined: "
            f"the module and class name ({' '.join(s.label for s in class_path)}) that `STACK_GLOBAL` imports "
            f"when the bytes are read. The attributes follow as a dict, applied by `BUILD`.")
st.html(hexview.hex_html(walked, highlight=set(class_path)))
reader = st.segmented_control("Read by", list(pickled.READERS), key="pk.reader", required=True,
                              format_func=lambda r: f"{r}: {pickled.READERS[r][0]}")
outcome = pickled.read(data, reader)
(st.success if outcome.ok else st.error)(outcome.text, icon="✅" if outcome.ok else "⚠️")
st.caption("The lab unpickles only these bytes, which it wrote itself from its own class, and its reader "
           "resolves only the classes on the reader version's allow-list (the pickle documentation's "
           "\"Restricting Globals\").")

st.subheader("Reading a pickle runs code")
payload = pickled.payload()
danger = cache.annotate("pickle", payload, None)
st.markdown(f"An object whose `__reduce__` says \"rebuild me by calling `os.system`\": **{len(payload)} bytes**. "
            "Unpickling them imports `os.system` (written `posix.system` on Linux: where the function lives) and "
            "calls it with the command, before any code of the reader's can look at the result.")
calls = {s for s in danger.spans if s.kind == "name" or s.kind == "type" and "GLOBAL" in s.label or "REDUCE" in s.label}
st.html(hexview.hex_html(danger, highlight=calls))
st.dataframe([{"byte": s.start, "opcode": s.label} for s in danger.spans if s.kind == "type"],
             hide_index=True, width="stretch")
try:
    formats.decode("pickle", payload)
except formats.FormatError as e:
    st.warning(f"This lab's reader stops at {e}", icon="🛑")
if st.button("Walk these bytes on the Decode page"):
    st.session_state.update({"dec.format": "pickle", "dec.data": payload.hex(" "), "dec.schema": ""})
    st.switch_page("app_pages/decode.py")

st.subheader("Java and Ruby")
st.markdown(
    "Java's `java.io.Serializable` writes a stream that starts with `AC ED 00 05` and names every class by "
    "its full name and a `serialVersionUID`; a reader whose class has another UID refuses the stream, and "
    "reading one instantiates whatever classes it names: chains of library classes (\"gadgets\") have turned "
    "`ObjectInputStream.readObject` into remote code execution in many servers. Ruby's `Marshal.dump` "
    "starts with its version `04 08` and names classes and modules by name; `Marshal.load` on untrusted "
    "input is unsafe for the same reason, and its format changes with Ruby's versions. For data that "
    "outlives one process or crosses a trust boundary, use a language-independent format with a schema.")
