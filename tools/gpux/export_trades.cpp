#include <vector>

#include "engine/engine.hpp"
#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/exports.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

constexpr const char* kHeader =
    "seq,ts_utc,ts_ns,instrument,product,window_start,window_hours,price,qty,buy_account,buy_order_id,sell_account,"
    "sell_order_id,aggressor,match\n";

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
  append_int(s.hours, out);
  out += ',';
  return out;
}

void write_trade(const Event& e, const Engine& engine, const std::string& window, std::string& out) {
  append_int(e.seq, out);
  out += ',';
  out += utc_ns(e.ts);
  out += ',';
  append_int(e.ts, out);
  out += ',';
  out += window;
  char price[32];
  out.append(price, format_price(e.price, price));
  out += ',';
  append_int(e.qty, out);
  out += ',';
  out += engine.account_name(e.buy_account);
  out += ',';
  append_int(e.buy_order_id, out);
  out += ',';
  out += engine.account_name(e.sell_account);
  out += ',';
  append_int(e.sell_order_id, out);
  out += ',';
  out += to_string(e.aggressor);
  out += ',';
  append_int(e.match, out);
  out += '\n';
}

}  // namespace

int run_export_trades(const TradesExportOptions& options) {
  // By InstrumentId, with the symbol they were made for: the engine reuses the id of an
  // instrument it unlisted.
  struct Window {
    std::string symbol;
    std::string columns;
  };
  std::vector<Window> windows;
  return run_event_export(options, kHeader, [&](const Engine& engine, const Event& e, std::string& out) {
    if (e.type != EventType::trade) return;
    if (windows.size() <= e.instrument) windows.resize(e.instrument + 1);
    Window& w = windows[e.instrument];
    const std::string_view symbol = engine.symbol(e.instrument);
    if (w.symbol != symbol) w = {std::string(symbol), window_columns(symbol)};
    write_trade(e, engine, w.columns, out);
  });
}

}  // namespace gpux
