// A deliberately simple, slow reference model of the rules (docs/rules.md, docs/order-log.md,
// docs/events.md), for differential testing.
//
// It shares nothing with the engine except the decoded Command struct and the catalog's
// Product data: symbols, prices, bands, books and matching are all written again here, in
// the most literal way (one flat vector of resting orders, linear scans, whole-state copies
// for the min_qty/fok simulation). Events come out as nlohmann::json objects carrying exactly
// the fields docs/events.md prescribes.
#pragma once

#include <cstdint>
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
  std::int64_t open;
  bool post_only;
};

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

  void run_expiries(const Command& c, std::vector<nlohmann::json>& out);
  void do_new(const Command& c, std::vector<nlohmann::json>& out);
  void do_cancel(const Command& c, std::vector<nlohmann::json>& out);
  void do_replace(const Command& c, std::vector<nlohmann::json>& out);
  // mass_cancel (reason mass), and disconnect: all the account's orders (reason disconnect).
  void do_mass_cancel(const Command& c, std::vector<nlohmann::json>& out, const char* reason);
  void do_kill(const Command& c, std::vector<nlohmann::json>& out);

  Catalog catalog_;
  State st_;
  std::map<std::string, std::uint64_t> coverage_;
};

}  // namespace gpux::model
