#include "tools/log/command_parser.hpp"

#include <limits>
#include <simdjson.h>

#include "engine/price.hpp"

namespace gpux {

namespace {

namespace dom = simdjson::dom;

// Thrown inside parse() only, caught there: keeps each field check a single line.
struct InputError {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw InputError{std::move(message)}; }

class Fields {
 public:
  explicit Fields(dom::object o) : o_(o) {}

  bool has(const char* key) const {
    dom::element e;
    return o_.at_key(key).get(e) == simdjson::SUCCESS;
  }

  std::string_view string(const char* key) const {
    std::string_view s;
    if (element(key).get_string().get(s) != simdjson::SUCCESS)
      fail(std::string("field '") + key + "' must be a string");
    return s;
  }
  std::int64_t integer(const char* key) const {
    const dom::element e = element(key);
    std::int64_t v;
    const auto err = e.get_int64().get(v);
    if (err == simdjson::NUMBER_OUT_OF_RANGE || (err != simdjson::SUCCESS && e.is_uint64()))
      fail(std::string("field '") + key + "' is outside the 64-bit integer range");
    if (err != simdjson::SUCCESS) fail(std::string("field '") + key + "' must be an integer");
    return v;
  }
  bool boolean(const char* key) const {
    bool v;
    if (element(key).get_bool().get(v) != simdjson::SUCCESS)
      fail(std::string("field '") + key + "' must be true or false");
    return v;
  }

  template <std::size_t N>
  void text(const char* key, FixedString<N>& out) const {
    const std::string_view s = string(key);
    if (!out.assign(s))
      fail(std::string("field '") + key + "' is longer than " + std::to_string(N) + " bytes");
  }
  void account(FixedString<kMaxAccountLen>& out) const {
    const std::string_view s = string("account");
    if (!valid_account(s)) fail("field 'account' must match [A-Za-z0-9_.-]{1,32}");
    out.assign(s);
  }
  void cl_id(const char* key, FixedString<kMaxClIdLen>& out) const {
    const std::string_view s = string(key);
    if (!valid_cl_id(s)) fail(std::string("field '") + key + "' must be 1-36 printable ASCII characters");
    out.assign(s);
  }

  dom::element element(const char* key) const {
    dom::element e;
    if (o_.at_key(key).get(e) != simdjson::SUCCESS) fail(std::string("missing field '") + key + "'");
    return e;
  }

 private:
  dom::object o_;
};

template <class Enum, std::size_t N>
Enum choice(const Fields& f, const char* key, const std::pair<std::string_view, Enum> (&options)[N]) {
  const std::string_view s = f.string(key);
  for (const auto& [name, value] : options)
    if (s == name) return value;
  fail(std::string("field '") + key + "' has unknown value '" + std::string(s.substr(0, 40)) + "'");
}

constexpr std::pair<std::string_view, CommandType> kTypes[] = {
    {"new", CommandType::new_order}, {"cancel", CommandType::cancel},
    {"replace", CommandType::replace}, {"mass_cancel", CommandType::mass_cancel},
    {"halt", CommandType::halt},     {"resume", CommandType::resume},
    {"kill", CommandType::kill},     {"unkill", CommandType::unkill},
    {"clock", CommandType::clock},
};
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
  p.valid = parse_price(f.string("price"), p.value);
  return p;
}

void order_ref(const Fields& f, Command& c) {
  c.has_order_id = f.has("order_id");
  c.has_cl_id = f.has("cl_id");
  if (!c.has_order_id && !c.has_cl_id) fail("needs 'cl_id' or 'order_id'");
  if (c.has_order_id) c.order_id = f.integer("order_id");
  if (c.has_cl_id) f.cl_id("cl_id", c.cl_id);
}

void target(const Fields& f, Command& c, bool required) {
  c.has_instrument = f.has("instrument");
  c.has_product = f.has("product");
  if (required && !c.has_instrument && !c.has_product) fail("needs 'instrument' or 'product'");
  if (c.has_instrument) f.text("instrument", c.instrument);
  if (c.has_product) f.text("product", c.product);
}

void body(const Fields& f, Command& c) {
  switch (c.type) {
    case CommandType::new_order:
      f.account(c.account);
      f.cl_id("cl_id", c.cl_id);
      f.text("instrument", c.instrument);
      c.has_instrument = true;
      c.side = choice(f, "side", kSides);
      if (f.has("order_type")) c.order_type = choice(f, "order_type", kOrderTypes);
      if (f.has("price")) c.price = price_field(f);
      c.qty = f.integer("qty");
      if ((c.has_tif = f.has("tif"))) c.tif = choice(f, "tif", kTifs);
      if ((c.has_expire_ts = f.has("expire_ts"))) c.expire_ts = f.integer("expire_ts");
      if (f.has("post_only")) c.post_only = f.boolean("post_only");
      if ((c.has_min_qty = f.has("min_qty"))) c.min_qty = f.integer("min_qty");
      if ((c.has_display_qty = f.has("display_qty"))) c.display_qty = f.integer("display_qty");
      if (f.has("stp")) c.stp = choice(f, "stp", kStps);
      break;
    case CommandType::cancel:
      f.account(c.account);
      order_ref(f, c);
      break;
    case CommandType::replace:
      f.account(c.account);
      order_ref(f, c);
      if ((c.has_new_cl_id = f.has("new_cl_id"))) f.cl_id("new_cl_id", c.new_cl_id);
      c.price = price_field(f);
      c.qty = f.integer("qty");
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
      f.account(c.account);
      break;
    case CommandType::clock:
    case CommandType::disconnect:  // kTypes has no name for it: logs cannot carry it
      break;
  }
}

}  // namespace

struct CommandParser::Impl {
  dom::parser parser;
  bool started = false;
  Seq last_seq = 0;
  Ts last_ts = 0;
};

CommandParser::CommandParser() : impl_(std::make_unique<Impl>()) {}
CommandParser::~CommandParser() = default;

ParseResult CommandParser::parse(std::string_view line, Command& out) {
  const bool blank = line.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) return ParseResult::blank;
  dom::element doc;
  if (const auto err = impl_->parser.parse(line.data(), line.size()).get(doc); err != simdjson::SUCCESS) {
    error_ = std::string("not valid JSON: ") + simdjson::error_message(err);
    return ParseResult::error;
  }
  dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    error_ = "a command must be a JSON object";
    return ParseResult::error;
  }
  try {
    const Fields f(obj);
    const CommandType type = choice(f, "type", kTypes);
    const Ts ts = f.integer("ts");
    Seq seq;
    if (f.has("seq")) {
      seq = f.integer("seq");
      if (seq < 1) fail("field 'seq' must be at least 1");
      if (impl_->started && seq <= impl_->last_seq)
        fail("field 'seq' must increase: " + std::to_string(seq) + " after " + std::to_string(impl_->last_seq));
    } else {
      if (impl_->last_seq == std::numeric_limits<Seq>::max()) fail("seq would overflow");
      seq = impl_->last_seq + 1;
    }
    if (impl_->started && ts < impl_->last_ts)
      fail("field 'ts' decreases: " + std::to_string(ts) + " after " + std::to_string(impl_->last_ts));
    Command c = make_command(type, seq, ts);
    body(f, c);
    out = c;
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
