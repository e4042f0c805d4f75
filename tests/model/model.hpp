// A deliberately simple, slow reference model of the rules (docs/rules.md, docs/order-log.md,
// docs/events.md), for differential testing.
//
// It shares nothing with the engine except the decoded Command struct and the catalog's
// Product data: symbols, prices, bands, books and matching are all written again here, in
// the most literal way (one flat vector of resting orders, linear scans, whole-state copies
// for the min_qty/fok simulation). Events come out as nlohmann::json objects carrying exactly
// the fields docs/events.md prescribes.
//
// SPEC §6 (hours) lives in model_hours.cpp (divisible orders as maps of per-hour slices with a
// time-priority stamp on the blocks' clock, sweeps by plain loops, standing blocks, merging as
// a post-pass over per-hour trades) and model_cancel.cpp (expiries, cancels, mass cancels and
// kills of both kinds of order). The choices where the spec is silent follow
// /work/notes/hours-decisions.md (also docs/hours.md).
//
// SPEC §7 (capacity and credit) lives in model_ledger.cpp: cash per account (128-bit), holdings
// as a plain map (product, hour) -> GPUs, one entry per hour, and commitments recomputed from the
// resting orders every time they are needed (never tracked). Trades move the ledger in a
// post-pass over the command's own trade events. The choices where the spec is silent follow
// /work/notes/ledger-decisions.md (also docs/ledger.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/catalog.hpp"
#include "engine/command.hpp"

namespace gpux::model {

__extension__ typedef __int128 Wide;

// "[-]digits[.1-4 digits]" in $0.0001 units; nullopt for any other spelling or an int64 overflow.
std::optional<std::int64_t> parse_price(std::string_view text);
// Exactly 4 decimals.
std::string format_price(std::int64_t price);
// The same for a 128-bit amount of $0.0001 (a cash balance may pass int64 through trades).
std::string format_money(Wide amount);

struct SymbolParts {
  std::string product;
  Wide start_ns = 0;  // may lie far outside int64 for years like 9999
  Wide hours = 0;     // saturated for absurd digit strings
};
// Canonical PRODUCT@YYYY-MM-DDTHHZ+Nh spelling only (the product is not looked up here).
std::optional<SymbolParts> parse_symbol(std::string_view text);

// A resting order as the generator may want to see it.
struct RestingView {
  OrderId order_id;
  std::string account;
  std::string cl_id;
  std::string symbol;
  std::string product;
  Side side;
  std::int64_t price;
  std::int64_t open;  // a divisible order: the largest open quantity of its resting slices
  bool post_only;
  // SPEC §6: a divisible order, its window and the range of hours that still rest.
  bool divisible = false;
  std::int64_t start_hour = 0;  // hours since the epoch
  std::int64_t hours = 0;
  std::int64_t min_open = 0;  // the smallest open quantity of its resting slices (blocks: open)
  std::int64_t first_resting_hour = 0;
  std::int64_t last_resting_hour = 0;
  std::int64_t slices = 0;  // resting slices (blocks: 0)
};

// PRODUCT@YYYY-MM-DDTHHZ+Nh for an hour counted from the epoch (our own calendar).
std::string hours_symbol(const std::string& product, std::int64_t first_hour, std::int64_t hours);

class Model {
 public:
  explicit Model(Catalog catalog);

  // Runs one command; returns its events in the order of docs/events.md.
  std::vector<nlohmann::json> process(const Command& cmd);

  // Introspection for the command generator (not used to decide anything in process()).
  std::vector<RestingView> resting() const;
  // The band of a valid symbol of a listed product: {lower, upper, reference}.
  struct Band {
    std::int64_t lower;
    std::int64_t upper;
    std::int64_t ref;
  };
  std::optional<Band> band(std::string_view symbol) const;

  // How often some tricky situations happened (for the generator's coverage check).
  const std::map<std::string, std::uint64_t>& coverage() const { return coverage_; }

