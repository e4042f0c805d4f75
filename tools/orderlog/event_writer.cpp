#include "tools/orderlog/event_writer.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "engine/price.hpp"

namespace gpux {

namespace {

// Decimal integers without a loop or a branch on their length: eight digits are built in one
// word from a table of digit pairs, and the word is shifted to drop the leading zeros.
// std::to_chars divides by 100 in one chain (9 steps for the 19 digits of a ts), and a
// branch per length mispredicted on quantities and ids: integers were 6% of a replay.
static_assert(std::endian::native == std::endian::little, "digits are built first byte lowest");

constexpr auto kPairs = [] {
  std::array<std::uint16_t, 100> t{};
  for (int i = 0; i < 100; ++i) t[static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(('0' + i / 10) | ('0' + i % 10) << 8);
  return t;
}();

// v < 10^8: its 8 digits with leading zeros, the first in the lowest byte.
std::uint64_t eight_digits(std::uint32_t v) {
  const std::uint32_t hi = v / 10000, lo = v % 10000;
  return kPairs[hi / 100] | std::uint64_t{kPairs[hi % 100]} << 16 | std::uint64_t{kPairs[lo / 100]} << 32 |
         std::uint64_t{kPairs[lo % 100]} << 48;
}

// v < 10^8, without leading zeros. Stores 8 bytes whatever the length.
char* up_to_8(char* p, std::uint32_t v) {
  const int n = 1 + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000) + (v >= 100000) + (v >= 1000000) +
                (v >= 10000000);
  const std::uint64_t w = eight_digits(v) >> (8 * (8 - n));
  std::memcpy(p, &w, 8);
  return p + n;
}

char* eight(char* p, std::uint32_t v) {
  const std::uint64_t w = eight_digits(v);
  std::memcpy(p, &w, 8);
  return p + 8;
}

// At most 20 bytes; stores up to 24.
char* decimal(char* p, std::int64_t value) {
  std::uint64_t v = static_cast<std::uint64_t>(value);
  if (value < 0) {
    *p++ = '-';
    v = 0 - v;
  }
  constexpr std::uint64_t k8 = 100000000;
  if (v < k8) return up_to_8(p, static_cast<std::uint32_t>(v));
  if (v < k8 * k8) return eight(up_to_8(p, static_cast<std::uint32_t>(v / k8)), static_cast<std::uint32_t>(v % k8));
  const std::uint64_t rest = v % (k8 * k8);
  p = up_to_8(p, static_cast<std::uint32_t>(v / (k8 * k8)));  // below 1845: 2^64 < 1.85 * 10^19
  return eight(eight(p, static_cast<std::uint32_t>(rest / k8)), static_cast<std::uint32_t>(rest % k8));
}

constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighs = 0x8080808080808080;

std::uint64_t zero_byte(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// True when no byte of the word needs escaping: none below 0x20, no '"', no '\\'. Bytes of
// 0x80 and above (UTF-8) pass. Exact as a whole-word test (Bit Twiddling Hacks' hasless).
bool plain_word(std::uint64_t w) {
  return ((w - kOnes * 0x20) & ~w & kHighs) == 0 && zero_byte(w ^ (kOnes * '"')) == 0 &&
         zero_byte(w ^ (kOnes * '\\')) == 0;
}

// Whole words only: a tail assembled byte by byte in memory and read back as a word stalls store
// forwarding (15 cycles, 70% of this function). The last word overlaps the one before instead.
bool plain(std::string_view s) {
  const char* d = s.data();
  const std::size_t n = s.size();
  std::uint64_t w;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, d + i, 8);
      if (!plain_word(w)) return false;
    }
    std::memcpy(&w, d + n - 8, 8);
    return plain_word(w);
  }
  if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, d, 4);
    std::memcpy(&hi, d + n - 4, 4);
    return plain_word(lo | std::uint64_t{hi} << 32);
  }
  w = kOnes * 'a';
  for (std::size_t i = 0; i < n; ++i) w = w << 8 | static_cast<unsigned char>(d[i]);
  return plain_word(w);
}

