#include "tools/orderlog/command_parser.hpp"

#include <charconv>
#include <limits>
#include <new>
#include <simdjson.h>

#include "engine/price.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

// Thrown inside parse() only, caught there: keeps each field check a single line.
struct InputError {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw InputError{std::move(message)}; }

std::string quoted(Key key) {
  std::string s = "'";  // built by appends: "'" + std::string(...) trips GCC 12's -Wrestrict
  s += key_name(key);
  s += '\'';
  return s;
}

// The rules of docs/order-log.md "Field types" on the values LineScanner found, with the
// messages they have always had (the DOM parser's answers for the same lines).
class Fields {
 public:
  explicit Fields(const LineFields& values) : v_(values) {}

  bool has(Key key) const { return v_[key].kind != Kind::absent; }

  std::string_view string(Key key) const {
    const Value& v = value(key);
    if (v.kind != Kind::string) fail("field " + quoted(key) + " must be a string");
    return v.text;
  }
  std::int64_t integer(Key key) const {
    const Value& v = value(key);
    if (v.kind == Kind::uint64) fail("field " + quoted(key) + " is outside the 64-bit integer range");
    if (v.kind != Kind::int64) fail("field " + quoted(key) + " must be an integer");
    return v.number;
  }
  bool boolean(Key key) const {
    const Value& v = value(key);
    if (v.kind != Kind::boolean) fail("field " + quoted(key) + " must be true or false");
    return v.flag;
  }

  template <std::size_t N>
  void text(Key key, FixedString<N>& out) const {
    const std::string_view s = string(key);
    if (!out.assign(s)) fail("field " + quoted(key) + " is longer than " + std::to_string(N) + " bytes");
  }
  void account(FixedString<kMaxAccountLen>& out) const {
    const std::string_view s = string(Key::account);
    if (!valid_account(s)) fail("field 'account' must match [A-Za-z0-9_.-]{1,32}");
    out.assign(s);
  }
  void cl_id(Key key, FixedString<kMaxClIdLen>& out) const {
    const std::string_view s = string(key);
    if (!valid_cl_id(s)) fail("field " + quoted(key) + " must be 1-36 printable ASCII characters");
    out.assign(s);
  }

 private:
  const Value& value(Key key) const {
    const Value& v = v_[key];
    if (v.kind == Kind::absent) fail("missing field " + quoted(key));
    return v;
  }

  const LineFields& v_;
};

template <class Enum, std::size_t N>
Enum choice(const Fields& f, Key key, const std::pair<std::string_view, Enum> (&options)[N]) {
  const std::string_view s = f.string(key);
  for (const auto& [name, value] : options)
    if (s == name) return value;
  fail("field " + quoted(key) + " has unknown value '" + std::string(s.substr(0, 40)) + "'");
}

constexpr std::pair<std::string_view, CommandType> kTypes[] = {
    {"new", CommandType::new_order}, {"cancel", CommandType::cancel},
    {"replace", CommandType::replace}, {"mass_cancel", CommandType::mass_cancel},
    {"halt", CommandType::halt},     {"resume", CommandType::resume},
    {"kill", CommandType::kill},     {"unkill", CommandType::unkill},
    {"clock", CommandType::clock},
    // A gpux extension (docs/order-log.md): the gateway's cancel-on-disconnect, so that a
    // journal dumped as a log replays exactly.
    {"disconnect", CommandType::disconnect},
    // SPEC §7, the ledger (docs/ledger.md)
    {"risk", CommandType::risk},     {"deposit", CommandType::deposit},
    {"withdraw", CommandType::withdraw}, {"fund", CommandType::fund},
};
constexpr std::pair<std::string_view, bool> kModes[] = {{"on", true}, {"off", false}};
constexpr std::pair<std::string_view, Side> kSides[] = {{"buy", Side::buy}, {"sell", Side::sell}};
constexpr std::pair<std::string_view, OrderType> kOrderTypes[] = {{"limit", OrderType::limit},
                                                                  {"market", OrderType::market}};