  // --- SPEC §7 introspection (model_ledger.cpp), literal: recomputed from the book each call.
  bool risk_checks() const { return risk_; }
  // Every account the ledger or the book has seen (named by a command that got this far).
  std::set<std::string> ledger_accounts() const;
  Wide cash(const std::string& account) const;
  // price x open x hours over the account's resting buys.
  Wide committed_cash(const std::string& account) const;
  Wide free_cash(const std::string& account) const { return cash(account) - committed_cash(account); }
  Wide holding(const std::string& account, const std::string& product, std::int64_t hour) const;
  // The open quantity of the account's resting sells in that hour.
  Wide committed_capacity(const std::string& account, const std::string& product, std::int64_t hour) const;
  Wide free_capacity(const std::string& account, const std::string& product, std::int64_t hour) const {
    return holding(account, product, hour) - committed_capacity(account, product, hour);
  }
  // The least free capacity over [first_hour, first_hour + hours).
  Wide min_free_capacity(const std::string& account, const std::string& product, std::int64_t first_hour,
                         std::int64_t hours) const;
  struct HourLedger {
    Wide holdings = 0;
    Wide free = 0;
  };
  // Every hour where the account's holdings or free capacity in the product is not 0.
  std::map<std::int64_t, HourLedger> ledger_hours(const std::string& account, const std::string& product) const;

 private:
  struct Order {
    OrderId id;
    std::string account;
    std::string cl_id;
    std::string symbol;
    std::string product;
    Side side;
    std::int64_t price;
    std::int64_t open;     // whole open quantity
    std::int64_t shown;    // current clip (== open unless iceberg)
    std::int64_t display;  // 0: not an iceberg
    bool post_only;
    Stp stp;
    std::int64_t deadline;
    bool gate_reason;   // expiry reason gate_closed (else gtd)
    std::uint64_t arrival;  // time priority: when it joined the back of its level
    std::int64_t start_hour;  // the window, in hours since the epoch
    std::int64_t hours;
  };

  // SPEC §6: a divisible order is a set of slices, one per hour, in the hour books.
  struct Slice {
    std::int64_t open;
    std::uint64_t arrival;  // time priority, on the same clock as blocks
  };
  struct DivOrder {
    OrderId id;
    std::string account;
    std::string cl_id;
    std::string symbol;  // its window
    std::string product;
    Side side;
    std::int64_t price;
    bool gtd;
    std::int64_t expire_ts;
    bool post_only;
    Stp stp;
    std::int64_t start_hour;
    std::int64_t hours;
    std::map<std::int64_t, Slice> slices;  // hour -> resting slice (open > 0)
  };

  // One trade of one hour, before merging (SPEC §6 "Events of hours").
  struct HourTrade {
    std::int64_t hour;
    OrderId buy_id, sell_id;
    std::string buy_account, sell_account;
    std::int64_t price, qty, buy_leaves, sell_leaves;
  };

  // A block while it sweeps the hour books.
  struct Sweeper {
    OrderId id;
    std::string account;
    std::string product;
    Side side;
    std::int64_t limit;
    std::int64_t open;
    std::int64_t start_hour;
    std::int64_t hours;
    bool standing;          // a resting block: trades at the price of the earlier of the two
    std::uint64_t arrival;  // standing blocks only
  };

  // An order while it is matching as the aggressor.
  struct Incoming {
    OrderId id;
    std::string account;
    std::string cl_id;
    std::string symbol;
    Side side;
    std::int64_t limit;
    std::int64_t open;
    Stp stp;
  };

  // Everything that changes; copied wholesale for the min_qty/fok simulation.
  struct State {
    std::vector<Order> book;  // every resting order of every instrument, in no order
    std::map<std::string, std::int64_t> last_trade;  // symbol -> price of its latest trade
    std::set<std::string> halted_instruments;
    std::set<std::string> halted_products;
    std::set<std::string> killed_accounts;
    std::uint64_t next_arrival = 1;
    std::map<OrderId, DivOrder> divs;  // resting divisible orders
  };

  struct MatchOutcome {
    std::int64_t traded = 0;
    bool aggressor_stp_canceled = false;
    int stp_canceled_resting = 0;
    int refills = 0;
    int trades = 0;
    bool hit_same_order_twice = false;
  };

  const Product* find_product(std::string_view id) const;
  Band band_for(const State& st, const std::string& symbol, const Product& p) const;
  static int find_order(const State& st, OrderId id);
  static int find_by_cl_id(const State& st, std::string_view account, std::string_view cl_id);
  // Index of the best, oldest order on `side` of `symbol`, or -1.
  static int best_order(const State& st, const std::string& symbol, Side side);
  static bool crosses(Side incoming, std::int64_t limit, std::int64_t contra_price);

  // Price-time matching of `in` against its instrument; appends events to `out` when given.
  static MatchOutcome match(State& st, Incoming& in, Seq seq, Ts ts, int& match_no,
                            std::vector<nlohmann::json>* out);
  static void rest(State& st, const Incoming& in, std::int64_t display, bool post_only,
                   std::int64_t deadline, bool gate_reason);

