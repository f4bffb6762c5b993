"""buf, the reference breaking-change checker for Protobuf, on a pair of .proto versions.

The buf CLI comes from the `buf-bin` wheel (requirements.txt): a static binary for Linux
x86-64, so it runs on Community Cloud and offline. `breaking(old, new)` writes the two
texts into a private temp dir (one folder each, a buf.yaml per folder), runs
`buf breaking new --against old` with the WIRE_JSON category (which holds WIRE) and
returns buf's rule ids and messages, each marked WIRE (breaks the binary encoding) or
JSON only (breaks Protobuf's JSON mapping, which carries names). Results are cached by
the pair, in a cache bounded in bytes. If the binary is missing or cannot run, the report
says so (`available` False) and the page falls back to the rule table.

buf judges the change from old to new as a whole, for generated code as well as for the
wire; the lab's rule table judges each direction on the bytes. `differences` says, one
sentence per rule, where the two part ways and why.
"""
import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass

from formats.errors import FormatError
from i18n import Text

CATEGORIES = ("WIRE", "WIRE_JSON")
CACHE_BYTES = 2_000_000        # the pairs and reports kept, in bytes of text
_LARGEST_CACHED = 200_000      # a pair bigger than this is checked but not kept
_TIMEOUT_S = 30
_CONFIG = "version: v2\nbreaking:\n  use:\n    - WIRE\n    - WIRE_JSON\n"
_FILE = "user.proto"


@dataclass(frozen=True)
class BufFinding:
    rule: str       # buf's rule id, e.g. FIELD_SAME_ONEOF
    message: str    # buf's own message (English: buf's words, quoted as they are)
    wire: bool      # in the WIRE category (the binary encoding); False: WIRE_JSON only (the JSON mapping)


@dataclass(frozen=True)
class BufReport:
    """What `buf breaking` said about one change. `available` False: buf did not run (`problem` says
    why); a build failure is also a `problem`, with `available` True."""
    available: bool
    findings: tuple[BufFinding, ...] = ()
    problem: str = ""

    @property
    def wire(self) -> tuple[BufFinding, ...]:
        return tuple(f for f in self.findings if f.wire)

    @property
    def json_only(self) -> tuple[BufFinding, ...]:
        return tuple(f for f in self.findings if not f.wire)

    @property
    def verdict(self) -> str:
        """buf's answer in its own words, for the WIRE category."""
        if not self.available or self.problem:
            return Text("ev.buf.verdict.not_run")
        return Text("ev.buf.verdict.breaking" if self.wire else "ev.buf.verdict.not_breaking")


def executable() -> str | None:
    """The buf binary: beside this interpreter's scripts (where pip puts buf-bin's), else on PATH."""
    path = os.pathsep.join(p for p in (sysconfig.get_path("scripts"), os.environ.get("PATH", "")) if p)
    return shutil.which("buf", path=path)


def breaking(old_text: str, new_text: str) -> BufReport:
    """buf's WIRE and WIRE_JSON findings for the change from `old_text` to `new_text` (.proto texts
    that formats.protobuf has already compiled: they import nothing buf cannot find)."""
    key = (old_text, new_text)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        running = _running.get(key)
        if running is None:
            running = _running[key] = threading.Event()
            mine = True
        else:
            mine = False
    if not mine:   # a whole class opened the same link: one run, the others wait for it
        running.wait(_TIMEOUT_S * 2)
        with _lock:
            if key in _cache:
                return _cache[key]
        return _run(old_text, new_text)
    try:
        report = _run(old_text, new_text)
        _keep(key, report)
        return report
    finally:
        with _lock:
            _running.pop(key, None)
        running.set()


_lock = threading.Lock()
_cache: "OrderedDict[tuple[str, str], BufReport]" = OrderedDict()
_cache_bytes = [0]
_running: dict[tuple[str, str], threading.Event] = {}