constexpr std::pair<std::string_view, Tif> kTifs[] = {
    {"gtc", Tif::gtc}, {"gtd", Tif::gtd}, {"ioc", Tif::ioc}, {"fok", Tif::fok}};
constexpr std::pair<std::string_view, Stp> kStps[] = {{"cancel_resting", Stp::cancel_resting},
                                                      {"cancel_aggressor", Stp::cancel_aggressor},
                                                      {"cancel_both", Stp::cancel_both}};

PriceField price_field(const Fields& f) {
  PriceField p{true, false, 0};
  p.valid = parse_price(f.string(Key::price), p.value);
  return p;
}

void order_ref(const Fields& f, Command& c) {
  c.has_order_id = f.has(Key::order_id);
  c.has_cl_id = f.has(Key::cl_id);
  if (!c.has_order_id && !c.has_cl_id) fail("needs 'cl_id' or 'order_id'");
  if (c.has_order_id) c.order_id = f.integer(Key::order_id);
  if (c.has_cl_id) f.cl_id(Key::cl_id, c.cl_id);
}

void target(const Fields& f, Command& c, bool required) {
  c.has_instrument = f.has(Key::instrument);
  c.has_product = f.has(Key::product);
  if (required && !c.has_instrument && !c.has_product) fail("needs 'instrument' or 'product'");
  if (c.has_instrument) f.text(Key::instrument, c.instrument);
  if (c.has_product) f.text(Key::product, c.product);
}

void body(const Fields& f, Command& c) {
  switch (c.type) {
    case CommandType::new_order:
      f.account(c.account);
      f.cl_id(Key::cl_id, c.cl_id);
      f.text(Key::instrument, c.instrument);
      c.has_instrument = true;
      c.side = choice(f, Key::side, kSides);
      if (f.has(Key::order_type)) c.order_type = choice(f, Key::order_type, kOrderTypes);
      if (f.has(Key::price)) c.price = price_field(f);
      c.qty = f.integer(Key::qty);
      if ((c.has_tif = f.has(Key::tif))) c.tif = choice(f, Key::tif, kTifs);
      if ((c.has_expire_ts = f.has(Key::expire_ts))) c.expire_ts = f.integer(Key::expire_ts);
      if (f.has(Key::post_only)) c.post_only = f.boolean(Key::post_only);
      if (f.has(Key::divisible)) c.divisible = f.boolean(Key::divisible);
      if ((c.has_min_qty = f.has(Key::min_qty))) c.min_qty = f.integer(Key::min_qty);
      if ((c.has_display_qty = f.has(Key::display_qty))) c.display_qty = f.integer(Key::display_qty);
      if (f.has(Key::stp)) c.stp = choice(f, Key::stp, kStps);
      break;
    case CommandType::cancel:
      f.account(c.account);
      order_ref(f, c);
      break;
    case CommandType::replace:
      f.account(c.account);
      order_ref(f, c);
      if ((c.has_new_cl_id = f.has(Key::new_cl_id))) f.cl_id(Key::new_cl_id, c.new_cl_id);
      c.price = price_field(f);
      c.qty = f.integer(Key::qty);
      break;
    case CommandType::mass_cancel:
      f.account(c.account);
      target(f, c, false);
      break;
    case CommandType::halt:
    case CommandType::resume:
      target(f, c, true);
      break;
    case CommandType::kill:
    case CommandType::unkill:
    case CommandType::disconnect:
      f.account(c.account);
      break;
    case CommandType::clock:
      break;
    case CommandType::risk:
      c.risk_on = choice(f, Key::mode, kModes);
      break;
    case CommandType::deposit:
    case CommandType::withdraw:
      f.account(c.account);
      f.text(Key::instrument, c.instrument);
      c.has_instrument = true;
      c.qty = f.integer(Key::qty);
      break;
    case CommandType::fund:
      f.account(c.account);
      // Kept as given for fund_rejected; whether it is an amount is the engine's call.
      f.text(Key::amount, c.amount_text);
      c.amount.valid = parse_price(c.amount_text.view(), c.amount.value);
      break;
  }
}