// Writes `s` quoted and escaped at `p`, at most 2 + 6 * s.size() bytes; returns the end.
// Names, cl_ids and symbols almost never need escaping: checked 8 bytes at a time and copied
// whole, where the byte-by-byte loop below was 8% of a replay.
char* escape(std::string_view s, char* p) {
  static constexpr char hex[] = "0123456789abcdef";
  *p++ = '"';
  if (plain(s)) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
    *p++ = '"';
    return p;
  }
  for (const char c : s) {
    switch (c) {
      case '"': *p++ = '\\'; *p++ = '"'; break;
      case '\\': *p++ = '\\'; *p++ = '\\'; break;
      case '\n': *p++ = '\\'; *p++ = 'n'; break;
      case '\r': *p++ = '\\'; *p++ = 'r'; break;
      case '\t': *p++ = '\\'; *p++ = 't'; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::memcpy(p, "\\u00", 4);
          p[4] = hex[(c >> 4) & 0xf];
          p[5] = hex[c & 0xf];
          p += 6;
        } else {
          *p++ = c;
        }
    }
  }
  *p++ = '"';
  return p;
}

// One event's JSON object is built in a stack buffer and appended to the output in one piece:
// replay speed is mostly event formatting, and per-field string appends dominated it. The write
// position is a local passed along (p = field(p, ...)): as a member of an object whose buffer
// is written through char*, it went to memory and back on every byte written, half the writer's
// time. Each key is one literal with its quotes, colon and leading comma (the first key is
// always "type").

// The longest event, every string at its longest (an account 32 bytes, a cl_id 36, a symbol
// 64) and escaped to six bytes a byte, is under 2 KB.
constexpr std::size_t kEventBytes = 4096;

template <std::size_t N>
char* lit(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + N - 1;
}

template <std::size_t N>
char* str(char* p, const char (&key)[N], std::string_view v) {
  return escape(v, lit(p, key));
}

// A value that is one of the engine's names (an event type, a reason, a side...): lower-case
// identifiers that never need escaping.
template <std::size_t N>
char* name(char* p, const char (&key)[N], std::string_view v) {
  p = lit(p, key);
  *p++ = '"';
  std::memcpy(p, v.data(), v.size());
  p += v.size();
  *p++ = '"';
  return p;
}

template <std::size_t N>
char* num(char* p, const char (&key)[N], std::int64_t v) {
  return decimal(lit(p, key), v);
}

template <std::size_t N>
char* price(char* p, const char (&key)[N], Price v) {
  p = lit(p, key);
  *p++ = '"';
  p += format_price(v, p);
  *p++ = '"';
  return p;
}

template <std::size_t N>
char* money(char* p, const char (&key)[N], I128 v) {
  p = lit(p, key);
  *p++ = '"';
  p += format_money(v, p);
  *p++ = '"';
  return p;
}

template <std::size_t N>
char* boolean(char* p, const char (&key)[N], bool v) {
  p = lit(p, key);
  return v ? lit(p, "true") : lit(p, "false");
}

}  // namespace

void append_int(std::int64_t v, std::string& out) {
  char buf[32];
  out.append(buf, decimal(buf, v));
}

void append_money(I128 units, std::string& out) {
  char buf[kMoneyChars];
  out.append(buf, format_money(units, buf));
}

void write_json_string(std::string_view s, std::string& out) {
  const std::size_t at = out.size();
  out.resize(at + 2 + 6 * s.size());
  out.resize(static_cast<std::size_t>(escape(s, out.data() + at) - out.data()));
}

