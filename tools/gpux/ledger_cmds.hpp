// The ledger of SPEC v2 §7 (docs/ledger.md) from the command line: the operator's `gpux risk`,
// `deposit`, `withdraw` and `fund`, and a trader's `gpux balance` and `holdings` of its own
// account.
#pragma once

#include <cstdint>
#include <string>

#include "tools/gpux/session.hpp"

namespace gpux {

struct RiskOptions {
  SessionOptions session;
  std::string mode;  // on or off
};

// deposit and withdraw: qty GPUs in every hour of a window, named as buy and sell name theirs.
struct DepositOptions {
  SessionOptions session;
  std::string account;
  std::string instrument;  // a symbol, or PRODUCT with --start/--hours
  std::string qty;
  std::string start;
  std::int64_t hours = 0;
};

struct FundOptions {
  SessionOptions session;
  std::string account;
  std::string amount;  // dollars, up to 4 decimals, "-" to take cash out
};

struct BalanceOptions {
  SessionOptions session;
};

// Without --start and --hours: every run of hours, over all time, where something is held or
// committed. With either: the window from --start (default: the current hour) for --hours
// (default 720, 30 days), zeros included.
struct HoldingsOptions {
  SessionOptions session;
  std::string product;  // empty: every product with holdings
  std::string start;
  std::int64_t hours = 0;
};

// Each returns the exit status (session.hpp): 1 when the exchange rejected the command.
int run_risk(const RiskOptions& options);
int run_deposit(const DepositOptions& options, bool deposit);  // false: withdraw
int run_fund(const FundOptions& options);
int run_balance(const BalanceOptions& options);
int run_holdings(const HoldingsOptions& options);

}  // namespace gpux
