// Orders for a market that runs on the wall clock (a pipeline or a gpuxd stamps ts itself):
// instruments two days ahead, so far from their gate whatever day the tests run, and a random
// flow of limit orders that cross often, cancels and replaces. Header-only: the fault test, a
// program of its own, uses it too.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.hpp"

namespace gpux::test {

// "PRODUCT@YYYY-MM-DDTHHZ+24h" for a window starting on the whole hour `days` days from now.
inline std::string live_symbol(std::string_view product, int days = 2) {
  const std::time_t start = std::time(nullptr) + days * 86400;
  std::tm tm;
  gmtime_r(&start, &tm);
  char window[32];
  std::strftime(window, sizeof window, "%Y-%m-%dT%HZ", &tm);
  return std::string(product) + "@" + window + "+24h";
}

struct LiveInstrument {
  std::string symbol;
  Price ref;  // the product's reference price (tick 10, lot 8 in the builtin catalog)
};

// The two builtin products the flows trade.
inline std::vector<LiveInstrument> live_instruments() {
  return {{live_symbol("H100.MEM1"), 21000}, {live_symbol("H200.MEM1"), 30000}};
}

inline Command live_new(std::string_view cl_id, std::string_view symbol, Side side, Price price, Qty qty) {
  Command c = make_command(CommandType::new_order, 0, 0);
  c.cl_id.assign(cl_id);
  c.instrument.assign(symbol);
  c.has_instrument = true;
  c.side = side;
  c.price = PriceField{true, true, price};
  c.qty = qty;
  return c;
}

inline Command live_cancel(std::string_view cl_id) {
  Command c = make_command(CommandType::cancel, 0, 0);
  c.has_cl_id = true;
  c.cl_id.assign(cl_id);
  return c;
}

inline Command live_replace(std::string_view cl_id, Price price, Qty qty, std::string_view new_cl_id) {
  Command c = make_command(CommandType::replace, 0, 0);
  c.has_cl_id = true;
  c.cl_id.assign(cl_id);
  c.has_new_cl_id = true;
  c.new_cl_id.assign(new_cl_id);
  c.price = PriceField{true, true, price};
  c.qty = qty;
  return c;
}

// A random new order near the reference price: both sides overlap by a few ticks, so about
// half of the orders trade. Mostly gtc (they rest), some ioc, some post-only, some icebergs.
inline Command live_random_new(std::mt19937_64& rng, std::string_view cl_id, const LiveInstrument& in) {
  const Side side = rng() % 2 ? Side::buy : Side::sell;
  const std::int64_t offset = static_cast<std::int64_t>(rng() % 9) - 4;  // ticks from the reference
  const Price price = in.ref + 10 * (side == Side::buy ? offset : -offset);
  const Qty qty = 8 * static_cast<Qty>(1 + rng() % 6);
  Command c = live_new(cl_id, in.symbol, side, price, qty);
  const unsigned pick = static_cast<unsigned>(rng() % 20);
  if (pick == 0) {
    c.has_tif = true;
    c.tif = Tif::ioc;
  } else if (pick == 1) {
    c.post_only = true;
  } else if (pick == 2 && qty >= 16) {
    c.has_display_qty = true;
    c.display_qty = 8;
  }
  return c;
}

// "prefix" followed by n (no operator+ on strings: GCC 12 warns falsely at -O3).
inline std::string live_numbered(const char* prefix, long n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%ld", prefix, n);
  return buf;
}

}  // namespace gpux::test