  // --- SPEC §6 (model_hours.cpp)
  static bool hour_halted(const State& st, const std::string& product, std::int64_t hour);
  // The resting contra slice an order of `side` at `limit` meets first in `hour`, passing over
  // `account`'s own slices; null if none crosses.
  static DivOrder* best_slice(State& st, const std::string& product, std::int64_t hour, Side side,
                              std::int64_t limit, const std::string& account);
  // Sweeps the hour books; trades go to `trades` (null: only computes q, changes nothing).
  std::int64_t sweep(State& st, const Sweeper& b, std::vector<HourTrade>* trades);
  // Merges per-hour trades and appends them as events; updates last trade prices.
  void emit_hour_trades(const std::vector<HourTrade>& trades, const std::string& product, Side aggressor,
                        Seq seq, Ts ts, int& match_no, std::vector<nlohmann::json>& out);
  // canceled/expired events of one divisible order's slices (hour -> open), runs merged.
  void div_cancel_events(const DivOrder& d, const std::map<std::int64_t, std::int64_t>& open, const char* type,
                         const char* reason, Seq seq, Ts ts, std::vector<nlohmann::json>& out);
  // Hour-by-hour matching of a divisible order's slices `open` (hour -> open), then rest or ioc.
  void divisible_match_and_rest(DivOrder d, std::map<std::int64_t, std::int64_t> open, bool ioc, Seq seq, Ts ts,
                                std::vector<nlohmann::json>& out);
  void standing_sweeps(const std::string& product, Side div_side, const std::set<std::int64_t>& hours, Seq seq,
                       Ts ts, int& match_no, std::vector<nlohmann::json>& out);
  // The sweep of an incoming block (arrival or lost priority), events appended.
  void block_sweep(const Incoming& in, std::int64_t& open, int& match_no, Seq seq, Ts ts,
                   std::vector<nlohmann::json>& out, const char* what);
  void replace_divisible(const Command& c, OrderId id, std::vector<nlohmann::json>& out);
  bool div_post_only_crosses(const std::string& product, Side side, std::int64_t price,
                             const std::function<bool(std::int64_t)>& in_hours) const;
  static OrderId find_div_by_cl_id(const State& st, std::string_view account, std::string_view cl_id);

  void run_expiries(const Command& c, std::vector<nlohmann::json>& out);
  void do_new(const Command& c, std::vector<nlohmann::json>& out);
  void do_cancel(const Command& c, std::vector<nlohmann::json>& out);
  void do_replace(const Command& c, std::vector<nlohmann::json>& out);
  // mass_cancel (reason mass), and disconnect: all the account's orders (reason disconnect).
  void do_mass_cancel(const Command& c, std::vector<nlohmann::json>& out, const char* reason);
  void do_kill(const Command& c, std::vector<nlohmann::json>& out);
  // Cancels one resting order of either kind with `reason`.
  void cancel_any(OrderId id, const char* reason, Seq seq, Ts ts, std::vector<nlohmann::json>& out);

  // --- SPEC §7 (model_ledger.cpp)
  void do_risk(const Command& c, std::vector<nlohmann::json>& out);
  void do_deposit_withdraw(const Command& c, std::vector<nlohmann::json>& out);
  void do_fund(const Command& c, std::vector<nlohmann::json>& out);
  // The risk check of a `new` that passed duplicate_cl_id: the reason, or null.
  const char* new_order_risk(const std::string& account, const std::string& product, Side side, std::int64_t limit,
                             std::int64_t qty, std::int64_t start_hour, std::int64_t hours, bool post_only_too);
  // The risk check of a replace, last: the reason, or null. `kept` says whether it would keep priority.
  const char* replace_block_risk(const Order& o, std::int64_t price, std::int64_t qty, bool kept);
  const char* replace_div_risk(const DivOrder& d, std::int64_t price, std::int64_t qty, bool kept);
  // Moves holdings and cash for every trade event in `events` (the post-pass).
  void settle_trades(const std::vector<nlohmann::json>& events);

  struct Account {
    Wide cash = 0;
    std::map<std::pair<std::string, std::int64_t>, Wide> holdings;  // (product, hour) -> GPUs
    std::set<std::pair<std::string, std::int64_t>> bought;  // hours it ever received by a trade
  };
  std::map<std::string, Account> ledger_;
  bool risk_ = false;

  Catalog catalog_;
  State st_;
  std::map<std::string, std::uint64_t> coverage_;
};

}  // namespace gpux::model