def _size(key, report: BufReport) -> int:
    return len(key[0]) + len(key[1]) + len(report.problem) + sum(len(f.message) + 40 for f in report.findings)


def _keep(key, report: BufReport) -> None:
    size = _size(key, report)
    if size > _LARGEST_CACHED or not report.available:   # a missing binary may be installed later
        return
    with _lock:
        if key in _cache:
            return
        _cache[key] = report
        _cache_bytes[0] += size
        while _cache_bytes[0] > CACHE_BYTES:
            old_key, old = _cache.popitem(last=False)
            _cache_bytes[0] -= _size(old_key, old)


def _run(old_text: str, new_text: str) -> BufReport:
    buf = executable()
    if buf is None:
        return BufReport(False, problem=Text("ev.buf.not_installed"))
    try:
        wire_rules = _wire_rules(buf)
    except FormatError as e:
        return BufReport(False, problem=e.message)
    with tempfile.TemporaryDirectory(prefix="buf-") as tmp:
        for name, text in (("old", old_text), ("new", new_text)):
            os.mkdir(os.path.join(tmp, name))
            for file, content in (("buf.yaml", _CONFIG), (_FILE, text)):
                with open(os.path.join(tmp, name, file), "w", encoding="utf-8") as f:
                    f.write(content)
        try:
            done = subprocess.run([buf, "breaking", "new", "--against", "old", "--error-format", "json"],
                                  cwd=tmp, env=_environment(tmp), capture_output=True, text=True,
                                  timeout=_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as e:
            return BufReport(False, problem=Text("ev.buf.could_not_run", error=type(e).__name__))
    if done.returncode not in (0, 100):   # 100: breaking changes found
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        return BufReport(True, problem=Text("ev.buf.could_not_build", message=_readable(first, tmp)))
    findings = []
    for line in done.stdout.splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        rule, message = item.get("type", ""), _readable(item.get("message", ""), tmp)
        if rule == "COMPILE":   # formats.protobuf compiled both first, so this is buf's stricter reading
            version = "v1" if item.get("path", "").startswith("old") else "v2"
            return BufReport(True, problem=Text("ev.buf.could_not_build_at", version=version,
                                                line=item.get("start_line", "?"), message=message))
        findings.append(BufFinding(rule, message, rule in wire_rules))
    return BufReport(True, tuple(findings))


def _readable(text: str, tmp: str) -> str:
    """buf's words with the temp dir and folder names turned into the versions' names."""
    return (text.replace(tmp + os.sep, "").replace(f"new/{_FILE}", "the new version")
            .replace(f"old/{_FILE}", "the old version"))


def _environment(tmp: str) -> dict:
    """No network, no user config: buf's cache and home inside the private temp dir."""
    return {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "BUF_TOKEN": ""}


_wire_rules_cache: list[frozenset] = []


def _wire_rules(buf: str) -> frozenset:
    """The rule ids buf puts in its WIRE category (asked once; the list comes from buf itself)."""
    if _wire_rules_cache:
        return _wire_rules_cache[0]
    with tempfile.TemporaryDirectory(prefix="buf-") as tmp:
        try:
            done = subprocess.run([buf, "config", "ls-breaking-rules", "--version", "v2", "--format", "json"],
                                  cwd=tmp, env=_environment(tmp), capture_output=True, text=True,
                                  timeout=_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise FormatError(Text("ev.buf.could_not_run", error=type(e).__name__)) from None
    if done.returncode != 0:
        raise FormatError(Text("ev.buf.no_rules"))
    rules = set()
    for line in done.stdout.splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "WIRE" in item.get("categories", ()):
            rules.add(item["id"])
    _wire_rules_cache.append(frozenset(rules))
    return _wire_rules_cache[0]


# --- where buf and the rule table part ways ---------------------------------------------------------------

_TYPE_RULES = {"wire-type-mismatch", "zigzag-mismatch", "message-mismatch", "bytes-to-checked-string",
               "fixed-reinterpreted", "varint-narrowed", "int-to-enum", "tag-reused"}
# buf's WIRE rule -> the table's rules that raise the same concern
_COVERS = {
    "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED": {"tag-not-reserved", "tag-changed", "tag-reused"},
    "FIELD_SAME_ONEOF": {"oneof-merged"},
    "FIELD_WIRE_COMPATIBLE_TYPE": _TYPE_RULES,
    "FIELD_WIRE_COMPATIBLE_CARDINALITY": {"repeated-to-singular", "wire-type-mismatch", "required-missing",
                                          "required-not-guaranteed"},
    "MESSAGE_SAME_REQUIRED_FIELDS": {"required-missing", "required-not-guaranteed"},
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED": {"enum-value-unknown"},
}
# buf flags it, the table finds the reads fine: (a table rule in the verdicts, or None for any) -> why
# (the message ev.buf.only.<why>)
_BUF_ONLY = {
    "FIELD_SAME_ONEOF": [(None, "oneof")],
    "FIELD_WIRE_COMPATIBLE_TYPE": [("enum-to-int", "enum_int"), ("int-to-open-enum", "enum_int"),
                                   ("string-bytes", "string_bytes"), ("message-as-bytes", "message_as_bytes"),
                                   (None, "type")],
    "FIELD_WIRE_COMPATIBLE_CARDINALITY": [(None, "cardinality")],
    "MESSAGE_SAME_REQUIRED_FIELDS": [(None, "required")],
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED": [(None, "enum_value_deleted")],
    "FIELD_SAME_DEFAULT": [(None, "default")],
    "FILE_SAME_PACKAGE": [(None, "package")],
    "RESERVED_MESSAGE_NO_DELETE": [(None, "reserved")],
    "RESERVED_ENUM_NO_DELETE": [(None, "reserved_enum")],
}
# the table flags it, buf does not: why buf lets it through (the message ev.buf.table.<rule>)
_TABLE_ONLY = {"varint-narrowed", "fixed-reinterpreted", "bytes-to-checked-string", "enum-value-unknown",
               "repeated-to-singular", "int-to-enum", "wire-type-mismatch", "zigzag-mismatch", "oneof-merged",
               "tag-not-reserved", "tag-changed"}


def differences(report: BufReport, verdicts) -> list[Text]:
    """One sentence per rule where buf's WIRE verdict and the rule table's (`verdicts`: the static
    Verdicts of both directions of the same pair) part ways; [] when they agree or buf did not run."""
    if not report.available or report.problem:
        return []
    findings = [f for v in verdicts for f in v.rules]
    concerns = {f.rule for f in findings if f.status != "compatible" or f.rule == "tag-not-reserved"}
    every = {f.rule for f in findings}
    buf_rules = {f.rule for f in report.wire}
    out = []
    for rule in sorted(buf_rules):
        if concerns & _COVERS.get(rule, set()):
            continue
        reasons = _BUF_ONLY.get(rule, [(None, "no_counterpart")])
        why = next(why for table_rule, why in reasons if table_rule is None or table_rule in every)
        out.append(Text("ev.buf.buf_reports", rule=rule, why=Text(f"ev.buf.only.{why}", rule=rule)))
    for rule in sorted(concerns):
        if any(rule in _COVERS.get(b, ()) for b in buf_rules):
            continue
        out.append(Text("ev.buf.table_reports", rule=rule,
                        why=Text(f"ev.buf.table.{rule}" if rule in _TABLE_ONLY else "ev.buf.table.other")))
    return out


def json_only_note(report: BufReport) -> Text | None:
    """Why buf's JSON-only findings do not touch the bytes this lab reads."""
    rules = sorted({f.rule for f in report.json_only})
    if not rules:
        return None
    return Text("ev.buf.json_only", rules=", ".join(rules))
