"""Python's pickle: the standard library writes; pickletools.genops disassembles; a walk labels every byte.

Pickle is a program for a small stack machine, not a description of data: opcodes push values,
build containers, remember objects in a memo and, for anything beyond plain values, import a
global by its module path (GLOBAL, STACK_GLOBAL) and call it (REDUCE, NEWOBJ, BUILD). Unpickling
runs that program, so bytes from anyone else can call `os.system` (the pickle documentation's own
warning). Here no bytes are ever unpickled: `annotate` walks the opcodes that `pickletools.genops`
(the library's disassembler) reads, and `read` rebuilds a plain value by running only the opcodes
that build dicts, lists, strings and numbers; an opcode that imports or calls code is refused with
its byte offset. (The Language-specific formats page unpickles bytes the lab wrote itself, with an
allow-list: evolution.pickled.)
"""
import pickle
import pickletools
import struct
from dataclasses import dataclass

from formats import paths
from formats.base import Format
from formats.errors import FormatError
from formats.facts.pickle import BUFFERS, CODE, FIXED, LENGTH_PREFIX, MEMO_GET, MEMO_STORE, PROTOCOL
from formats.record import MAX_DEPTH
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text

MAX_NODES = 200_000   # a memo reference repeats an object: a few bytes can name a huge tree
_TEXT_ARG = -1        # pickletools.UP_TO_NEWLINE: protocol 0's text arguments end with a newline


@dataclass(frozen=True)
class Code:
    """What an opcode that imports or calls code would have pushed: only a description (`target`, such
    as posix.system), with what the opcode would do (`text`) and where it is."""
    text: str
    offset: int
    target: str

    def __repr__(self):
        return self.target


