// `gpux orders` and `gpux reports`: what the exchange holds about your orders, their state now
// (the open orders) and their history (the execution reports in the journal).
#pragma once

#include <string>

#include "engine/types.hpp"
#include "tools/gpux/session.hpp"

namespace gpux {

struct OrdersOptions {
  SessionOptions session;
  std::string instrument;  // empty: every instrument
};

struct ReportsOptions {
  SessionOptions session;
  Seq since = 0;        // the reports of commands after this seq
  bool follow = false;  // then the live ones, until Ctrl-C
};

// Each returns the exit status (session.hpp).
int run_orders(const OrdersOptions& options);
int run_reports(const ReportsOptions& options);

}  // namespace gpux
