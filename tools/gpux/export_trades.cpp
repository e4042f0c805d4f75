#include <charconv>
#include <cstdio>
#include <vector>

#include "engine/engine.hpp"
#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/command_source.hpp"
#include "tools/gpux/exports.hpp"
#include "tools/gpux/load_catalog.hpp"
#include "tools/gpux/out_file.hpp"

namespace gpux {

namespace {

constexpr const char* kHeader =
    "seq,ts_utc,ts_ns,instrument,product,window_start,window_hours,price,qty,buy_account,buy_order_id,sell_account,"
    "sell_order_id,aggressor,match\n";

void number(std::int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// "instrument,product,window_start,window_hours," of a listed instrument. Symbols, products
// and accounts never hold a comma or a quote (docs/catalog.md, docs/order-log.md), so no field
// needs CSV quoting.
std::string window_columns(std::string_view symbol) {
  Symbol s;
  parse_symbol(symbol, s);  // the engine lists only canonical symbols
  std::string out(symbol);
  out += ',';
  out += s.product;
  out += ',';
  out += utc_seconds(s.start_hour * kNsPerHour);
  out += ',';
  number(s.hours, out);
  out += ',';
  return out;
}

void write_trade(const Event& e, const Engine& engine, const std::string& window, std::string& out) {
  number(e.seq, out);
  out += ',';
  out += utc_ns(e.ts);
  out += ',';
  number(e.ts, out);
  out += ',';
  out += window;
  char price[32];
  out.append(price, format_price(e.price, price));
  out += ',';
  number(e.qty, out);
  out += ',';
  out += engine.account_name(e.buy_account);
  out += ',';
  number(e.buy_order_id, out);
  out += ',';
  out += engine.account_name(e.sell_account);
  out += ',';
  number(e.sell_order_id, out);
  out += ',';
  out += to_string(e.aggressor);
  out += ',';
  number(e.match, out);
  out += '\n';
}

}  // namespace

int run_export_trades(const TradesExportOptions& options) {
  Catalog catalog;
  if (!load_catalog(options.catalog, "export", catalog)) return 1;
  OutFile file;
  std::string error;
  if (!file.open(options.out, error)) {
    std::fprintf(stderr, "gpux export: %s\n", error.c_str());
    return 1;
  }
  Engine engine(std::move(catalog));
  EventBuffer events;
  // By InstrumentId, with the symbol they were made for: the engine reuses the id of an
  // instrument it unlisted.
  struct Window {
    std::string symbol;
    std::string columns;
  };
  std::vector<Window> windows;
  std::string out = kHeader;
  const SourceStatus status = read_commands(options.source, INT64_MAX, [&](const Command& c) {
    events.clear();
    engine.process(c, events);
    for (const Event& e : events) {
      if (e.type != EventType::trade) continue;
      if (windows.size() <= e.instrument) windows.resize(e.instrument + 1);
      Window& w = windows[e.instrument];
      const std::string_view symbol = engine.symbol(e.instrument);
      if (w.symbol != symbol) w = {std::string(symbol), window_columns(symbol)};
      write_trade(e, engine, w.columns, out);
    }
    file.drain(out);
  });
  if (!file.close(out, error)) {
    std::fprintf(stderr, "gpux export: %s\n", error.c_str());
    return 1;
  }
  return report("export", status);
}

}  // namespace gpux