class PickleFormat(
        Format, id="pickle", title="Python pickle",
        spends=Text("fmt.spends.pickle")):

    def write(self, record, schema_text=None):
        try:
            return pickle.dumps(record, protocol=PROTOCOL)
        except (pickle.PicklingError, TypeError, RecursionError) as e:
            raise FormatError(Text("err.pickle.write", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        walk = _Walk(data)
        walk.program()
        return walk.finish()

    def read(self, data, schema_text=None, writer_schema_text=None):
        walk = _Walk(data)
        value = walk.program()
        walk.finish()
        if walk.code is not None:
            raise FormatError(Text("err.pickle.code", offset=walk.code.offset, code=walk.code.text), offset=walk.code.offset)
        _check_tree(value)
        return Decoded(_plain(value), notes=[
            "Rebuilt from the disassembly by running only the opcodes that build plain values; pickle.loads "
            "was never called (it would import and call whatever the bytes name)."])


LOOKAHEAD = 6   # opcodes a label looks past its own: where it ends, and _class_path_role's STACK_GLOBAL


def _run(data: bytes, stop: int | None = None):
    """The opcodes genops reads (opcode, argument, position), the machine that ran them, and the error
    that stopped genops, if any. With `stop` (a page of bytes pickle.dumps wrote), only as far as
    the labels of the opcodes before `stop` need: LOOKAHEAD opcodes past it, and on until the machine
    is sure where every value they pushed goes (_Machine.unsure)."""
    ops, machine, last = [], _Machine(writer=stop is not None), None
    try:
        for i, op in enumerate(pickletools.genops(data)):
            ops.append(op)
            machine.step(i, op)
            if stop is not None and op[2] > stop:
                last = i - 1 if last is None else last   # the opcode holding byte `stop`
                if i - last >= LOOKAHEAD and not machine.unsure_up_to(last):
                    break
    except ValueError as e:   # truncated, an unknown opcode, a bad argument (UnicodeDecodeError included)
        return ops, machine, str(e)
    return ops, machine, None


BATCH = 1000   # pickle writes a container's items in batches of 1000: a shorter batch is the last


class _Item:
    """A value on the machine's stack and the record path it goes to: `parent` and `key` once a container
    took it, else the path foreseen when it was pushed (`path`), so that a broken pickle's prefix is
    labelled as the whole one. `is_key`: it is a dict key; `open`: a container that may receive items.

    The foreseen path is kept as the container foreseen (`base`) and the `step` into it (a list index,
    a key's text, or None for the container's own path), and spelt when asked: a 1 MB record pushes
    ~110,000 items, and the walk of one page asks for a few dozen paths."""
    __slots__ = ("value", "base", "step", "is_key", "open", "parent", "key", "_path", "index")

    def __init__(self, value, open: bool = False, index: int = -1):
        self.value, self.open = value, open
        self.base: "_Item | None" = None   # set by _Machine.place before the item is pushed
        self.step, self.is_key, self._path = None, False, ""
        self.parent: "_Item | None" = None   # where the item really went, once a container took it
        self.key = None
        self.index = index   # the opcode that pushed it

    @property
    def path(self) -> str:
        chain, at = [], self   # iterative: a crafted pickle may nest far deeper than a record
        while at._path is None:
            chain.append(at)
            at = at.base if at.base is not None else _ROOT
        path = at._path
        for item in reversed(chain):
            path = item._path = path if item.step is None else paths.join(path, (item.step,))
        return path


_ROOT = _Item(None)   # the path "" (the result itself)


class _Machine:
    """Pickle's stack machine, running only what builds plain values: every other opcode pushes a
    `Code` description instead of importing or calling anything. `pushed[i]` is the item opcode i
    pushed (or the container it filled); `error` is (opcode index, message) if the program is broken.

    `writer`: the program is pickle.dumps output for a record, so where a value goes is foreseen by how
    that writer writes (see `place`), and `unsure` holds the values whose place is not yet certain."""

    def __init__(self, writer: bool = False):
        self.writer = writer
        self.unsure: set[_Item] = set()   # writer: pushed into an open container it may not go to
        self.stack: list[_Item] = []
        # beside each stack entry, the index of the topmost open item at or below it (-1: none), so
        # that `slot` finds the open container without looking through a batch's 1000 items each push
        self.open_at: list[int] = []
        self.marks: list[int] = []
        self.memo: dict[int, _Item] = {}
        self.pushed: dict[int, _Item] = {}
        self.memo_index: dict[int, int] = {}
        self.code: dict[int, Code] = {}
        self.error: tuple[int, str] | None = None
        self.result: _Item | None = None

    def step(self, i: int, op) -> None:
        """Run opcode i, unless the program broke before it."""
        if self.error is None:
            opcode, arg, pos = op
            try:
                self.run(i, opcode.name, arg, pos)
            except _Broken as e:
                self.error = (i, e.args[0])

    def unsure_up_to(self, last: int) -> bool:
        """Whether a value pushed by opcode `last` or before may still go elsewhere than foreseen."""
        return any(item.index <= last for item in self.unsure)

    def run(self, i: int, name: str, arg, pos: int) -> None:
        if name in _PLAIN:   # a string, bytes or a number: most of a record's opcodes, so asked first
            self.push(i, _CONSTANTS.get(name, arg))
            return
        if name in ("PROTO", "FRAME"):
            return
        if name == "STOP":
            self.result = self.pop(1, name)[0]
        elif name in MEMO_STORE:
            index = len(self.memo) if name == "MEMOIZE" else arg
            self.memo[index], self.memo_index[i] = self.peek(name), index
        elif name in MEMO_GET:
            if arg not in self.memo:
                raise _Broken(Text("err.pickle.memo", name=name, n=arg))
            self.push(i, self.memo[arg].value, fresh=False)
        elif name == "MARK":
            self.marks.append(len(self.stack))
        elif name == "POP":
            self.pop(1, name)
        elif name == "POP_MARK":
            self.pop_mark(name)
        elif name == "DUP":
            self.push(i, self.peek(name).value, fresh=False)
        elif name in ("EMPTY_DICT", "EMPTY_LIST", "EMPTY_TUPLE", "EMPTY_SET"):
            self.push(i, {"EMPTY_DICT": {}, "EMPTY_LIST": [], "EMPTY_TUPLE": (), "EMPTY_SET": set()}[name])
        elif name in ("SETITEM", "SETITEMS", "APPEND", "APPENDS", "ADDITEMS"):
            items = self.pop_mark(name) if name.endswith("S") else self.pop(2 if name == "SETITEM" else 1, name)
            self.fill(self.peek(name), items, name)
            self.pushed[i] = self.peek(name)
        elif name in ("DICT", "LIST", "TUPLE", "FROZENSET", "TUPLE1", "TUPLE2", "TUPLE3"):
            count = {"TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3}.get(name)
            items = self.pop_mark(name) if count is None else self.pop(count, name)
            built = self.push(i, {} if name == "DICT" else [] if name == "LIST" else set() if name == "FROZENSET"
                              else tuple(item.value for item in items))
            if name == "FROZENSET":
                try:
                    built.value = frozenset(item.value for item in items)
                except TypeError:   # a list or a dict among the items
                    raise _Broken(Text("err.pickle.unhashable", name=name)) from None
            elif isinstance(built.value, tuple):
                for index, item in enumerate(items):
                    item.parent, item.key = built, index
            else:
                self.fill(built, items, "SETITEMS" if name == "DICT" else "APPENDS")
        elif name in CODE or name in BUFFERS:
            self.code_op(i, name, arg, pos)
        else:
            raise AssertionError(f"{name} is in no group of opcodes")   # _PLAIN holds every other name

    def code_op(self, i: int, name: str, arg, pos: int) -> None:
        """Pop what the opcode would pop; push a description of what it would have pushed."""
        if name in ("GLOBAL", "INST"):
            module, qualname = arg.split(" ", 1)
            target = f"{module}.{qualname}"
            what = Text(f"err.pickle.does.{name}", target=target)
            if name == "INST":
                self.pop_mark(name)
        elif name == "STACK_GLOBAL":
            module, qualname = (item.value for item in self.pop(2, name))
            target = f"{module}.{qualname}"
            what = Text("err.pickle.does.STACK_GLOBAL", target=target)
        elif name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX"):
            func, args, *_ = (item.value for item in self.pop(3 if name == "NEWOBJ_EX" else 2, name))
            target = repr(func)
            what = Text("err.pickle.does.REDUCE", target=target, args=_shown(args)) if name == "REDUCE" else \
                Text("err.pickle.does.creates", name=name, target=target)
        elif name == "BUILD":
            self.pop(1, name)[0].parent = self.peek(name)   # the object's attributes: its fields
            target, what = "", Text("err.pickle.does.BUILD")
        elif name == "OBJ":
            self.pop_mark(name)
            target, what = "", Text("err.pickle.does.OBJ")
        elif name.startswith("EXT"):
            target, what = Text("err.pickle.extension", n=arg), Text("err.pickle.does.EXT", name=name, n=arg)
        elif name in BUFFERS:
            target, what = Text("err.pickle.a_buffer"), Text("err.pickle.does.buffer", name=name)
        else:   # PERSID, BINPERSID
            if name == "BINPERSID":
                self.pop(1, name)
            target, what = Text("err.pickle.a_persistent"), Text("err.pickle.does.persistent", name=name)
        self.code[i] = Code(what, pos, target)
        if name != "BUILD":
            self.push(i, Code(what, pos, target if name in ("GLOBAL", "STACK_GLOBAL") else Text("err.pickle.result_of", what=what)))

    def fill(self, container: _Item, items: list[_Item], name: str) -> None:
        box = container.value
        if isinstance(box, Code):
            return
        try:
            if isinstance(box, dict) and name.startswith("SETITEM") and len(items) % 2 == 0:
                for k, v in zip(items[::2], items[1::2]):
                    box[k.value] = v.value
                    k.parent, k.key, k.is_key = container, k.value, True
                    v.parent, v.key, v.is_key = container, k.value, False
                    if self.writer:
                        self.settle(k, container, _key_text(k.value), True)
                        self.settle(v, container, _key_text(k.value))
            elif isinstance(box, list) and name.startswith("APPEND"):
                for v in items:
                    v.parent, v.key, v.is_key = container, len(box), False
                    if self.writer:
                        self.settle(v, container, len(box))
                    box.append(v.value)
            elif isinstance(box, set) and name == "ADDITEMS":
                box.update(v.value for v in items)
            elif isinstance(box, dict) and name.startswith("SETITEM"):
                raise _Broken(Text("err.pickle.odd", name=name, n=len(items)))
            else:
                raise _Broken(Text(f"err.pickle.below.{'dict' if 'SET' in name else 'list'}", name=name,
                                   found=type(box).__name__))
        except TypeError:
            raise _Broken(Text("err.pickle.key", name=name)) from None
        # a batch shorter than pickle's writes is its last: the container is whole
        container.open = len(items) // (2 if isinstance(box, dict) else 1) >= BATCH
        if self.stack and self.stack[-1] is container:   # it always is: filled on top of the stack
            below = self.open_at[-2] if len(self.open_at) > 1 else -1
            self.open_at[-1] = len(self.stack) - 1 if container.open else below

    def push(self, i: int, value, fresh: bool = True) -> _Item:
        """Push a value; `fresh`: a new one (not a memo reference), so an empty container is open."""
        item = self.pushed[i] = _Item(value, open=fresh and isinstance(value, (dict, list, set)) and not value, index=i)
        self.place(item)
        return item

    def stack_up(self, item: _Item) -> None:
        self.stack.append(item)
        self.open_at.append(len(self.stack) - 1 if item.open else self.open_at[-1] if self.open_at else -1)

    def place(self, item: _Item) -> None:
        """Push the item where it is foreseen to go (`slot`).

        For pickle.dumps output (`writer`) the foresight is made certain by how that writer writes: a
        container's items come right after it, in batches of 1000 after a MARK, and a last batch of one
        (one item, or one key and value) without a MARK, taken at once by APPEND or SETITEM. So an item
        pushed into an open container (empty, or its last batch had 1000 items) stays `unsure` until a
        container takes it; a push beyond one item or pair shows that the container was whole and the
        items above it are not its (`refute`); a container that takes items settles where they went.
        A loop, not recursion: refuting one empty container can refute the one below it, and a record may
        hold thousands in a row ([[], [], ..., "x", "y"])."""
        waiting = [item]   # items to place, the next on top
        while waiting:
            item = waiting.pop()
            base, step, is_key, j, via_open = self.slot()
            if self.writer and via_open and \
                    len(self.stack) - j - 1 >= (2 if isinstance(self.stack[j].value, dict) else 1):
                waiting.append(item)
                waiting.extend(reversed(self.refute(j)))
                continue
            item.base, item.step, item.is_key = base, _key_text(item.value) if is_key else step, is_key
            item._path = "" if base is None and step is None else None
            if self.writer:
                if via_open:
                    self.unsure.add(item)
                else:
                    self.unsure.discard(item)
            self.stack_up(item)

    def refute(self, j: int) -> list[_Item]:
        """Writer: the open container at stack[j] takes nothing more: close it, and take the items above
        it off the stack, to be placed again."""
        container, above = self.stack[j], self.stack[j + 1:]
        container.open = False
        del self.stack[j:], self.open_at[j:]
        self.stack_up(container)
        return above

    def settle(self, item: _Item, container: _Item, step, is_key: bool = False) -> None:
        """Writer: the container took the item: it goes where it went."""
        item.base, item.step, item.is_key, item._path = container, step, is_key, None
        self.unsure.discard(item)

    def slot(self) -> tuple["_Item | None", object, bool, int | None, bool]:
        """Where the value about to be pushed goes (the container and the step into it, as _Item keeps
        them): into the open container nearest the top (above the topmost mark), else into the container
        just below that mark, after the items already waiting; True if it will be that dict's key.
        Outside any container: no container (the path "", the result itself). Then the container's
        index on the stack, and True if it was chosen as the open one."""
        start = self.marks[-1] if self.marks else 0
        j = self.open_at[-1] if self.open_at and self.open_at[-1] >= start else None
        via_open = j is not None
        if j is None and start and isinstance(self.stack[start - 1].value, (dict, list, set)):
            j = start - 1
        if j is None:
            return None, None, False, None, False
        container, pending = self.stack[j], len(self.stack) - j - 1
        if isinstance(container.value, list):
            return container, len(container.value) + pending, False, j, via_open
        if isinstance(container.value, set) or pending % 2 == 0:
            return container, None, not isinstance(container.value, set), j, via_open
        return container, _key_text(self.stack[-1].value), False, j, via_open

    def peek(self, name: str) -> _Item:
        return self.pop(1, name, keep=True)[0]

    def pop(self, n: int, name: str, keep: bool = False) -> list[_Item]:
        if len(self.stack) - (self.marks[-1] if self.marks else 0) < n:
            raise _Broken(Text("err.pickle.stack", name=name, n=n))
        items = self.stack[-n:]
        if not keep:
            del self.stack[-n:], self.open_at[-n:]
            self.unsure.difference_update(items)   # taken: where they go is no longer foreseen
        return items

    def pop_mark(self, name: str) -> list[_Item]:
        if not self.marks:
            raise _Broken(Text("err.pickle.mark", name=name))
        m = self.marks.pop()
        items = self.stack[m:]
        del self.stack[m:], self.open_at[m:]
        self.unsure.difference_update(items)
        return items


    def placed(self, item: _Item | None) -> str:
        """The item's path in the result, if containers took it all the way there; else the foreseen one."""
        if item is None:
            return ""
        steps, at, seen = [], item, set()
        while at is not None and at is not self.result and id(at) not in seen:
            seen.add(id(at))
            if at.key is not None or at.is_key:
                steps.append(at.key)
            at = at.parent
        if at is not self.result or self.result is None:
            return item.path
        path = ""
        for key in reversed(steps):
            path = paths.index(path, key) if isinstance(key, int) and not isinstance(key, bool) else \
                paths.key(path, _key_text(key))
        return path


class _Broken(Exception):
    """The program cannot run: what a reader of it would stop at."""


class _Walk(Walker):
    """Labels each opcode and its argument, byte by byte, with the path the machine found for its value."""

    def program(self):
        # A page of bytes pickle.dumps wrote needs only the opcodes up to it and a few past it (see
        # _Machine.place). Any other bytes run whole: a crafted program may place a value far later,
        # and elsewhere (EMPTY_LIST, 1 APPEND, 2 APPEND: the 2 is pushed outside any open container).
        ops, machine, error = _run(self.data, self._stop_after if self._written else None)
        self.code = next(iter(machine.code.values()), None)
        for i, (opcode, arg, pos) in enumerate(ops):
            if machine.error and machine.error[0] == i:
                raise self.fail(Text("err.pickle.at_op", name=opcode.name, message=machine.error[1]))
            self.op(machine, opcode, arg, ops, i)
        if error is not None:
            raise self.fail(self.why_not(error))
        return machine.result.value if machine.result else None

    def why_not(self, error: str) -> str:
        """genops stopped at the opcode after the last whole one (the cursor): say why in words."""
        if self.pos >= len(self.data):
            return Text("err.pickle.no_stop")
        opcode = _OPCODES.get(chr(self.data[self.pos]))
        if opcode is None:
            return Text("err.pickle.opcode", byte=f"0x{self.data[self.pos]:02x}")
        return Text("err.pickle.unreadable", name=opcode.name, message=error)

    def op(self, machine: _Machine, opcode, arg, ops, i: int) -> None:
        name = opcode.name
        end = ops[i + 1][2] if i + 1 < len(ops) else _end(self.data, opcode, self.pos)
        doc = Text(f"fmt.pickle.op.{name}")   # the first line of pickletools' own description
        item = machine.pushed.get(i)
        path = machine.placed(item)
        if name in ("PROTO", "FRAME"):
            self.span(end, "header", f"{name} {arg}", "", Text("fmt.pickle.proto" if name == "PROTO" else "fmt.pickle.doc",
                                                               name=name, doc=doc))
        elif name == "STOP":
            self.span(end, "terminator", "STOP", "", Text("fmt.pickle.stop"))
        elif name in MEMO_STORE:
            stored = machine.memo.get(machine.memo_index.get(i))
            self.span(end, "punctuation", Text("fmt.pickle.memo_as", name=name, n=machine.memo_index.get(i)),
                      machine.placed(stored), Text("fmt.pickle.memo_note"))
        elif name in MEMO_GET:
            self.span(end, "name" if item.is_key else "tag", Text("fmt.pickle.memo_again", n=arg, value=_shown(item.value)),
                      path, Text("fmt.pickle.memo_again_note", name=name, n=arg))
        elif i in machine.code:
            self.code_op(machine, name, arg, end, doc, path, i)
        elif item is not None and not isinstance(item.value, (dict, list, tuple, set, frozenset)) and \
                name not in ("DUP",) and opcode.arg is not None:   # not a container filled with a Code
            self.value(opcode, arg, end, doc, path, item, _class_path_role(ops, i))
        else:
            self.span(end, "type" if name.startswith("EMPTY") else "punctuation", name, path,
                      Text("fmt.pickle.doc", name=name, doc=doc))

    def value(self, opcode, arg, end: int, doc: str, path: str, item: _Item, role: str | None) -> None:
        """An opcode that pushes a string, bytes or a number, its argument labelled byte by byte."""
        name = opcode.name
        role = role or ("key" if item.is_key else None)
        kind = "name" if role else "value"
        where = Text(f"fmt.pickle.role.{role}") if role else path or Text("fmt.pickle.the_record")
        note = Text("fmt.at", where=where, note=doc)
        if name in ("NONE", "NEWTRUE", "NEWFALSE"):
            self.take(1, kind, name, path, note, scalar={"NONE": "const:null", "NEWTRUE": "const:true",
                                                         "NEWFALSE": "const:false"}[name])
            return
        self.take(1, "type", name, path, note)
        if opcode.arg.n == _TEXT_ARG:   # protocol 0: the argument is text up to a newline
            self.take(end - self.pos, kind, f"{name} {_shown(arg)}", path, note, scalar=f"pickle:{name}")
        elif name in FIXED:
            self.take(end - self.pos, kind, f"{_shown(arg)}", path, note, scalar="struct:" + FIXED[name])
        else:
            prefix = LENGTH_PREFIX[opcode.arg.n]
            self.take(struct.calcsize(prefix), "length", lambda n: Text("fmt.length", n=n), path,
                      Text("fmt.pickle.how_many", where=where), scalar="struct:" + prefix)
            scalar = "signed-le" if name.startswith("LONG") else "utf-8" if "UNICODE" in name else "bytes"
            said = Text(f"fmt.pickle.said.{role}") if role else ""
            self.take(end - self.pos, kind, lambda v: (Text("fmt.pickle.said_label", said=said, text=_shown(v)) if said
                                                       else preview(v) if isinstance(v, str) else
                                                       f"{v}" if isinstance(v, int) else Text("fmt.bytes", n=len(v))),
                      path, Text("fmt.pickle.value_bytes", where=where), scalar=scalar,
                      what=Text("fmt.pickle.argument_of", name=name))

    def code_op(self, machine: _Machine, name: str, arg, end: int, doc: str, path: str, i: int) -> None:
        """An opcode that imports or calls: labelled with what it would do, never done."""
        code = machine.code[i]
        module = code.target.split(".")[0]
        note = Text(f"fmt.pickle.system.{module}") if module in ("posix", "nt") else ""
        if name in ("GLOBAL", "INST"):
            self.take(1, "type", name, path, Text("fmt.pickle.doc", name=name, doc=doc))
            self.take(end - self.pos, "name", Text("fmt.pickle.class_path", target=code.target), path,
                      Text("fmt.pickle.global_note", note=note), scalar=f"pickle:{name}")
        else:
            self.span(end, "type", code.text, path, Text("fmt.pickle.doc_note", name=name, doc=doc, note=note))


def _end(data: bytes, opcode, pos: int) -> int:
    """Where the opcode at `pos` ends (genops read it whole): after its fixed, length-prefixed or
    newline-terminated argument."""
    n = opcode.arg.n if opcode.arg else 0
    if n >= 0:
        return pos + 1 + n
    if n == _TEXT_ARG:
        end = data.index(b"\n", pos + 1) + 1
        return data.index(b"\n", end) + 1 if opcode.arg.name == "stringnl_noescape_pair" else end
    width = struct.calcsize(LENGTH_PREFIX[n])
    (length,) = struct.unpack_from(LENGTH_PREFIX[n], data, pos + 1)
    return pos + 1 + width + length


_OPCODES = {op.code: op for op in pickletools.opcodes}
# the opcodes that push a string, bytes or a number (NONE, NEWTRUE and NEWFALSE carry no argument):
# all but those _Machine.run handles by name
_CONSTANTS = {"NONE": None, "NEWTRUE": True, "NEWFALSE": False}
_PLAIN = frozenset(op.name for op in pickletools.opcodes) - MEMO_STORE - MEMO_GET - CODE - BUFFERS - {
    "PROTO", "FRAME", "STOP", "MARK", "POP", "POP_MARK", "DUP", "EMPTY_DICT", "EMPTY_LIST", "EMPTY_TUPLE",
    "EMPTY_SET", "SETITEM", "SETITEMS", "APPEND", "APPENDS", "ADDITEMS", "DICT", "LIST", "TUPLE", "FROZENSET",
    "TUPLE1", "TUPLE2", "TUPLE3"}


def _class_path_role(ops, i: int) -> str | None:
    """"module" or "qualname" if the string pushed by ops[i] is taken by a later STACK_GLOBAL (memo
    opcodes between are skipped), as pickle writes a class's path."""
    later = [op.name for op, _, _ in ops[i + 1:i + LOOKAHEAD] if op.name not in MEMO_STORE]
    if later[:1] == ["STACK_GLOBAL"]:
        return "qualname"
    if len(later) > 1 and later[1] == "STACK_GLOBAL" and "UNICODE" in later[0]:
        return "module"
    return None


def _key_text(key) -> str:
    return paths.key_text(key) if isinstance(key, (str, bytes, int, float, bool)) or key is None else repr(key)


def _shown(value) -> str:
    if isinstance(value, str):
        return preview(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _check_tree(value) -> None:
    """A record is a tree: refuse an object that contains itself, one nested too deep, or memo references
    that would expand into more than MAX_NODES values."""
    sizes: dict[int, int] = {}
    stack = [(value, 0, False)]
    open_ids: set[int] = set()
    while stack:
        item, depth, done = stack.pop()
        if not isinstance(item, (dict, list, tuple, set, frozenset)):
            continue
        key = id(item)
        if done:
            open_ids.discard(key)
            children = item.values() if isinstance(item, dict) else item
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[key] > MAX_NODES:
                raise FormatError(Text("err.pickle.too_many", limit=MAX_NODES))
            continue
        if key in open_ids:
            raise FormatError(Text("err.pickle.cycle"))
        if key in sizes:
            continue
        if depth > MAX_DEPTH:
            raise FormatError(Text("err.pickle.too_deep", limit=MAX_DEPTH))
        open_ids.add(key)
        stack.append((item, depth, True))
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1, False) for c in children)


def _plain(value):
    """Tuples and sets as lists (JSON has neither), dict keys as text."""
    if isinstance(value, dict):
        return {_key_text(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


FORMAT = PickleFormat()
