// `gpux buy`, `sell`, `cancel`, `replace` and `mass-cancel`: one command each, answered by the
// exchange's acknowledgement and, for an order that trades at once, its fills.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "tools/gpux/session.hpp"

namespace gpux {

// buy and sell.
struct OrderOptions {
  SessionOptions session;
  std::string instrument, qty, price;  // as typed: checked by run_order
  std::string start;                   // --start, with a bare PRODUCT (window_args.hpp)
  std::int64_t hours = 0;              // --hours
  bool divisible = false;              // one slice per hour (SPEC v2 §6)
  std::string tif, expire, stp, cl_id;
  std::int64_t iceberg = 0, min_qty = 0;
  bool post_only = false;
};

struct CancelOptions {
  SessionOptions session;
  std::vector<std::string> order_id;  // ORDER_ID: a list, so that run_cancel reports none or two itself
  std::string cl_id;
};

struct ReplaceOptions {
  SessionOptions session;
  std::vector<std::string> args;  // [ORDER_ID] @PRICE QTY
  std::string cl_id, new_cl_id;
};

struct MassCancelOptions {
  SessionOptions session;
  std::string instrument, product;
};

// Each returns the exit status (session.hpp).
int run_order(const OrderOptions& options, Side side);
int run_cancel(const CancelOptions& options);
int run_replace(const ReplaceOptions& options);
int run_mass_cancel(const MassCancelOptions& options);

}  // namespace gpux
