// `gpux export ledger`: every movement of the ledger (docs/ledger.md) as CSV, for an operator
// auditing a market: deposits, withdraws, funds, and both legs of every trade, each with the
// account's cash after it. The balance is recomputed here from the events alone (a `funded`
// event states it; trades move it by price x qty x hours), so a reader can check that every sell
// was backed and every buy paid without trusting the engine's totals (docs/exports.md).
#include <charconv>
#include <cstdio>
#include <map>
#include <string>

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
    "seq,ts_utc,ts_ns,account,kind,product,window_start,window_hours,qty,cash,cash_after,counterparty,order_id\n";

void number(std::int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void money(I128 v, std::string& out) {
  char buf[kMoneyChars];
  out.append(buf, format_money(v, buf));
}

class LedgerRows {
 public:
  explicit LedgerRows(const Engine& engine) : engine_(engine) {}

  void on(const Event& e, std::string& out) {
    switch (e.type) {
      case EventType::deposited:
      case EventType::withdrawn: {
        Symbol s;
        parse_symbol(e.target.view(), s);  // an accepted deposit's window is canonical
        const Qty q = e.type == EventType::deposited ? e.qty : -e.qty;
        row(e, e.account, e.type == EventType::deposited ? "deposit" : "withdraw", &s, q, 0, nullptr, 0, out);
        break;
      }
      case EventType::funded: {
        cash_[e.account] = e.cash - e.amount;  // the balance before, as the event states it
        row(e, e.account, "fund", nullptr, 0, e.amount, nullptr, 0, out);
        break;
      }
      case EventType::trade: {
        Symbol s;
        parse_symbol(engine_.symbol(e.instrument), s);
        const I128 value = I128{e.price} * e.qty * s.hours;
        row(e, e.buy_account, "buy", &s, e.qty, -value, &e, e.buy_order_id, out);
        row(e, e.sell_account, "sell", &s, -e.qty, value, &e, e.sell_order_id, out);
        break;
      }
      default:
        break;
    }
  }

 private:
  void row(const Event& e, AccountId account, const char* kind, const Symbol* window, Qty qty, I128 cash,
           const Event* trade, OrderId order_id, std::string& out) {
    number(e.seq, out);
    out += ',';
    out += utc_ns(e.ts);
    out += ',';
    number(e.ts, out);
    out += ',';
    out += engine_.account_name(account);
    out += ',';
    out += kind;
    out += ',';
    if (window) {
      out += window->product;
      out += ',';
      out += utc_seconds(window->start_hour * kNsPerHour);
      out += ',';
      number(window->hours, out);
      out += ',';
      number(qty, out);
    } else {
      out += ",,,";
    }
    out += ',';
    money(cash, out);
    out += ',';
    I128& balance = cash_[account];
    balance += cash;
    money(balance, out);
    out += ',';
    if (trade) out += engine_.account_name(trade->buy_account == account ? trade->sell_account : trade->buy_account);
    out += ',';
    if (trade) number(order_id, out);
    out += '\n';
  }

  const Engine& engine_;
  std::map<AccountId, I128> cash_;
};

}  // namespace

int run_export_ledger(const LedgerExportOptions& options) {
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
  LedgerRows rows(engine);
  std::string out = kHeader;
  const SourceStatus status = read_commands(options.source, INT64_MAX, [&](const Command& c) {
    events.clear();
    engine.process(c, events);
    for (const Event& e : events) rows.on(e, out);
    file.drain(out);
  });
  if (!file.close(out, error)) {
    std::fprintf(stderr, "gpux export: %s\n", error.c_str());
    return 1;
  }
  return report("export", status);
}

}  // namespace gpux
