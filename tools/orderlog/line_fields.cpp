#include "tools/orderlog/line_fields.hpp"

#include <bit>
#include <cstring>
#include <new>
#include <utility>

#include <simdjson.h>

namespace gpux {

static_assert(kLinePadding == simdjson::SIMDJSON_PADDING);
static_assert(std::endian::native == std::endian::little, "has_backslash reads bytes first byte lowest");

namespace {

namespace dom = simdjson::dom;
namespace od = simdjson::ondemand;

constexpr std::string_view kNames[kKeyCount] = {
    "type",    "seq",     "ts",          "account", "cl_id",    "instrument", "side",      "order_type",
    "price",   "qty",     "tif",         "expire_ts", "post_only", "divisible", "min_qty", "display_qty",
    "stp",     "order_id", "new_cl_id",  "product", "mode",     "amount",
};

// The key's slot, or nullptr for a key the format does not know. By length first: one or two
// comparisons a key instead of up to 22.
Value* slot(LineFields& f, std::string_view k) {
  auto at = [&](Key key) -> Value* {
    return k == kNames[static_cast<std::size_t>(key)] ? &f.values[static_cast<std::size_t>(key)] : nullptr;
  };
  switch (k.size()) {
    case 2: return at(Key::ts);
    case 3: return k[0] == 's' ? (k[1] == 'e' ? at(Key::seq) : at(Key::stp)) : k[0] == 'q' ? at(Key::qty) : at(Key::tif);
    case 4: return k[0] == 't' ? at(Key::type) : k[0] == 's' ? at(Key::side) : at(Key::mode);
    case 5: return k[0] == 'c' ? at(Key::cl_id) : at(Key::price);
    case 6: return at(Key::amount);
    case 7: return k[0] == 'a' ? at(Key::account) : k[0] == 'm' ? at(Key::min_qty) : at(Key::product);
    case 8: return at(Key::order_id);
    case 9: return k[0] == 'e' ? at(Key::expire_ts) : k[0] == 'p' ? at(Key::post_only)
                 : k[0] == 'd' ? at(Key::divisible) : at(Key::new_cl_id);
    case 10: return k[0] == 'i' ? at(Key::instrument) : at(Key::order_type);
    case 11: return at(Key::display_qty);
    default: return nullptr;
  }
}

void clear(LineFields& f) {
  for (Value& v : f.values) v.kind = Kind::absent;
}

// The on-demand path. simdjson's on-demand API checks only what it is asked to read, where the DOM
// parser checked the whole line (an unknown field's `[1 2]`, a `tru`, a `"\x"` escape, trailing
// bytes). So every value is read here, known or not: each string unescaped, each number parsed,
// each atom spelled out, arrays and objects walked to their end. Any error, or anything unusual
// (nesting deeper than kMaxDepth), returns false and the DOM parser takes the line: it finds the
// same error and gives its own message. The on-demand path is only ever the fast way to the DOM
// parser's answer.
constexpr int kMaxDepth = 32;

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Most values are plain: a string without escapes, an integer of at most 19 digits. Those are
// read here from the token as it lies in the line (the value and the white space up to the next
// token): simdjson's get_string copies every string and get_number parses digit by digit, 45%
// of the scan. An integer is left for the object's iterator to step over, one token. Any other
// spelling goes to simdjson, which decides (and finds any error).
// A backslash among the `n` bytes at `p`, 8 at a time: the line's padding covers the reads past
// `n`, and std::string_view::find (memchr) cost ~20 ns a call, six calls a line.
bool has_backslash(const char* p, std::size_t n) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    w ^= kOnes * '\\';
    // The high bit of each byte that was a backslash (Bit Twiddling Hacks' haszero: a byte above
    // a real hit may be flagged too, never one below, so dropping the bytes past `n` is exact).
    std::uint64_t hits = (w - kOnes) & ~w & kHighs;
    if (n - i < 8) hits &= (std::uint64_t{1} << (8 * (n - i))) - 1;
    if (hits != 0) return true;
  }
  return false;
}

bool plain_string(std::string_view token, std::string_view& out) {
  std::size_t end = token.size();
  while (end > 1 && json_space(token[end - 1])) --end;
  if (end < 2 || token[end - 1] != '"') return false;
  if (has_backslash(token.data() + 1, end - 2)) return false;
  out = token.substr(1, end - 2);  // UTF-8 and control characters were checked by stage 1, as for the DOM parser
  return true;
}

