#include "tools/gpux/ledger_cmds.hpp"

#include <charconv>
#include <cstdio>

#include "engine/limits.hpp"
#include "engine/types.hpp"
#include "tools/client/render_text.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"
#include "tools/gpux/window_args.hpp"

namespace gpux {

using flatbuffers::GetString;

namespace {

bool account_ok(const char* command, const std::string& account) {
  if (valid_account(account)) return true;
  fail(command, "ACCOUNT must match [A-Za-z0-9_.-]{1,32}, got '" + account + "'");
  return false;
}

}  // namespace

int run_risk(const RiskOptions& o) {
  Session s;
  if (!s.open("risk", o.session)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    const auto* r = env.body_as_RiskSet();
    if (r == nullptr || (r->mode() == wire::RiskMode::on) != (o.mode == "on")) return;
    answered = true;
    print_message(env, o.session.json);
  });
  if (!s.client.risk(o.mode == "on")) return s.lost("risk");
  return s.await("risk", [&] { return answered; });
}

int run_deposit(const DepositOptions& o, bool deposit) {
  const char* name = deposit ? "deposit" : "withdraw";
  if (!account_ok(name, o.account)) return kFailed;
  std::string symbol, why;
  if (!resolve_window(WindowArgs{o.instrument, o.start, o.hours}, wall_clock_ns(), symbol, why)) {
    fail(name, why);
    return kFailed;
  }
  Qty qty = 0;
  const auto [end, ec] = std::from_chars(o.qty.data(), o.qty.data() + o.qty.size(), qty);
  if (ec != std::errc() || end != o.qty.data() + o.qty.size() || o.qty.empty()) {
    fail(name, "QTY must be a whole number of GPUs, got '" + o.qty + "'");
    return kFailed;
  }
  Session s;
  if (!s.open(name, o.session)) return kFailed;
  bool answered = false, ok = false;
  s.on_message([&](const wire::Envelope& env) {
    const flatbuffers::String *account = nullptr, *instrument = nullptr;
    bool done = false;
    switch (env.body_type()) {
      case wire::Body::Deposited:
        if (!deposit) return;
        account = env.body_as_Deposited()->account(), instrument = env.body_as_Deposited()->instrument(), done = true;
        break;
      case wire::Body::DepositRejected:
        if (!deposit) return;
        account = env.body_as_DepositRejected()->account(), instrument = env.body_as_DepositRejected()->instrument();
        break;
      case wire::Body::Withdrawn:
        if (deposit) return;
        account = env.body_as_Withdrawn()->account(), instrument = env.body_as_Withdrawn()->instrument(), done = true;
        break;
      case wire::Body::WithdrawRejected:
        if (deposit) return;
        account = env.body_as_WithdrawRejected()->account(), instrument = env.body_as_WithdrawRejected()->instrument();
        break;
      default:
        return;
    }
    if (GetString(account) != o.account || GetString(instrument) != symbol) return;
    answered = true;
    ok = done;
    print_message(env, o.session.json);
  });
  const bool sent = deposit ? s.client.deposit(o.account, symbol, qty) : s.client.withdraw(o.account, symbol, qty);
  if (!sent) return s.lost(name);
  if (const int status = s.await(name, [&] { return answered; })) return status;
  return ok ? 0 : kRefused;
}

int run_fund(const FundOptions& o) {
  if (!account_ok("fund", o.account)) return kFailed;
  if (o.amount.empty() || o.amount.size() > kMaxAmountLen) {
    fail("fund", "AMOUNT must be dollars with at most 4 decimals (250000, -500.25), got '" + o.amount + "'");
    return kFailed;
  }
  Session s;
  if (!s.open("fund", o.session)) return kFailed;
  bool answered = false, ok = false;
  s.on_message([&](const wire::Envelope& env) {
    const flatbuffers::String* account = nullptr;
    if (const auto* f = env.body_as_Funded()) account = f->account();
    else if (const auto* r = env.body_as_FundRejected()) account = r->account();
    else return;
    // A rejection echoes the amount as given; a funded normalises it, so the account decides.
    if (const auto* r = env.body_as_FundRejected(); r != nullptr && GetString(r->amount()) != o.amount) return;
    if (GetString(account) != o.account) return;
    answered = true;
    ok = env.body_type() == wire::Body::Funded;
    print_message(env, o.session.json);
  });
  if (!s.client.fund(o.account, o.amount)) return s.lost("fund");
  if (const int status = s.await("fund", [&] { return answered; })) return status;
  return ok ? 0 : kRefused;
}

int run_balance(const BalanceOptions& o) {
  Session s;
  if (!s.open("balance", o.session)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    const auto* b = env.body_as_BalanceReply();
    if (b == nullptr) return;
    answered = true;
    if (o.session.json) return print_message(env, true);
    std::printf("balance of %s, as of seq %lld\n", GetString(b->account()).c_str(), static_cast<long long>(b->seq()));
    std::printf("  cash       $%s\n", GetString(b->cash()).c_str());
    std::printf("  committed  $%s  (resting buys)\n", GetString(b->committed_cash()).c_str());
    std::printf("  free       $%s\n", GetString(b->free_cash()).c_str());
    std::fflush(stdout);
  });
  if (!s.client.balance()) return s.lost("balance");
  return s.await("balance", [&] { return answered; });
}

int run_holdings(const HoldingsOptions& o) {
  const bool window = !o.start.empty() || o.hours != 0;
  std::int64_t start_hour = 0, hours = 0;
  if (window) {
    const Ts now = wall_clock_ns();
    Ts start = now;
    if (!o.start.empty() && !parse_utc_time(o.start, now, start)) {
      fail("holdings", "--start must be YYYY-MM-DDTHHZ (UTC) or +N[h|d] from now, got '" + o.start + "'");
      return kFailed;
    }
    // The hour the time falls in.
    start_hour = start >= 0 ? start / kNsPerHour : (start - kNsPerHour + 1) / kNsPerHour;
    hours = o.hours != 0 ? o.hours : 720;
    if (start_hour < 0 || hours < 1 || hours > 100'000) {
      fail("holdings", "--hours must be 1..100000 and --start after 1970");
      return kFailed;
    }
  }
  Session s;
  if (!s.open("holdings", o.session)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    const auto* h = env.body_as_HoldingsReply();
    if (h == nullptr) return;
    answered = true;
    if (o.session.json) return print_message(env, true);
    std::printf("%s", client::holdings_text(*h).c_str());
    std::fflush(stdout);
  });
  if (!s.client.holdings(o.product, window, start_hour, hours)) return s.lost("holdings");
  return s.await("holdings", [&] { return answered; });
}

}  // namespace gpux
