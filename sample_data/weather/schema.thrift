// A weather observation: integers of every width, a double and multi-byte UTF-8.
// BinaryProtocol writes each integer in its full width; CompactProtocol as a zigzag
// varint, so -52 takes one byte and the i64 limit ten.

struct Observation {
  1: required string station,         // UTF-8: the Cyrillic letters take two bytes each
  2: optional string emoji,           // four bytes per emoji
  3: optional double temperatureC,    // 8 bytes: big-endian in binary, little-endian in compact
  4: optional i16 altitudeM,
  5: optional i32 utcOffsetMinutes,
  6: optional list<i64> readings,
  7: optional bool calibrated
}
