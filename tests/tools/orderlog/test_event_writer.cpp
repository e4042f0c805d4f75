// The event writer's own integer and string formatting (tools/orderlog/event_writer.cpp), which
// replaced std::to_chars and a byte-by-byte escape for speed: the same bytes as those.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tools/orderlog/event_writer.hpp"

namespace {

std::string reference_int(std::int64_t v) {
  char buf[24];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string reference_json(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace

TEST_CASE("event writer: integers as std::to_chars writes them", "[writer]") {
  std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                      -1, 0, 1795251601000000000, 999999999999999999, 1000000000000000000,
                                      1000000000000000001, -1000000000000000000};
  for (std::int64_t p = 1; p <= std::numeric_limits<std::int64_t>::max() / 10; p *= 10)
    for (const std::int64_t v : {p - 1, p, p + 1, 10 * p - 1}) {
      values.push_back(v);
      values.push_back(-v);
    }
  std::mt19937_64 rng(12);
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<std::int64_t>(rng());
    values.push_back(v >> (rng() % 64));
  }
  for (const std::int64_t v : values) {
    std::string out = "x";
    gpux::append_int(v, out);
    REQUIRE(out.substr(1) == reference_int(v));
    REQUIRE(out[0] == 'x');
  }
}

TEST_CASE("event writer: strings escaped as byte by byte", "[writer]") {
  std::mt19937_64 rng(13);
  const char alphabet[] = "ab\"\\\n\r\t\x01\x1f\x7f\xc3\xa9 ~";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const std::size_t n = rng() % 70;
    const bool odd = rng() % 4 == 0;  // most strings need no escaping, as most names do
    for (std::size_t k = 0; k < n; ++k) s += odd ? alphabet[rng() % (sizeof alphabet - 1)] : static_cast<char>('a' + rng() % 26);
    std::string out;
    gpux::write_json_string(s, out);
    REQUIRE(out == reference_json(s));
  }
}
