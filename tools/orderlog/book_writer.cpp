#include "tools/orderlog/book_writer.hpp"

#include <charconv>

#include "engine/price.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

void number(std::int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void price(Price p, std::string& out) {
  char buf[32];
  out += '"';
  out.append(buf, format_price(p, buf));
  out += '"';
}

void side(const Engine& engine, InstrumentId id, Side s, bool with_orders, std::string& out) {
  std::vector<LevelView> levels;
  std::vector<OrderView> orders;
  engine.levels(id, s, levels);
  if (with_orders) engine.orders(id, s, orders);
  std::size_t next_order = 0;
  out += '[';
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const LevelView& l = levels[i];
    if (i) out += ',';
    out += "{\"price\":";
    price(l.price, out);
    out += ",\"qty\":";
    number(l.qty, out);
    out += ",\"orders\":";
    number(l.orders, out);
    if (with_orders) {
      out += ",\"queue\":[";
      for (std::uint32_t k = 0; k < l.orders; ++k) {
        const OrderView& o = orders[next_order++];
        if (k) out += ',';
        out += "{\"order_id\":";
        number(o.order_id, out);
        out += ",\"account\":";
        write_json_string(engine.account_name(o.account), out);
        out += ",\"cl_id\":";
        write_json_string(o.cl_id, out);
        out += ",\"open\":";
        number(o.open, out);
        out += ",\"shown\":";
        number(o.shown, out);
        out += ",\"tif\":\"";
        out += to_string(o.tif);
        out += '"';
        if (o.tif == Tif::gtd) {
          out += ",\"expire_ts\":";
          number(o.expire_ts, out);
        }
        out += '}';
      }
      out += ']';
    }
    out += '}';
  }
  out += ']';
}

}  // namespace

void write_books(const Engine& engine, bool with_orders, std::string& out) {
  std::vector<InstrumentId> listed;
  engine.instruments(listed);
  for (const InstrumentId id : listed) {
    out += "{\"type\":\"book\",\"instrument\":";
    write_json_string(engine.symbol(id), out);
    out += ",\"bids\":";
    side(engine, id, Side::buy, with_orders, out);
    out += ",\"asks\":";
    side(engine, id, Side::sell, with_orders, out);
    out += "}\n";
  }
}

}  // namespace gpux