void write_event(const Event& e, const Engine& names, std::string& out) {
  char buf[kEventBytes];
  char* p = name(buf, "{\"type\":", to_string(e.type));
  p = num(p, ",\"seq\":", e.seq);
  p = num(p, ",\"ts\":", e.ts);
  switch (e.type) {
    case EventType::accepted:
      p = num(p, ",\"order_id\":", e.order_id);
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"cl_id\":", e.cl_id.view());
      p = str(p, ",\"instrument\":", names.symbol(e.instrument));
      p = name(p, ",\"side\":", to_string(e.side));
      p = name(p, ",\"order_type\":", to_string(e.order_type));
      p = price(p, ",\"price\":", e.price);
      p = num(p, ",\"qty\":", e.qty);
      p = name(p, ",\"tif\":", to_string(e.tif));
      if (e.tif == Tif::gtd) p = num(p, ",\"expire_ts\":", e.expire_ts);
      p = boolean(p, ",\"post_only\":", e.post_only);
      if (e.has_min_qty) p = num(p, ",\"min_qty\":", e.min_qty);
      if (e.has_display_qty) p = num(p, ",\"display_qty\":", e.display_qty);
      p = name(p, ",\"stp\":", to_string(e.stp));
      if (e.divisible) p = boolean(p, ",\"divisible\":", true);
      break;
    case EventType::rejected:
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"cl_id\":", e.cl_id.view());
      p = name(p, ",\"reason\":", to_string(e.reason));
      break;
    case EventType::trade:
      p = num(p, ",\"match\":", e.match);
      p = str(p, ",\"instrument\":", names.symbol(e.instrument));
      p = price(p, ",\"price\":", e.price);
      p = num(p, ",\"qty\":", e.qty);
      p = num(p, ",\"buy_order_id\":", e.buy_order_id);
      p = num(p, ",\"sell_order_id\":", e.sell_order_id);
      p = str(p, ",\"buy_account\":", names.account_name(e.buy_account));
      p = str(p, ",\"sell_account\":", names.account_name(e.sell_account));
      p = name(p, ",\"aggressor\":", to_string(e.aggressor));
      p = num(p, ",\"buy_leaves\":", e.buy_leaves);
      p = num(p, ",\"sell_leaves\":", e.sell_leaves);
      break;
    case EventType::canceled:
    case EventType::expired:
      p = num(p, ",\"order_id\":", e.order_id);
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"cl_id\":", e.cl_id.view());
      if (e.has_instrument) p = str(p, ",\"instrument\":", names.symbol(e.instrument));
      p = num(p, ",\"leaves\":", e.leaves);
      p = name(p, ",\"reason\":", to_string(e.reason));
      break;
    case EventType::replaced:
      p = num(p, ",\"order_id\":", e.order_id);
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"cl_id\":", e.cl_id.view());
      p = price(p, ",\"price\":", e.price);
      p = num(p, ",\"qty\":", e.qty);
      p = name(p, ",\"priority\":", e.priority_kept ? "kept" : "lost");
      break;
    case EventType::cancel_rejected:
    case EventType::replace_rejected:
      p = str(p, ",\"account\":", names.account_name(e.account));
      if (e.has_cl_id) p = str(p, ",\"cl_id\":", e.cl_id.view());
      if (e.has_order_id) p = num(p, ",\"order_id\":", e.order_id);
      p = name(p, ",\"reason\":", to_string(e.reason));
      break;
    case EventType::halted:
    case EventType::resumed:
      p = e.target_is_instrument ? str(p, ",\"instrument\":", e.target.view()) : str(p, ",\"product\":", e.target.view());
      break;
    case EventType::killed:
    case EventType::unkilled:
      p = str(p, ",\"account\":", names.account_name(e.account));
      break;
    case EventType::risk:
      p = name(p, ",\"mode\":", e.risk_on ? "on" : "off");
      break;
    case EventType::deposited:
    case EventType::withdrawn:
    case EventType::deposit_rejected:
    case EventType::withdraw_rejected:
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"instrument\":", e.target.view());
      p = num(p, ",\"qty\":", e.qty);
      if (e.type == EventType::deposit_rejected || e.type == EventType::withdraw_rejected)
        p = name(p, ",\"reason\":", to_string(e.reason));
      break;
    case EventType::funded:
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = price(p, ",\"amount\":", e.amount);
      p = money(p, ",\"cash\":", e.cash);
      break;
    case EventType::fund_rejected:
      p = str(p, ",\"account\":", names.account_name(e.account));
      p = str(p, ",\"amount\":", e.target.view());
      p = name(p, ",\"reason\":", to_string(e.reason));
      break;
  }
  p = lit(p, "}\n");
  out.append(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace gpux