template <class Enum, std::size_t N>
std::string_view name_of(Enum value, const std::pair<std::string_view, Enum> (&options)[N]) {
  for (const auto& [name, v] : options)
    if (v == value) return name;
  return "?";
}

// One log line under construction. A field the parser would refuse marks the line failed
// instead of being written, so the caller can drop the line whole.
class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) { out_ += '{'; }

  void str(std::string_view k, std::string_view v) {
    key(k);
    write_json_string(v, out_);
  }
  void num(std::string_view k, std::int64_t v) {
    key(k);
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  }
  void boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
  }
  // An unparsable price is kept unparsable: the engine refuses it as `bad_price` whatever it
  // said, and a replace without a price the same way.
  void price(const PriceField& p) {
    key("price");
    if (!p.present || !p.valid) {
      out_ += "\"invalid\"";
      return;
    }
    char buf[32];
    out_ += '"';
    out_.append(buf, format_price(p.value, buf));
    out_ += '"';
  }

  void account(std::string_view v) {
    if (!valid_account(v)) return fail("account does not match [A-Za-z0-9_.-]{1,32}");
    str("account", v);
  }
  void cl_id(std::string_view k, std::string_view v) {
    if (!valid_cl_id(v)) return fail(std::string(k) + " is not 1-36 printable ASCII characters");
    str(k, v);
  }
  void text(std::string_view k, std::string_view v) {
    if (!simdjson::validate_utf8(v)) return fail(std::string(k) + " is not valid UTF-8");
    str(k, v);
  }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  const std::string& error() const { return error_; }
  void end() { out_ += "}\n"; }

 private:
  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }

  std::string& out_;
  std::string error_;
  bool first_ = true;
};

void write_order_ref(const Command& c, LineWriter& w) {
  if (!c.has_order_id && !c.has_cl_id) return w.fail("needs cl_id or order_id");
  if (c.has_order_id) w.num("order_id", c.order_id);
  if (c.has_cl_id) w.cl_id("cl_id", c.cl_id.view());
}

void write_target(const Command& c, LineWriter& w, bool required) {
  if (required && !c.has_instrument && !c.has_product) return w.fail("needs instrument or product");
  if (c.has_instrument) w.text("instrument", c.instrument.view());
  if (c.has_product) w.text("product", c.product.view());
}

void write_body(const Command& c, LineWriter& w) {
  switch (c.type) {
    case CommandType::new_order:
      w.account(c.account.view());
      w.cl_id("cl_id", c.cl_id.view());
      w.text("instrument", c.instrument.view());
      w.str("side", name_of(c.side, kSides));
      if (c.order_type != OrderType::limit) w.str("order_type", name_of(c.order_type, kOrderTypes));
      if (c.price.present) w.price(c.price);
      w.num("qty", c.qty);
      if (c.has_tif) w.str("tif", name_of(c.tif, kTifs));
      if (c.has_expire_ts) w.num("expire_ts", c.expire_ts);
      if (c.post_only) w.boolean("post_only", true);
      if (c.divisible) w.boolean("divisible", true);
      if (c.has_min_qty) w.num("min_qty", c.min_qty);
      if (c.has_display_qty) w.num("display_qty", c.display_qty);
      if (c.stp != Stp::cancel_resting) w.str("stp", name_of(c.stp, kStps));
      break;
    case CommandType::cancel:
      w.account(c.account.view());
      write_order_ref(c, w);
      break;
    case CommandType::replace:
      w.account(c.account.view());
      write_order_ref(c, w);
      if (c.has_new_cl_id) w.cl_id("new_cl_id", c.new_cl_id.view());
      w.price(c.price);
      w.num("qty", c.qty);
      break;
    case CommandType::mass_cancel:
      w.account(c.account.view());
      write_target(c, w, false);
      break;
    case CommandType::halt:
    case CommandType::resume:
      write_target(c, w, true);
      break;
    case CommandType::kill:
    case CommandType::unkill:
    case CommandType::disconnect:
      w.account(c.account.view());
      break;
    case CommandType::clock:
      break;
    case CommandType::risk:
      w.str("mode", name_of(c.risk_on, kModes));
      break;
    case CommandType::deposit:
    case CommandType::withdraw:
      w.account(c.account.view());
      w.text("instrument", c.instrument.view());
      w.num("qty", c.qty);
      break;
    case CommandType::fund:
      w.account(c.account.view());
      w.text("amount", c.amount_text.view());
      break;
  }
}

}  // namespace

