"""User .proto text -> message classes: grpcio-tools' protoc in process, one fresh DescriptorPool per schema.

protoc reads only a private temp directory (holding nothing but `user.proto`) and
grpc_tools' bundled well-known types; it refuses `..` in imports and treats absolute
imports as paths inside those two folders, so a schema cannot read server files.
"""
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass

import grpc_tools
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
# the compiler itself, not grpc_tools.protoc: importing that module installs import hooks
# and appends to sys.path, which a server shared by many sessions should not get
from grpc_tools import _protoc_compiler

from formats.budget import MB, budgeted
from formats.errors import FormatError
from i18n import Text, chain

WELL_KNOWN = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
RECORD_RULE = Text("err.proto.record_rule")

# protoc reports errors on file descriptor 2 from C++; swapping fd 2 is process-wide,
# so compiles (Streamlit sessions are threads) take turns
_FD2_LOCK = threading.Lock()
_LOCATED = re.compile(r"^user\.proto:(\d+):(\d+):\s*(.*)$")
_IMPORTED = re.compile(r"^([^:]+): (.*)$")
# absl's own logging ("WARNING: All log messages before absl::InitializeLog()...", "W0000 00:00...")
_LOG_LINE = re.compile(r"^(WARNING: All log messages|[IWEF]\d{4} )")


@dataclass(frozen=True)
class Schema:
    """A compiled .proto: its own pool, and the record message (the first top-level message)."""
    pool: descriptor_pool.DescriptorPool
    record: object            # google.protobuf Descriptor of the record message
    syntax: str               # "proto2", "proto3" or "editions"

    @property
    def record_class(self):
        return message_factory.GetMessageClass(self.record)


# Measured: a compiled .proto holds ~20 bytes (RSS; the pool lives in C, unseen by tracemalloc) per
# character of its text (62 KB of one-field messages); shared by every session.
BYTES_PER_CHAR = 32


@budgeted(24 * MB, size=lambda schema, text: BYTES_PER_CHAR * len(text))
def compile_schema(text: str) -> Schema:
    """Compile .proto text (FormatError with line and column on a mistake)."""
    files = descriptor_pb2.FileDescriptorSet.FromString(_protoc(text)).file
    pool = descriptor_pool.DescriptorPool()   # never the default pool: it is process-wide
    for file in files:   # --include_imports lists dependencies first
        pool.Add(file)
    user = files[-1]
    if not user.message_type:
        raise FormatError(Text("err.proto.no_message", rule=RECORD_RULE))
    record = pool.FindMessageTypeByName(".".join(filter(None, [user.package, user.message_type[0].name])))
    return Schema(pool, record, user.syntax or "proto2")


def _protoc(text: str) -> bytes:
    """Run protoc on `text` as user.proto; the FileDescriptorSet it writes, or a FormatError."""
    with tempfile.TemporaryDirectory(prefix="proto-") as tmp:
        root = os.path.join(tmp, "src")   # the only user folder protoc sees: just user.proto
        os.mkdir(root)
        source = os.path.join(root, "user.proto")
        with open(source, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(tmp, "set.pb")
        args = ["protoc", f"--proto_path={root}", f"--proto_path={WELL_KNOWN}",
                f"--descriptor_set_out={out}", "--include_imports", source]
        with _FD2_LOCK, tempfile.TemporaryFile() as errors:
            sys.stderr.flush()
            saved = os.dup(2)
            try:
                os.dup2(errors.fileno(), 2)
                status = _protoc_compiler.run_main([a.encode() for a in args])
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            errors.seek(0)
            report = errors.read().decode("utf-8", "replace")
        if status != 0:
            raise _schema_error(report.replace(root + os.sep, "").replace(WELL_KNOWN + os.sep, ""))
        with open(out, "rb") as f:
            return f.read()


def _schema_error(report: str) -> FormatError:
    """protoc's "user.proto:3:12: message" lines as "line 3, column 12: message", first."""
    located, other = [], []
    for raw in report.splitlines():
        raw = raw.strip()
        if not raw or _LOG_LINE.match(raw):
            continue
        at = _LOCATED.match(raw)
        if at and not at[3].startswith("warning:"):
            located.append((int(at[1]), int(at[2]), at[3]))
            continue
        about_import = _IMPORTED.match(raw)
        if about_import and about_import[1] != "user.proto":
            name, problem = about_import.groups()
            other.append(Text("err.proto.import_only", name=name) if problem == "File not found." else
                         Text("err.proto.import", name=name, problem=problem))
    # protoc's own words stay as protoc wrote them: the frame around them is translated
    lines = [Text("err.proto.at", line=line, column=column, message=text) for line, column, text in located] + other
    lines = list(dict.fromkeys(lines))
    message = chain("err.lines", lines) if lines else Text("err.proto.rejected")
    line, column = located[0][:2] if located else (None, None)
    return FormatError(message, line=line, column=column)
