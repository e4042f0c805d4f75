#include "tools/orderlog/event_writer.hpp"

#include <charconv>
#include <cstring>

#include "engine/price.hpp"

namespace gpux {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighs = 0x8080808080808080;

std::uint64_t zero_byte(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// True when no byte of the word needs escaping: none below 0x20, no '"', no '\\'. Bytes of
// 0x80 and above (UTF-8) pass. Exact as a whole-word test (Bit Twiddling Hacks' hasless).
bool plain_word(std::uint64_t w) {
  return ((w - kOnes * 0x20) & ~w & kHighs) == 0 && zero_byte(w ^ (kOnes * '"')) == 0 &&
         zero_byte(w ^ (kOnes * '\\')) == 0;
}

bool plain(std::string_view s) {
  std::size_t i = 0;
  std::uint64_t w;
  for (; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (!plain_word(w)) return false;
  }
  w = kOnes * 'a';
  if (i < s.size()) std::memcpy(&w, s.data() + i, s.size() - i);
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

// One event's JSON object, built in a stack buffer and appended to the output in one piece:
// replay speed is mostly event formatting, and per-field string appends dominated it.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { *p_++ = '{'; }
  ~JsonObject() {
    *p_++ = '}';
    *p_++ = '\n';
    out_.append(buf_, static_cast<std::size_t>(p_ - buf_));
  }

  void str(std::string_view k, std::string_view v) {
    key(k);
    p_ = escape(v, p_);
  }
  // A value that is one of the engine's names (an event type, a reason, a side...): lower-case
  // identifiers that never need escaping.
  void name(std::string_view k, std::string_view v) {
    key(k);
    *p_++ = '"';
    std::memcpy(p_, v.data(), v.size());
    p_ += v.size();
    *p_++ = '"';
  }
  void num(std::string_view k, std::int64_t v) {
    key(k);
    p_ = std::to_chars(p_, p_ + 20, v).ptr;
  }
  void price(std::string_view k, Price p) {
    key(k);
    *p_++ = '"';
    p_ += format_price(p, p_);
    *p_++ = '"';
  }
  void money(std::string_view k, I128 v) {
    key(k);
    *p_++ = '"';
    p_ += format_money(v, p_);
    *p_++ = '"';
  }
  void boolean(std::string_view k, bool v) {
    key(k);
    const std::string_view text = v ? "true" : "false";
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }

 private:
  void key(std::string_view k) {
    if (!first_) *p_++ = ',';
    first_ = false;
    *p_++ = '"';
    std::memcpy(p_, k.data(), k.size());
    p_ += k.size();
    *p_++ = '"';
    *p_++ = ':';
  }

  // The longest event, every string at its longest (an account 32 bytes, a cl_id 36, a symbol
  // 64) and escaped to six bytes a byte, is under 2 KB.
  char buf_[4096];
  char* p_ = buf_;
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void append_int(std::int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
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
  JsonObject j(out);
  j.name("type", to_string(e.type));
  j.num("seq", e.seq);
  j.num("ts", e.ts);
  switch (e.type) {
    case EventType::accepted:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.str("instrument", names.symbol(e.instrument));
      j.name("side", to_string(e.side));
      j.name("order_type", to_string(e.order_type));
      j.price("price", e.price);
      j.num("qty", e.qty);
      j.name("tif", to_string(e.tif));
      if (e.tif == Tif::gtd) j.num("expire_ts", e.expire_ts);
      j.boolean("post_only", e.post_only);
      if (e.has_min_qty) j.num("min_qty", e.min_qty);
      if (e.has_display_qty) j.num("display_qty", e.display_qty);
      j.name("stp", to_string(e.stp));
      if (e.divisible) j.boolean("divisible", true);
      break;
    case EventType::rejected:
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.name("reason", to_string(e.reason));
      break;
    case EventType::trade:
      j.num("match", e.match);
      j.str("instrument", names.symbol(e.instrument));
      j.price("price", e.price);
      j.num("qty", e.qty);
      j.num("buy_order_id", e.buy_order_id);
      j.num("sell_order_id", e.sell_order_id);
      j.str("buy_account", names.account_name(e.buy_account));
      j.str("sell_account", names.account_name(e.sell_account));
      j.name("aggressor", to_string(e.aggressor));
      j.num("buy_leaves", e.buy_leaves);
      j.num("sell_leaves", e.sell_leaves);
      break;
    case EventType::canceled:
    case EventType::expired:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      if (e.has_instrument) j.str("instrument", names.symbol(e.instrument));
      j.num("leaves", e.leaves);
      j.name("reason", to_string(e.reason));
      break;
    case EventType::replaced:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.price("price", e.price);
      j.num("qty", e.qty);
      j.name("priority", e.priority_kept ? "kept" : "lost");
      break;
    case EventType::cancel_rejected:
    case EventType::replace_rejected:
      j.str("account", names.account_name(e.account));
      if (e.has_cl_id) j.str("cl_id", e.cl_id.view());
      if (e.has_order_id) j.num("order_id", e.order_id);
      j.name("reason", to_string(e.reason));
      break;
    case EventType::halted:
    case EventType::resumed:
      j.str(e.target_is_instrument ? "instrument" : "product", e.target.view());
      break;
    case EventType::killed:
    case EventType::unkilled:
      j.str("account", names.account_name(e.account));
      break;
    case EventType::risk:
      j.name("mode", e.risk_on ? "on" : "off");
      break;
    case EventType::deposited:
    case EventType::withdrawn:
    case EventType::deposit_rejected:
    case EventType::withdraw_rejected:
      j.str("account", names.account_name(e.account));
      j.str("instrument", e.target.view());
      j.num("qty", e.qty);
      if (e.type == EventType::deposit_rejected || e.type == EventType::withdraw_rejected)
        j.name("reason", to_string(e.reason));
      break;
    case EventType::funded:
      j.str("account", names.account_name(e.account));
      j.price("amount", e.amount);
      j.money("cash", e.cash);
      break;
    case EventType::fund_rejected:
      j.str("account", names.account_name(e.account));
      j.str("amount", e.target.view());
      j.name("reason", to_string(e.reason));
      break;
  }
}

}  // namespace gpux
