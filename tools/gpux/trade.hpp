// The `gpux` commands that talk to a running gpuxd: buy, sell, cancel, replace, mass-cancel,
// orders, book, trades, watch, the operator's halt, resume, kill and unkill, and demo-market.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace gpux {

class TradeCommands {
 public:
  // Adds the subcommands to `app`; the options they parse into live in this object.
  explicit TradeCommands(CLI::App& app);
  ~TradeCommands();

  // The exit status of the subcommand that was parsed, or nullopt when it was none of these.
  std::optional<int> run() const;

  struct Options;

 private:
  std::unique_ptr<Options> options_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

}  // namespace gpux
