// An order: structs nest (Customer holds an Address) and the lines are a list<OrderLine>.
// Helper structs come first; the record is Order, the struct no other struct uses.

struct Address {
  1: required string street,
  2: required string city,
  3: optional string postcode
}

struct Customer {
  1: required string name,
  2: optional Address address   // a nested struct: its fields, then its own stop byte
}

struct OrderLine {
  1: required string sku,
  2: required i32 quantity,
  3: required double unitPrice   // always 8 bytes
}

struct Order {
  1: required i64 orderId,
  2: required Customer customer,
  3: required list<OrderLine> lines,
  4: optional bool giftWrap,     // compact protocol: the value rides in the field header
  5: optional string note        // "" is still written: a field header and a length of 0
}