bool digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Eight digits at `p` at once (SWAR, as simdjson's parse_eight_digits_unrolled): a 19-digit ts
// digit by digit was 9% of a line's scan.
bool eight_digits(const char* p, std::uint64_t& out) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if (((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) != 0x3333333333333333)
    return false;
  v = (v & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8;
  v = (v & 0x00FF00FF00FF00FF) * 6553601 >> 16;
  out = (v & 0x0000FFFF0000FFFF) * 42949672960001 >> 32;
  return true;
}

// "-0", a leading zero, a fraction or exponent, or a value outside int64 is simdjson's to read.
// Reads up to 20 bytes past the token's start: the line's padding covers that, and a run of
// digits never crosses a token's end (a token ends where white space or punctuation begins).
bool plain_integer(std::string_view token, std::int64_t& out) {
  const bool negative = token[0] == '-';
  const char* const first = token.data() + (negative ? 1 : 0);
  const char* p = first;
  std::uint64_t v = 0;  // 19 digits stay below 2^64
  std::uint64_t eight;
  while (p - first < 16 && eight_digits(p, eight)) {
    v = v * 100000000 + eight;
    p += 8;
  }
  while (p - first < 20 && digit(*p)) v = v * 10 + static_cast<unsigned char>(*p++ - '0');
  const auto digits = p - first;
  if (digits == 0 || digits > 19 || (*first == '0' && (digits > 1 || negative))) return false;
  for (const char* end = token.data() + token.size(); p < end; ++p)
    if (!json_space(*p)) return false;
  constexpr std::uint64_t kMax = std::uint64_t{1} << 63;  // INT64_MAX + 1
  if (negative ? v > kMax : v >= kMax) return false;
  out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

// The key as written when it has no escapes (nearly always), else unescaped by simdjson. A string
// always ends in an unescaped quote (stage 1 refuses an unclosed one), so the scan stops.
bool field_key(od::field& f, std::string_view& key) {
  const char* k = f.key().raw();
  std::size_t n = 0;
  while (k[n] != '"' && k[n] != '\\') ++n;
  if (k[n] == '"') {
    key = std::string_view(k, n);
    return true;
  }
  return f.unescaped_key().get(key) == simdjson::SUCCESS;
}

bool walk(od::value v, int depth);

bool read(od::value v, Value& out, int depth) {
  const std::string_view token = v.raw_json_token();
  if (token[0] == '"' && plain_string(token, out.text)) {
    // Stepped over, not left for the iterator: skipping an unread string that a ':' follows,
    // simdjson takes it for a key and walks on, so {"a": "b":1} would pass.
    out.kind = Kind::string;
    od::raw_json_string raw;
    return v.get_raw_json_string().get(raw) == simdjson::SUCCESS;
  }
  if ((token[0] == '-' || static_cast<unsigned char>(token[0] - '0') < 10) && plain_integer(token, out.number)) {
    out.kind = Kind::int64;
    return true;
  }
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case od::json_type::string:
      out.kind = Kind::string;
      return v.get_string().get(out.text) == simdjson::SUCCESS;
    case od::json_type::number: {
      od::number n;
      if (v.get_number().get(n) != simdjson::SUCCESS) return false;
      switch (n.get_number_type()) {
        case od::number_type::signed_integer:
          out.kind = Kind::int64;
          out.number = n.get_int64();
          return true;
        case od::number_type::unsigned_integer: out.kind = Kind::uint64; return true;
        case od::number_type::floating_point_number: out.kind = Kind::other_number; return true;
      }
      return false;
    }
    case od::json_type::boolean:
      out.kind = Kind::boolean;
      return v.get_bool().get(out.flag) == simdjson::SUCCESS;
    case od::json_type::null: {
      out.kind = Kind::null;
      bool is_null = false;
      return v.is_null().get(is_null) == simdjson::SUCCESS && is_null;
    }
    case od::json_type::array:
      out.kind = Kind::array;
      return walk(v, depth);
    case od::json_type::object:
      out.kind = Kind::object;
      return walk(v, depth);
  }
  return false;
}

// Reads a value nobody keeps (an unknown field's, a repeated key's, an array element) to its end.
bool walk(od::value v, int depth) {
  if (depth >= kMaxDepth) return false;
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return false;
  if (type == od::json_type::array) {
    od::array a;
    if (v.get_array().get(a) != simdjson::SUCCESS) return false;
    for (auto element : a) {
      od::value e;
      if (std::move(element).get(e) != simdjson::SUCCESS || !walk(e, depth + 1)) return false;
    }
    return true;
  }
  if (type == od::json_type::object) {
    od::object o;
    if (v.get_object().get(o) != simdjson::SUCCESS) return false;
    for (auto field : o) {
      std::string_view key;
      if (field.error() != simdjson::SUCCESS || !field_key(field.value_unsafe(), key)) return false;
      if (!walk(field.value_unsafe().value(), depth + 1)) return false;
    }
    return true;
  }
  Value ignored;
  return read(v, ignored, depth);
}

bool scan_on_demand(od::parser& parser, std::string_view line, LineFields& out) {
  od::document doc;
  if (parser.iterate(simdjson::padded_string_view(line, line.size() + kLinePadding)).get(doc) != simdjson::SUCCESS)
    return false;
  od::object o;
  if (doc.get_object().get(o) != simdjson::SUCCESS) return false;
  for (auto field : o) {
    // Used where it lies: moving the field out of its simdjson_result (`.get(f)`) cost a
    // store-forwarding stall a field, 10% of the scan.
    std::string_view key;
    if (field.error() != simdjson::SUCCESS || !field_key(field.value_unsafe(), key)) return false;
    Value* v = slot(out, key);
    od::value value = field.value_unsafe().value();
    if (!(v != nullptr && v->kind == Kind::absent ? read(value, *v, 1) : walk(value, 1))) return false;
  }
  // Bytes after the object ("{...} x", "{...}{...}") are the DOM parser's TAPE_ERROR. simdjson
  // 3.0 has no document::at_end(); raw_json() of the read document ends where the next token
  // starts, or at the line's end when there is none.
  std::string_view whole;
  if (doc.raw_json().get(whole) != simdjson::SUCCESS) return false;
  const auto end = static_cast<std::size_t>(whole.data() + whole.size() - line.data());
  if (end > line.size()) return false;
  for (std::size_t i = end; i < line.size(); ++i)
    if (!json_space(line[i])) return false;
  return true;
}

void from_dom(dom::element e, Value& out) {
  switch (e.type()) {
    case dom::element_type::STRING:
      out.kind = Kind::string;
      out.text = e.get_string().value_unsafe();
      break;
    case dom::element_type::INT64:
      out.kind = Kind::int64;
      out.number = e.get_int64().value_unsafe();
      break;
    case dom::element_type::UINT64: out.kind = Kind::uint64; break;
    case dom::element_type::DOUBLE: out.kind = Kind::other_number; break;
    case dom::element_type::BOOL:
      out.kind = Kind::boolean;
      out.flag = e.get_bool().value_unsafe();
      break;
    case dom::element_type::NULL_VALUE: out.kind = Kind::null; break;
    case dom::element_type::ARRAY: out.kind = Kind::array; break;
    case dom::element_type::OBJECT: out.kind = Kind::object; break;
  }
}

}  // namespace

std::string_view key_name(Key k) { return kNames[static_cast<std::size_t>(k)]; }

struct LineScanner::Impl {
  Decoder decoder;
  od::parser on_demand;
  dom::parser dom;
};

LineScanner::LineScanner(Decoder decoder) : impl_(std::make_unique<Impl>()) {
  impl_->decoder = decoder;
  // Room for 64 KiB lines up front: the parser reallocates only for a longer line, so a log's
  // lines cost no allocation after the first.
  if (impl_->on_demand.allocate(64 * 1024) != simdjson::SUCCESS) throw std::bad_alloc();
}

LineScanner::~LineScanner() = default;

bool LineScanner::scan_padded(std::string_view line, LineFields& out, std::string& error) {
  clear(out);
  if (impl_->decoder == Decoder::on_demand && scan_on_demand(impl_->on_demand, line, out)) return true;
  clear(out);
  dom::element doc;
  if (const auto err = impl_->dom.parse(line.data(), line.size()).get(doc); err != simdjson::SUCCESS) {
    error = std::string("not valid JSON: ") + simdjson::error_message(err);
    return false;
  }
  dom::object o;
  if (doc.get_object().get(o) != simdjson::SUCCESS) {
    error = "a command must be a JSON object";
    return false;
  }
  for (const dom::key_value_pair field : o) {
    Value* v = slot(out, field.key);
    if (v != nullptr && v->kind == Kind::absent) from_dom(field.value, *v);
  }
  return true;
}

}  // namespace gpux
