#include "tools/log/event_writer.hpp"

#include <charconv>

#include "engine/price.hpp"

namespace gpux {

namespace {

class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += "}\n"; }

  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void str(std::string_view k, std::string_view v) {
    key(k);
    write_json_string(v, out_);
  }
  void num(std::string_view k, std::int64_t v) {
    key(k);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void price(std::string_view k, Price p) {
    key(k);
    char buf[32];
    buf[0] = '"';
    const std::size_t n = format_price(p, buf + 1);
    buf[n + 1] = '"';
    out_.append(buf, n + 2);
  }
  void boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void write_json_string(std::string_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void write_event(const Event& e, const Engine& names, std::string& out) {
  JsonObject j(out);
  j.str("type", to_string(e.type));
  j.num("seq", e.seq);
  j.num("ts", e.ts);
  switch (e.type) {
    case EventType::accepted:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.str("instrument", names.symbol(e.instrument));
      j.str("side", to_string(e.side));
      j.str("order_type", to_string(e.order_type));
      j.price("price", e.price);
      j.num("qty", e.qty);
      j.str("tif", to_string(e.tif));
      if (e.tif == Tif::gtd) j.num("expire_ts", e.expire_ts);
      j.boolean("post_only", e.post_only);
      if (e.has_min_qty) j.num("min_qty", e.min_qty);
      if (e.has_display_qty) j.num("display_qty", e.display_qty);
      j.str("stp", to_string(e.stp));
      break;
    case EventType::rejected:
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.str("reason", to_string(e.reason));
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
      j.str("aggressor", to_string(e.aggressor));
      j.num("buy_leaves", e.buy_leaves);
      j.num("sell_leaves", e.sell_leaves);
      break;
    case EventType::canceled:
    case EventType::expired:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.num("leaves", e.leaves);
      j.str("reason", to_string(e.reason));
      break;
    case EventType::replaced:
      j.num("order_id", e.order_id);
      j.str("account", names.account_name(e.account));
      j.str("cl_id", e.cl_id.view());
      j.price("price", e.price);
      j.num("qty", e.qty);
      j.str("priority", e.priority_kept ? "kept" : "lost");
      break;
    case EventType::cancel_rejected:
    case EventType::replace_rejected:
      j.str("account", names.account_name(e.account));
      if (e.has_cl_id) j.str("cl_id", e.cl_id.view());
      if (e.has_order_id) j.num("order_id", e.order_id);
      j.str("reason", to_string(e.reason));
      break;
    case EventType::halted:
    case EventType::resumed:
      j.str(e.target_is_instrument ? "instrument" : "product", e.target.view());
      break;
    case EventType::killed:
    case EventType::unkilled:
      j.str("account", names.account_name(e.account));
      break;
  }
}

}  // namespace gpux
