// `gpux export ledger`: every movement of the ledger (docs/ledger.md) as CSV, for an operator
// auditing a market: deposits, withdraws, funds, and both legs of every trade, each with the
// account's cash after it. The balance is recomputed here from the events alone (a `funded`
// event states it; trades move it by price x qty x hours), so a reader can check that every sell
// was backed and every buy paid without trusting the engine's totals (docs/exports.md).
#include <map>
#include <string>

#include "engine/engine.hpp"
#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/exports.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

constexpr const char* kHeader =
    "seq,ts_utc,ts_ns,account,kind,product,window_start,window_hours,qty,cash,cash_after,counterparty,order_id\n";

class LedgerRows {
 public:
  void on(const Engine& engine, const Event& e, std::string& out) {
    switch (e.type) {
      case EventType::deposited:
      case EventType::withdrawn: {
        Symbol s;
        parse_symbol(e.target.view(), s);  // an accepted deposit's window is canonical
        const Qty q = e.type == EventType::deposited ? e.qty : -e.qty;
        row(engine, e, e.account, e.type == EventType::deposited ? "deposit" : "withdraw", &s, q, 0, nullptr, 0, out);
        break;
      }
      case EventType::funded: {
        cash_[e.account] = e.cash - e.amount;  // the balance before, as the event states it
        row(engine, e, e.account, "fund", nullptr, 0, e.amount, nullptr, 0, out);
        break;
      }
      case EventType::trade: {
        Symbol s;
        parse_symbol(engine.symbol(e.instrument), s);
        const I128 value = I128{e.price} * e.qty * s.hours;
        row(engine, e, e.buy_account, "buy", &s, e.qty, -value, &e, e.buy_order_id, out);
        row(engine, e, e.sell_account, "sell", &s, -e.qty, value, &e, e.sell_order_id, out);
        break;
      }
      default:
        break;
    }
  }

 private:
  void row(const Engine& engine, const Event& e, AccountId account, const char* kind, const Symbol* window, Qty qty, I128 cash,
           const Event* trade, OrderId order_id, std::string& out) {
    append_int(e.seq, out);
    out += ',';
    out += utc_ns(e.ts);
    out += ',';
    append_int(e.ts, out);
    out += ',';
    out += engine.account_name(account);
    out += ',';
    out += kind;
    out += ',';
    if (window) {
      out += window->product;
      out += ',';
      out += utc_seconds(window->start_hour * kNsPerHour);
      out += ',';
      append_int(window->hours, out);
      out += ',';
      append_int(qty, out);
    } else {
      out += ",,,";
    }
    out += ',';
    append_money(cash, out);
    out += ',';
    I128& balance = cash_[account];
    balance += cash;
    append_money(balance, out);
    out += ',';
    if (trade) out += engine.account_name(trade->buy_account == account ? trade->sell_account : trade->buy_account);
    out += ',';
    if (trade) append_int(order_id, out);
    out += '\n';
  }

  std::map<AccountId, I128> cash_;
};

}  // namespace

int run_export_ledger(const LedgerExportOptions& options) {
  LedgerRows rows;
  return run_event_export(options, kHeader,
                          [&](const Engine& engine, const Event& e, std::string& out) { rows.on(engine, e, out); });
}

}  // namespace gpux
