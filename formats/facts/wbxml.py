"""WBXML 1.3 (WAP-192-WBXML-20010725-a, "WAP Binary XML Content Format"): header fields and global tokens."""
VERSION_1_3 = 0x03          # the major version minus one in the high nibble, the minor version in the low one
UNKNOWN_PUBLIC_ID = 0x01    # section 7.2.1: "unknown or missing public identifier" (no document type)
UTF_8 = 106                 # the charset as its IANA MIBenum
# section 7.1: tokens that mean the same in every code page
SWITCH_PAGE, END, ENTITY, STR_I, LITERAL = 0x00, 0x01, 0x02, 0x03, 0x04
EXT_I, PI, LITERAL_C = (0x40, 0x41, 0x42), 0x43, 0x44
EXT_T, STR_T, LITERAL_A = (0x80, 0x81, 0x82), 0x83, 0x84
EXT, OPAQUE, LITERAL_AC = (0xC0, 0xC1, 0xC2), 0xC3, 0xC4
HAS_ATTRIBUTES, HAS_CONTENT = 0x80, 0x40   # section 5.8.2: the two high bits of a tag token
TAG_NAMES = {LITERAL: "LITERAL", LITERAL_C: "LITERAL_C", LITERAL_A: "LITERAL_A", LITERAL_AC: "LITERAL_AC"}
