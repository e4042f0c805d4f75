// Random order logs (JSON Lines, docs/order-log.md) for the differential test: every command type,
// few accounts (self-trades), a few products and windows (gate closures, gtd expiries in
// batches with equal deadlines), prices clustered around the reference, and invalid fields at
// some rate to reach every rejection reason. Never produces an input error.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/catalog.hpp"
#include "tests/model/model.hpp"

namespace gpux::model {

struct LogLine {
  std::string text;  // one JSON object, no newline
  Seq seq = 0;       // the seq the parser must assign
  std::string type;  // the command's "type"
  bool has_price = false;  // a new/replace carrying a "price" string
  std::string price_text;
};

// What a log is made of: v1 commands only (the v1 generator, unchanged), or the §6 mixes of
// random_log_hours.cpp (owners' divisible orders over long windows, labs' blocks over
// sub-windows, hour halts, clocks hour by hour).
// Mix::ledger (random_log_ledger.cpp) is SPEC §7: deposits, withdraws, funds, risk toggles,
// sells against capacity, buys against cash, resales, replaces sized to the room left.
enum class Mix { v1, hours, ledger };

class RandomLog {
 public:
  RandomLog(std::uint64_t seed, const Catalog& catalog, Mix mix = Mix::v1);

  // The next command; `model` (fed every previous line) is consulted only to aim commands
  // at live orders and band edges.
  LogLine next(const Model& model);

 private:
  struct Window {
    std::string symbol;
    std::size_t product;  // index into products_
    std::int64_t start_ns;
    std::int64_t gate_ns;
  };

  std::uint64_t rnd();
  std::uint64_t u(std::uint64_t n);  // [0, n)
  std::int64_t range(std::int64_t lo, std::int64_t hi);  // [lo, hi]
  bool chance(int percent);

  std::string symbol_for(const Product& p, std::int64_t start_hour, std::int64_t hours) const;
  Window make_window(std::int64_t start_hour, std::int64_t hours_len, std::size_t product);
  void add_window();
  void advance_time();
  void maintain_pool();
  std::string special_instrument();

  std::string pick_account();
  std::string make_cl_id(const std::string& account, const std::vector<RestingView>& resting);
  std::string price_string(std::int64_t value);
  std::string invalid_price_string();
  std::string new_price(const Model& model, const std::string& symbol, const Product* p, Side side,
                        const std::vector<RestingView>& resting);
  std::int64_t new_qty(const Product* p);
  const Product* product_of_symbol(const std::string& symbol) const;
  std::int64_t best_contra(const std::vector<RestingView>& resting, const std::string& symbol, Side side,
                           bool& found) const;

  void gen_new(const Model& model, const std::vector<RestingView>& resting, LogLine& line, nlohmann::json& j);
  void gen_cancel(const std::vector<RestingView>& resting, nlohmann::json& j);
  void gen_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                   nlohmann::json& j);
  void gen_mass_cancel(nlohmann::json& j);
  void gen_halt_resume(bool halt, nlohmann::json& j);
  // Seq, ts and the spelling of the line (both mixes).
  void finish(nlohmann::json& j, LogLine& line);

  // --- Mix::hours (random_log_hours.cpp)
  void init_hours();
  LogLine next_hours(const Model& model);
  void advance_time_hours(bool clock);
  std::string hour_window(std::size_t product, std::int64_t start_hour, std::int64_t hours) const;
  std::string hours_price(const Product& p, const Model& model, const std::string& symbol, Side side, bool block);
  void gen_divisible(const Model& model, const std::vector<RestingView>& resting, LogLine& line, nlohmann::json& j);
  void gen_block(const Model& model, const std::vector<RestingView>& resting, LogLine& line, nlohmann::json& j);
  void gen_hours_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                         nlohmann::json& j);
  void gen_hours_cancel(const std::vector<RestingView>& resting, nlohmann::json& j);
  void gen_hours_halt(const std::vector<RestingView>& resting, nlohmann::json& j);
  std::string hours_account(bool owner);

  // --- Mix::ledger (random_log_ledger.cpp)
  struct Deposit {
    std::string account;
    std::size_t product;
    std::int64_t start_hour;
    std::int64_t hours;
  };
  void init_ledger();
  LogLine next_ledger(const Model& model);
  std::string ledger_account(bool owner);
  std::string ledger_special_window(const Product& p);
  // A window for `account` to sell: inside one of its deposits, or its bought hours (resale).
  bool sell_window(const Model& model, const std::string& account, std::size_t& product, std::int64_t& start,
                   std::int64_t& hours);
  std::int64_t sized_qty(const Product& p, Wide room_qty);
  void gen_deposit_withdraw(const Model& model, bool deposit, nlohmann::json& j);
  void gen_fund(const Model& model, nlohmann::json& j);
  void gen_ledger_sell(const Model& model, const std::vector<RestingView>& resting, LogLine& line, nlohmann::json& j);
  void gen_ledger_buy(const Model& model, const std::vector<RestingView>& resting, LogLine& line, nlohmann::json& j);
  void gen_ledger_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                          nlohmann::json& j);
  void order_tail(const Product& p, bool market, bool divisible, nlohmann::json& j);
  std::vector<Deposit> deposits_;
  bool risk_on_ = false;
  bool has_pending_ = false;
  nlohmann::json pending_;  // a buy planned right after the fund that makes it fit exactly
  LogLine pending_line_;

  Mix mix_ = Mix::v1;
  std::int64_t now_hour() const;

  std::uint64_t state_;
  std::vector<Product> products_;  // the 2-3 products this log trades
  std::vector<Product> all_products_;
  std::vector<std::string> accounts_;
  std::vector<Window> pool_;
  std::vector<std::int64_t> deadlines_;  // future times worth landing on exactly
  std::vector<Seq> new_seqs_;            // seqs of past `new` commands (maybe order ids)
  std::vector<std::pair<bool, std::string>> halted_;  // (is_instrument, target)
  std::set<std::string> killed_;
  std::int64_t ts_ = 0;
  Seq seq_ = 0;
  std::uint64_t unique_ = 0;
  std::size_t pool_target_ = 5;
  bool fast_clock_ = false;
};

}  // namespace gpux::model
