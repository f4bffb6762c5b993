"""Pasted bytes in every form tools print them (issue 11, item 1): hex with any separator, 0x and \\x
prefixes, C arrays, Python literals, xxd / hexdump -C / Wireshark dumps, hex streams, base64.
Text made of hex pairs and separators is never read as base64, and the reading is always named."""
import base64
import shutil
import subprocess

import pytest

import formats
from formats.pasted import read_pasted
from tests.support import format_error

BOOK = bytes.fromhex("0a064d617274696e10b90a1a0b646179647265616d696e671a076861636b696e67")   # figure 4-4


def tool(*command: str, data: bytes) -> str:
    """The real tool's output (xxd and hexdump come with Debian; .ci/run installs them)."""
    assert shutil.which(command[0]), f"{command[0]} is missing: apt-get install xxd bsdextrautils"
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def wireshark_dump(data: bytes) -> str:
    """Wireshark's "Copy as Hex Dump": a 4-digit offset, 3 spaces, 16 bytes, 3 spaces, the text."""
    rows = []
    for at in range(0, len(data), 16):
        row = data[at:at + 16]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        rows.append(f"{at:04x}   {' '.join(f'{b:02x}' for b in row):<47}   {text}")
    return "\n".join(rows)


# the forms a student meets, each with the words the reading is named by
FORMS = {
    "spaces": (lambda d: d.hex(" "), "hex separated by spaces"),
    "colons": (lambda d: d.hex(":"), "hex separated by colons"),
    "dashes": (lambda d: d.hex("-").upper(), "hex separated by dashes"),      # msgpack-test-suite, .NET
    "commas": (lambda d: ",".join(f"{b:02x}" for b in d), "hex separated by commas"),
    "0x values": (lambda d: " ".join(f"0x{b:02X}" for b in d), "0x.. values"),
    "C array": (lambda d: "uint8_t data[] = {" + ", ".join(f"0x{b:02x}" for b in d) + "};", "a C array"),
    "\\x escapes": (lambda d: "".join(f"\\x{b:02x}" for b in d), "\\x.. escapes"),
    "Python literal": (repr, "a Python bytes literal"),
    "xxd": (lambda d: tool("xxd", data=d), "an xxd dump"),
    "xxd -g1": (lambda d: tool("xxd", "-g1", data=d), "an xxd dump"),
    "hexdump -C": (lambda d: tool("hexdump", "-C", data=d), "a hexdump -C dump"),
    "Wireshark dump": (wireshark_dump, "a hex dump"),
    "hex stream": (lambda d: d.hex(), "one hex string"),                        # Wireshark "as a Hex Stream"
    "base64": (lambda d: base64.b64encode(d).decode(), "base64"),
}


def paste(form: str, data: bytes) -> tuple[str, str]:
    """The text of `data` in `form`, and the reading a student picks for it: "auto", or "base64" for
    base64 that happens to be made of hex digits only (auto reads such text as hex)."""
    text = FORMS[form][0](data)
    hex_shaped = set(text) <= set("0123456789abcdefABCDEF")
    return text, "base64" if form == "base64" and hex_shaped else "auto"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("data", [BOOK, b"\x81\xa1\x61\x01", b"\x00", b"cafe", bytes(range(256))],
                         ids=["book", "msgpack", "one byte", "hex-like text", "every byte"])
def test_every_form_gives_the_bytes_and_names_its_reading(form, data):
    reading = FORMS[form][1]
    if len(data) == 1 and reading.startswith("hex separated"):
        reading = "one hex string"   # one byte has no separator to name
    text, encoding = paste(form, data)
    pasted = read_pasted(text, encoding)
    assert pasted.data == data, (form, text[:80])
    assert pasted.reading.startswith(reading)
    assert pasted.summary().endswith(f"{len(data):,} byte{'s' * (len(data) != 1)}.")


def test_dashed_hex_is_never_read_as_base64url():
    """`81-a1-61-01` is also valid base64url (it decodes to 10 other bytes): pairs and separators
    are hex."""
    assert base64.urlsafe_b64decode("81-a1-61-01==")   # the misreading the lab used to make
    assert read_pasted("81-a1-61-01").data == bytes.fromhex("81a16101")
    assert read_pasted("gaFhAQ").reading == "base64"   # the same bytes in base64 are still base64


def test_the_student_can_insist_on_a_reading():
    assert read_pasted("CAFE", "base64").data == base64.b64decode("CAFE")
    assert read_pasted("CAFE").data == bytes.fromhex("cafe")
    assert read_pasted("0a 06", "hex").data == b"\n\x06"


def test_dumps_of_part_of_a_file_and_dumps_whose_text_looks_like_hex():
    tail = "\n".join(tool("xxd", "-s", "16", data=BOOK).splitlines())   # starts at offset 0x10
    assert read_pasted(tail).data == BOOK[16:]
    for data in (b"cafe", b"deadbeef" * 3, b"ab  cd" * 5):
        assert read_pasted(tool("xxd", data=data)).data == data
        assert read_pasted(tool("hexdump", "-C", data=data)).data == data


@pytest.mark.parametrize("text,needle", [
    ("0a 06 zz", "hex digit 5 is 'z'"),
    ("0a0", "odd number of hex digits"),
    ("0a 6 4d", "odd number of hex digits"),
    ("0x0a 0x106", "has 3 digits"),
    ("b'\\xg0'", "Python cannot read it"),
    ("00000000: 0a06 4d61  ..Ma\n00000010: 7274  rt", "line 1 of the dump holds 4 bytes, but the next line's "
                                                      "offset says 16"),
    ("00000010: 0a06  ..\n00000000: 7274  rt", "line 2 of the dump has an offset that is not after line 1's"),
    ("hello, world!", "neither hex nor valid base64"),
    ("   ", "nothing to decode"),
])
def test_bad_pastes_say_what_is_wrong(text, needle):
    assert needle in format_error(read_pasted, text).message


def test_a_pasted_form_is_walked_like_any_bytes():
    walked = formats.annotate("protobuf", read_pasted(tool("hexdump", "-C", data=BOOK)).data)
    assert walked.spans[0].label == "field tag 1, wire type 2 (length-delimited)"
