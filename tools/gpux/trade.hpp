// The command line of the `gpux` commands that talk to a running gpuxd: buy, sell, cancel,
// replace, mass-cancel (order_entry.hpp), orders, reports (order_status.hpp), book, trades,
// watch (market_data.hpp), the operator's halt, resume, kill and unkill
// (operator_commands.hpp), the ledger's risk, deposit, withdraw, fund, balance and holdings
// (ledger_cmds.hpp), and demo-market (demo_market.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace gpux {

class TradeCommands {
 public:
  // Adds the subcommands to `app`; the options they parse into live in this object.
  explicit TradeCommands(CLI::App& app);

  // The exit status of the subcommand that was parsed, or nullopt when it was none of these.
  std::optional<int> run() const;

 private:
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

}  // namespace gpux