bool write_command(const Command& c, std::string& out, std::string& error) {
  const std::size_t start = out.size();
  LineWriter w(out);
  w.str("type", name_of(c.type, kTypes));
  w.num("seq", c.seq);
  w.num("ts", c.ts);
  write_body(c, w);
  if (!w.error().empty()) {
    out.resize(start);
    error = w.error();
    return false;
  }
  w.end();
  return true;
}

struct CommandParser::Impl {
  explicit Impl(Decoder decoder) : scanner(decoder) {}
  LineScanner scanner;
  LineFields fields;
  std::string padded;  // parse(): the line and kLinePadding spaces, reused
  bool started = false;
  Seq last_seq = 0;
  Ts last_ts = 0;
};

CommandParser::CommandParser(Decoder decoder) : impl_(std::make_unique<Impl>(decoder)) {}
CommandParser::~CommandParser() = default;

namespace {

// By hand: find_first_not_of calls memchr on " \t\r\n" for each byte it looks at.
bool blank(std::string_view line) {
  for (const char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

}  // namespace

ParseResult CommandParser::parse(std::string_view line, Command& out) {
  if (blank(line)) return ParseResult::blank;
  std::string& padded = impl_->padded;
  padded.assign(line);
  padded.append(kLinePadding, ' ');
  return parse_padded(std::string_view(padded.data(), line.size()), out);
}

ParseResult CommandParser::parse_padded(std::string_view line, Command& out) {
  if (blank(line)) return ParseResult::blank;
  if (!impl_->scanner.scan_padded(line, impl_->fields, error_)) return ParseResult::error;
  try {
    const Fields f(impl_->fields);
    const CommandType type = choice(f, Key::type, kTypes);
    const Ts ts = f.integer(Key::ts);
    Seq seq;
    if (f.has(Key::seq)) {
      seq = f.integer(Key::seq);
      if (seq < 1) fail("field 'seq' must be at least 1");
      if (impl_->started && seq <= impl_->last_seq)
        fail("field 'seq' must increase: " + std::to_string(seq) + " after " + std::to_string(impl_->last_seq));
    } else {
      if (impl_->last_seq == std::numeric_limits<Seq>::max()) fail("seq would overflow");
      seq = impl_->last_seq + 1;
    }
    if (impl_->started && ts < impl_->last_ts)
      fail("field 'ts' decreases: " + std::to_string(ts) + " after " + std::to_string(impl_->last_ts));
    // Built in place (the prvalue initializes `out` itself): `out = make_command(...)` zeroed a
    // temporary of 400 bytes and copied it, 5% of a line's parse.
    ::new (static_cast<void*>(&out)) Command(make_command(type, seq, ts));
    body(f, out);
    impl_->started = true;
    impl_->last_seq = seq;
    impl_->last_ts = ts;
    return ParseResult::command;
  } catch (const InputError& e) {
    error_ = e.message;
    return ParseResult::error;
  }
}

}  // namespace gpux
