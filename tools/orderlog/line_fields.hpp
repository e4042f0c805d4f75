// The first step of decoding an order-log line (docs/order-log.md): the JSON is checked whole and
// the value of each field the format knows is taken as found, its JSON type and its text or
// number, before any rule of the format is applied (command_parser.cpp does that).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gpux {

// Every field name of the format, of any command type. A new one goes here, in kNames and in
// slot()'s switch (line_fields.cpp); a test checks that each name is found.
enum class Key : std::uint8_t {
  type, seq, ts, account, cl_id, instrument, side, order_type, price, qty, tif, expire_ts, post_only,
  divisible, min_qty, display_qty, stp, order_id, new_cl_id, product, mode, amount,
};
inline constexpr std::size_t kKeyCount = static_cast<std::size_t>(Key::amount) + 1;

// What simdjson's DOM API would give for the value: `uint64` is an integer above int64 max;
// `other_number` a float, or an integer simdjson keeps as a double (beyond uint64).
enum class Kind : std::uint8_t { absent, string, int64, uint64, other_number, boolean, null, array, object };

struct Value {
  Kind kind;
  bool flag;            // boolean
  std::int64_t number;  // int64
  std::string_view text;  // string: unescaped, valid until the next scan
};

// The values of one line: a key that appears twice counts with its first occurrence, as
// simdjson's dom::object::at_key finds it; keys the format does not know are checked as JSON
// and dropped.
struct LineFields {
  Value values[kKeyCount];
  const Value& operator[](Key k) const { return values[static_cast<std::size_t>(k)]; }
};

std::string_view key_name(Key k);

// Bytes a caller of LineScanner::scan_padded leaves readable after the line (SIMDJSON_PADDING:
// simdjson reads whole 64-byte blocks and peeks past a document's last byte).
inline constexpr std::size_t kLinePadding = 64;

// How lines are read: `on_demand` (simdjson's on-demand API, the DOM parser only for a line it
// cannot take) or `dom` (every line through simdjson's DOM parser: the reference the on-demand
// path must agree with, tests/tools/orderlog/test_command_parser.cpp; 1.5x slower).
enum class Decoder : std::uint8_t { on_demand, dom };

class LineScanner {
 public:
  explicit LineScanner(Decoder decoder = Decoder::on_demand);
  ~LineScanner();
  LineScanner(const LineScanner&) = delete;
  LineScanner& operator=(const LineScanner&) = delete;

  // Fills `out` from a line that is not blank, followed by kLinePadding readable bytes of any
  // content. False when the line is not JSON or not an object, with the message the DOM parser
  // gives: "not valid JSON: <simdjson's message>" or "a command must be a JSON object".
  bool scan_padded(std::string_view line, LineFields& out, std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gpux
