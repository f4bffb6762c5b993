"""Hypothesis strategies: JSON records every format (and every inferred schema) can hold."""
from hypothesis import strategies as st

from formats._thrift_schema import RESERVED

# words no schema language lets a field be called (union of Avro/Protobuf/Thrift/XML concerns)
KEYWORDS = {
    "binary", "bool", "byte", "bytes", "const", "double", "enum", "exception", "extend", "extends",
    "extensions", "false", "fixed32", "fixed64", "float", "group", "i8", "i16", "i32", "i64", "import",
    "include", "int32", "int64", "list", "map", "max", "message", "namespace", "oneof", "option",
    "optional", "package", "public", "repeated", "required", "reserved", "returns", "rpc", "senum",
    "service", "set", "sfixed32", "sfixed64", "sint32", "sint64", "slist", "stream", "string", "struct",
    "syntax", "throws", "to", "true", "typedef", "uint32", "uint64", "union", "void", "weak", "xml",
    "oneway", "cpp_include", "async", "null", "record", "array", "boolean", "long", "int", "fixed",
    "type", "name", "in", "is", "not", "and", "or", "def", "class", "from", "return", "yield",
    "lambda", "pass", "none", "self", "global", "with", "as", "if", "else", "elif", "while", "for",
    "try", "except", "finally", "raise", "del", "assert", "break", "continue", "nonlocal", "await",
    "import", "print", "exec", "nan", "inf",
}

# and Thrift's reserved words (thriftpy2 refuses `new`, `end`, `this`, … in any IDL)
_RESERVED = KEYWORDS | {word.lower() for word in RESERVED}

field_names = st.from_regex(r"[a-z][a-zA-Z0-9]{0,9}", fullmatch=True).filter(
    lambda s: s.lower() not in _RESERVED and not s.lower().startswith("xml"))

INT64 = st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1)
# text with no control characters (XML 1.0 cannot hold most of them; tested separately)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
doubles = st.floats(allow_nan=False, allow_infinity=False, width=64)

scalars = st.one_of(texts, INT64, doubles, st.booleans())


def homogeneous_lists(max_size=6):
    """Lists of one scalar type (schema languages need one item type)."""
    return st.one_of(st.lists(texts, max_size=max_size), st.lists(INT64, max_size=max_size),
                     st.lists(doubles, max_size=max_size), st.lists(st.booleans(), max_size=max_size))


def _unique_keys(values, min_size=1, max_size=6):
    return st.dictionaries(field_names, values, min_size=min_size, max_size=max_size).filter(
        lambda d: len({k.replace("_", "").lower() for k in d}) == len(d))


def records(max_depth=2, nulls=True):
    """A JSON object: scalars, homogeneous lists, nested records, lists of same-shaped records."""
    leaf = st.one_of(scalars, homogeneous_lists(), st.none()) if nulls else st.one_of(
        scalars, homogeneous_lists())
    if max_depth <= 0:
        return _unique_keys(leaf)
    inner = records(max_depth - 1, nulls)
    same_shape_list = inner.flatmap(lambda r: st.lists(st.just(r), min_size=1, max_size=3))
    return _unique_keys(st.one_of(leaf, leaf, inner, same_shape_list))
