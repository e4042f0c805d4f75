#include "tools/orderlog/book_writer.hpp"

#include <cstdio>

#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

void price(Price p, std::string& out) {
  char buf[32];
  out += '"';
  out.append(buf, format_price(p, buf));
  out += '"';
}

void side(const Engine& engine, InstrumentId id, Side s, bool with_orders, std::string& out,
          BookKind kind = BookKind::window) {
  std::vector<LevelView> levels;
  std::vector<OrderView> orders;
  engine.levels(id, s, levels, kind);
  if (with_orders) engine.orders(id, s, orders, kind);
  std::size_t next_order = 0;
  out += '[';
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const LevelView& l = levels[i];
    if (i) out += ',';
    out += "{\"price\":";
    price(l.price, out);
    out += ",\"qty\":";
    append_int(l.qty, out);
    out += ",\"orders\":";
    append_int(l.orders, out);
    if (with_orders) {
      out += ",\"queue\":[";
      for (std::uint32_t k = 0; k < l.orders; ++k) {
        const OrderView& o = orders[next_order++];
        if (k) out += ',';
        out += "{\"order_id\":";
        append_int(o.order_id, out);
        out += ",\"account\":";
        write_json_string(engine.account_name(o.account), out);
        out += ",\"cl_id\":";
        write_json_string(o.cl_id, out);
        out += ",\"open\":";
        append_int(o.open, out);
        out += ",\"shown\":";
        append_int(o.shown, out);
        out += ",\"tif\":\"";
        out += to_string(o.tif);
        out += '"';
        if (o.tif == Tif::gtd) {
          out += ",\"expire_ts\":";
          append_int(o.expire_ts, out);
        }
        out += '}';
      }
      out += ']';
    }
    out += '}';
  }
  out += ']';
}

// "2026-12-15T00Z": an hour since the epoch as the symbols spell it.
void hour(std::int64_t h, std::string& out) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(h >= 0 ? h / 24 : (h - 23) / 24, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "\"%04lld-%02u-%02uT%02lldZ\"", static_cast<long long>(y), m, d,
                static_cast<long long>(((h % 24) + 24) % 24));
  out += buf;
}

// One hour's best levels, as the curve shows them (0: nothing on that side).
struct Best {
  Price bid = 0;
  Qty bid_qty = 0;
  Price ask = 0;
  Qty ask_qty = 0;
  bool operator==(const Best&) const = default;
};

// A product's hours as a compact curve: consecutive hours with the same best bid and ask (and
// their quantities) make one run; hours with no slices between them are runs without prices.
void curve(std::string_view product, const std::vector<std::pair<std::int64_t, Best>>& hours, std::string& out) {
  out += "{\"type\":\"hours_curve\",\"product\":";
  write_json_string(product, out);
  out += ",\"runs\":[";
  std::size_t i = 0;
  bool first = true;
  while (i < hours.size()) {
    std::size_t j = i + 1;
    while (j < hours.size() && hours[j].first == hours[j - 1].first + 1 && hours[j].second == hours[i].second) ++j;
    const auto run = [&](std::int64_t from, std::int64_t n, const Best* b) {
      if (!first) out += ',';
      first = false;
      out += "{\"from\":";
      hour(from, out);
      out += ",\"hours\":";
      append_int(n, out);
      if (b != nullptr && b->bid != 0) {
        out += ",\"bid\":";
        price(b->bid, out);
        out += ",\"bid_qty\":";
        append_int(b->bid_qty, out);
      }
      if (b != nullptr && b->ask != 0) {
        out += ",\"ask\":";
        price(b->ask, out);
        out += ",\"ask_qty\":";
        append_int(b->ask_qty, out);
      }
      out += '}';
    };
    run(hours[i].first, static_cast<std::int64_t>(j - i), &hours[i].second);
    if (j < hours.size() && hours[j].first > hours[j - 1].first + 1)
      run(hours[j - 1].first + 1, hours[j].first - hours[j - 1].first - 1, nullptr);
    i = j;
  }
  out += "]}\n";
}

bool empty(const Engine& engine, InstrumentId id, BookKind kind) {
  std::vector<LevelView> levels;
  for (const Side s : {Side::buy, Side::sell}) {
    engine.levels(id, s, levels, kind);
    if (!levels.empty()) return false;
  }
  return true;
}

