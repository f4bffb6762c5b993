// A user profile: enums travel as i32 numbers (their names never do), roles are a set,
// and maps carry one key type and one value type for all their entries.

enum Status {
  ACTIVE = 1,
  SUSPENDED = 2,
  CLOSED = 3
}

enum Role {
  VIEWER = 1,
  EDITOR = 2,
  ADMIN = 3
}

struct Profile {
  1: required i64 userId,
  2: optional Status status,
  3: optional set<Role> roles,
  4: optional map<string, string> preferences,
  5: optional map<string, i64> loginCounts
}
