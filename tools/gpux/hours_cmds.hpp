// The commands for hours (SPEC v2 §6): `gpux quote`, what a block would cost now, and
// `gpux book PRODUCT --hours`, a product's hour books as a table of hours.
#pragma once

#include <cstdint>
#include <string>

#include "tools/gpux/market_data.hpp"
#include "tools/gpux/session.hpp"

namespace gpux {

struct QuoteOptions {
  SessionOptions session;
  std::string instrument, qty;  // a symbol, or PRODUCT with --start/--hours
  std::string limit;            // @DOLLARS; empty: none (the band's protection price)
  std::string start;
  std::int64_t hours = 0;
  bool sell = false;  // quote selling the block; buying by default
};

// Each returns the exit status (session.hpp): a quote the exchange cannot price is refused (1).
int run_quote(const QuoteOptions& options);
// `gpux book PRODUCT --hours [--from T] [--to T] [--once]`.
int run_hours_book(const BookOptions& options);

}  // namespace gpux