void write_hour_books(const Engine& engine, bool with_orders, std::string& out) {
  std::vector<InstrumentId> books;
  std::vector<LevelView> bids, asks;
  std::vector<std::pair<std::int64_t, Best>> hours;
  const auto& products = engine.catalog().products();
  for (std::size_t p = 0; p < products.size(); ++p) {
    engine.hour_books(static_cast<ProductId>(p), books);
    if (books.empty()) continue;
    hours.clear();
    for (const InstrumentId id : books) {
      out += "{\"type\":\"hour_book\",\"instrument\":";
      write_json_string(engine.symbol(id), out);
      out += ",\"hour\":";
      hour(engine.start_hour(id), out);
      out += ",\"bids\":";
      side(engine, id, Side::buy, with_orders, out, BookKind::hours);
      out += ",\"asks\":";
      side(engine, id, Side::sell, with_orders, out, BookKind::hours);
      out += "}\n";
      engine.levels(id, Side::buy, bids, BookKind::hours);
      engine.levels(id, Side::sell, asks, BookKind::hours);
      Best b;
      if (!bids.empty()) b.bid = bids[0].price, b.bid_qty = bids[0].qty;
      if (!asks.empty()) b.ask = asks[0].price, b.ask_qty = asks[0].qty;
      hours.emplace_back(engine.start_hour(id), b);
    }
    curve(products[p].id, hours, out);
  }
}

void money(I128 units, std::string& out) {
  out += '"';
  append_money(units, out);
  out += '"';
}

// The ledger (docs/ledger.md), for an audit: one line with the risk mode and the market's total
// cash (trades move cash between accounts, so it changes only by funds), then one line per
// account holding cash or capacity, with its free cash and, per product, runs of hours of
// equal holdings and free capacity. A negative free value is an order resting beyond what its
// account holds, only possible while risk checks were off.
void write_ledger(const Engine& engine, std::string& out) {
  std::vector<HoldingRun> runs;
  std::string line;
  I128 total = 0;
  std::size_t with_ledger = 0;
  std::string accounts;
  const auto& products = engine.catalog().products();
  for (AccountId a = 0; a < engine.accounts(); ++a) {
    const std::string_view name = engine.account_name(a);
    const Balance b = engine.balance(name);
    line.clear();
    bool held = false;
    for (std::size_t p = 0; p < products.size(); ++p) {
      engine.holdings(name, static_cast<ProductId>(p), runs);
      for (const HoldingRun& r : runs) {
        line += held ? ",{\"product\":" : "{\"product\":";
        held = true;
        write_json_string(products[p].id, line);
        line += ",\"from\":";
        hour(r.start_hour, line);
        line += ",\"hours\":";
        append_int(r.hours, line);
        line += ",\"holdings\":";
        append_int(r.holdings, line);
        line += ",\"free\":";
        append_int(r.free, line);
        line += '}';
      }
    }
    if (b.cash == 0 && b.committed_cash == 0 && !held) continue;
    ++with_ledger;
    total += b.cash;
    accounts += "{\"type\":\"account\",\"account\":";
    write_json_string(name, accounts);
    accounts += ",\"cash\":";
    money(b.cash, accounts);
    accounts += ",\"committed_cash\":";
    money(b.committed_cash, accounts);
    accounts += ",\"free_cash\":";
    money(b.cash - b.committed_cash, accounts);
    accounts += ",\"holdings\":[";
    accounts += line;
    accounts += "]}\n";
  }
  out += "{\"type\":\"ledger\",\"risk\":";
  out += engine.risk_checks() ? "\"on\"" : "\"off\"";
  out += ",\"accounts\":";
  append_int(static_cast<std::int64_t>(with_ledger), out);
  out += ",\"cash\":";
  money(total, out);
  out += "}\n";
  out += accounts;
}

}  // namespace

void write_books(const Engine& engine, bool with_orders, std::string& out) {
  std::vector<InstrumentId> listed;
  engine.instruments(listed);
  for (const InstrumentId id : listed) {
    // Listed only for its hour book (a one-hour symbol whose window book is empty and whose
    // hour book holds slices): its hour_book line says it all.
    if (engine.hours(id) == 1 && empty(engine, id, BookKind::window) && !empty(engine, id, BookKind::hours)) continue;
    out += "{\"type\":\"book\",\"instrument\":";
    write_json_string(engine.symbol(id), out);
    out += ",\"bids\":";
    side(engine, id, Side::buy, with_orders, out);
    out += ",\"asks\":";
    side(engine, id, Side::sell, with_orders, out);
    out += "}\n";
  }
  write_hour_books(engine, with_orders, out);
  write_ledger(engine, out);
}

}  // namespace gpux
