// Commands from JSON Lines with the scenario shorthands ($T, $I, $G, ...). One parser numbers
// them all, so seqs run on across calls (and across a restore).
#pragma once

#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "engine/command.hpp"
#include "tests/support/scenario.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace gpux::test {

class Script {
 public:
  std::vector<Command> operator()(std::string_view log) {
    std::vector<Command> cmds;
    for (const std::string& line : split_lines(expand(log))) {
      Command c;
      const ParseResult r = parser_.parse(line, c);
      INFO(line << ": " << parser_.error());
      REQUIRE(r != ParseResult::error);
      if (r == ParseResult::command) cmds.push_back(c);
    }
    return cmds;
  }

 private:
  CommandParser parser_;
};

}  // namespace gpux::test
