"""Python's pickle (protocols 0 to 5, as the standard library's pickletools documents them).

The opcode table itself is the library's (`pickletools.opcodes`); these are the facts the walk adds:
which opcodes build plain values, and which import or call code.
"""
PROTOCOL = 5   # pinned: the default differs between Python versions (4 up to 3.13), and so would the bytes
# opcodes that import a global (a class, a function) or call one: unpickling them runs code
CODE = {"GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "REDUCE", "NEWOBJ", "NEWOBJ_EX", "BUILD", "EXT1", "EXT2",
        "EXT4", "PERSID", "BINPERSID"}
# opcodes that hand an out-of-band buffer to the unpickler (protocol 5): no bytes of their own to read
BUFFERS = {"NEXT_BUFFER", "READONLY_BUFFER"}
MEMO_STORE = {"PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE"}
MEMO_GET = {"GET", "BINGET", "LONG_BINGET"}
# how an argument's length is written (pickletools.ArgumentDescriptor.n) -> its struct format
LENGTH_PREFIX = {-2: "<B", -3: "<i", -4: "<I", -5: "<Q"}
FIXED = {"BININT1": "<B", "BININT2": "<H", "BININT": "<i", "BINFLOAT": ">d", "PROTO": "<B", "FRAME": "<Q",
         "BINPUT": "<B", "LONG_BINPUT": "<I", "BINGET": "<B", "LONG_BINGET": "<I", "EXT1": "<B", "EXT2": "<H",
         "EXT4": "<i"}
