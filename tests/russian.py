"""A detector of English left on a page rendered in Russian (AppTest, `?lang=ru`).

It reads every string the page puts in front of a student: headings, markdown, captions, alerts,
metrics (label, value, help), every widget's label, help and options, expanders' and tabs' labels,
st.html bodies (tags and styles stripped), tables' and dataframes' column names and cells, and the
Plotly figures' titles, axis titles, trace names, annotations and hover templates. Left out, as the
issue says: code (st.code, st.json, `inline code`, <code>), byte values (hex), record field names
and other identifiers (camelCase, snake_case, with digits or dots: userName, node-1, q-7, v2), format
names (from the formats registry) and the proper names of products, which stay Latin in Russian text.

What it flags: two or more Latin words in a row, or a text with no Cyrillic at all that holds a Latin
word. It knows no expected string: a text nobody translated is caught whatever it says.
"""
import html
import json
import re

import formats

# Products, protocols and companies the chapter names: written in Latin in Russian text too.
PROPER_NAMES = (
    "Apache Avro", "Protocol Buffers", "Google", "Facebook", "Kafka", "RabbitMQ", "ActiveMQ", "Confluent",
    "Schema Registry", "Temporal", "Restate", "AWS Step Functions", "Step Functions", "AWS", "Akka", "Orleans",
    "Erlang/OTP", "Erlang OTP", "Erlang", "OTP", "Java", "Python", "Kleppmann", "Designing Data-Intensive Applications",
    "DNS", "Consul", "etcd", "ZooKeeper", "Kubernetes Service", "Kubernetes", "CORBA", "DCOM", "Java RMI", "RMI", "EJB",
    "SOAP", "WSDL", "WS-*", "REST", "gRPC", "HTTP/1.1", "HTTP/2", "HTTP", "JSON", "XML", "OpenAPI", "curl", "zeep",
    "fastavro", "protobuf", "thriftpy2", "Thrift", "Avro", "Protobuf", "MessagePack", "Encoding Lab",
    "Accept", "Content-Type", "POST", "GET", "Microsoft", "Lightbend", "term_to_binary",
)
CODE = re.compile(r"`[^`]*`|<code>.*?</code>|<pre>.*?</pre>|<style>.*?</style>|<script>.*?</script>", re.S)
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"</?(?:div|p|li|tr|td|th|table|br)\b[^>]*>")   # where one text ends and the next begins
HOVER = re.compile(r"%\{[^}]*\}|<extra>.*?</extra>")
HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}\s)+[0-9a-fA-F]{2}\b|\b0x[0-9a-fA-F]+\b")
URL = re.compile(r"\b\w+://\S+|\(\S+\)(?=\s|$)|\[[^\]]*\]\([^)]*\)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# a token that is an identifier, not a word: camelCase, snake_case, dotted, with digits, ALL CAPS
IDENTIFIER = re.compile(r"\S*(?:[a-z][A-Z]|_|\.\w|\d)\S*|[A-Z]{2,}[A-Z0-9_]*s?")


def _names() -> list[str]:
    titles = [formats.get(f).title for f in formats.FORMATS]
    return sorted({*titles, *PROPER_NAMES}, key=len, reverse=True)


def _clean(text: str, names: list[str]) -> str:
    text = CODE.sub(" ", text.replace("<wbr>", ""))   # a word-break hint joins, as the browser shows it
    text = URL.sub(lambda m: " " + re.sub(r"\]\([^)]*\)$", "", m.group(0)).lstrip("[") + " "
                   if m.group(0).startswith("[") else " ", text)
    text = HOVER.sub(" ", html.unescape(TAG.sub(" ", BLOCK.sub(" / ", text))))   # "&lt;record&gt;" is <record>, not two words
    text = HEX.sub(" ", text)
    for name in names:
        text = text.replace(name, " ")
    # a leading dot stays: ".avsc" is a file's extension, not a word
    return " ".join(IDENTIFIER.sub(" ", token) if IDENTIFIER.fullmatch(token.lstrip(",:;()!?«»\"'").rstrip(".,:;()!?«»\"'"))
                    else token for token in text.split())


def english(text: str, names: list[str] | None = None) -> str | None:
    """The English phrase in `text`, or None. Words apart from each other by a comma, a colon, a
    bracket or Cyrillic are not a run; a Latin word alone in a sentence that is otherwise Russian is a
    term (a book's name for a thing) and passes."""
    cleaned = _clean(text, _names() if names is None else names)
    for part in re.split(r"[,;:()\[\]«»—–/=+→←]|[А-Яа-яЁё]+|\d+", cleaned):
        words = WORD.findall(part)
        if len(words) >= 2 and any(len(w) >= 3 for w in words):
            return part.strip()
    if not CYRILLIC.search(cleaned) and any(len(w) >= 3 for w in WORD.findall(cleaned)):
        return cleaned.strip()
    return None


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _plot_texts(spec: str) -> list[str]:
    figure = json.loads(spec)
    layout, out = figure.get("layout", {}), []
    out += _strings(layout.get("meta", {}).get("title"))
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            out += _strings(title.get("text") if isinstance(title, dict) else title)
            out += _strings(axis.get("ticktext", []))
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    out += [layout.get("coloraxis", {}).get("colorbar", {}).get("title", {}).get("text", "")]
    for trace in figure.get("data", []):
        out += _strings(trace.get("name")) + _strings(trace.get("hovertemplate"))
        out += _strings((trace.get("colorbar") or {}).get("title", {}).get("text"))
        texts = trace.get("text")
        if isinstance(texts, list) and texts and isinstance(texts[0], list):   # a heatmap's hover cells
            out += [texts[0][0]] if texts[0] else []
        elif isinstance(texts, list) and texts and isinstance(texts[0], str):
            out += texts
    return out


def page_texts(at) -> list[str]:
    """Every string the page shows (see the module's docstring for what is left out)."""
    out: list[str] = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind in ("code", "json", "image", "divider"):
            return
        if kind in ("expandable", "expander", "tab"):
            out.append(getattr(node, "label", "") or "")
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            return
        if kind == "plotly_chart":
            out.extend(_plot_texts(proto.spec))
            return
        if kind in ("arrow_data_frame", "table", "dataframe"):
            frame = node.value
            out.extend(str(c) for c in frame.columns)
            out.extend(v for v in frame.to_numpy().ravel() if isinstance(v, str))   # a cell nobody translated
            return
        for field, value in proto.ListFields():
            if field.name == "options":   # strings, or a button group's options (their `content`)
                out.extend(v if isinstance(v, str) else getattr(v, "content", "") for v in value)
            elif field.name in ("label", "help", "body", "placeholder", "caption", "message"):
                out.extend(_strings(value))
        if kind == "exception":
            out.append("exception: " + node.message)

    walk(at._tree)
    return [s for s in out if s and s.strip()]


def english_on(at, skip=frozenset()) -> list[str]:
    """The page's texts holding an English phrase: `text  <-  phrase`, for a failing assertion. `skip`:
    exact strings to pass over wherever they appear (words another module does not translate yet)."""
    names = _names()
    found = []
    for text in page_texts(at):
        for word in sorted(skip, key=len, reverse=True):   # whole words only: "age" is not in "MessagePack"
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", text)
        phrase = english(text, names)
        if phrase:
            found.append(f"{text[:160]!r}  <-  {phrase!r}")
    return found

