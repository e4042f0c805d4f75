// Drives an Engine from order-log lines (docs/order-log.md) or decoded commands and writes its events as
// JSON Lines (§4): the heart of `gpux replay`, shared with the tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/engine.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace gpux {

class Replayer {
 public:
  explicit Replayer(Catalog catalog, EngineConfig config = {});

  // Runs one line, appending its events' JSON Lines to `out`. False on an input error
  // (nothing appended; error() says why); blank lines do nothing.
  bool line(std::string_view text, std::string& out);
  const std::string& error() const { return parser_.error(); }
  // Runs one command that is already decoded (a journal record), appending its events.
  void command(const Command& c, std::string& out);
  // The same for a run of commands, through the engine's batch entry point: it prefetches the
  // order lookups of the commands ahead, which a long replay notices.
  void commands(std::span<const Command> cmds, std::string& out);

  Engine& engine() { return engine_; }
  std::uint64_t commands() const { return commands_; }
  std::uint64_t events() const { return events_; }

 private:
  Engine engine_;
  CommandParser parser_;
  EventBuffer buffer_;
  Command command_;
  std::uint64_t commands_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace gpux
