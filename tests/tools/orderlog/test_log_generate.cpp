// A hidden generator of large order logs for timing `gpux replay FILE` (docs/order-log.md
// "Speed"): the random command stream of the journal generator (test_journal_tools.cpp), written
// as JSON Lines, so that a log and a journal of the same commands can be timed side by side.
//   GPUX_LOG_FILE=/tmp/big.jsonl GPUX_LOG_LINES=3000000 gpux_tests "[.log-generate]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/env.hpp"
#include "tests/support/random_commands.hpp"
#include "tools/orderlog/command_parser.hpp"

TEST_CASE("order log: generate a large log for timing replay", "[.log-generate]") {
  const char* path = std::getenv("GPUX_LOG_FILE");
  REQUIRE(path != nullptr);
  const std::uint64_t total = gpux::test::env_u64("GPUX_LOG_LINES", 3'000'000);
  std::FILE* file = std::fopen(path, "wb");
  REQUIRE(file != nullptr);
  gpux::Ts ts = gpux::kRandomStart;
  std::string lines, error;
  std::uint64_t written = 0;
  // In chunks, so memory stays small; each chunk's own seed keeps the mix the same throughout.
  for (std::uint32_t chunk = 0; written < total; ++chunk) {
    const std::size_t n = std::min<std::uint64_t>(100'000, total - written);
    std::vector<gpux::Command> cmds = gpux::random_commands(n, chunk + 1, static_cast<gpux::Seq>(written) + 1, ts);
    if (cmds.size() > n) cmds.resize(n);  // a halt brings its resume along
    lines.clear();
    for (const gpux::Command& c : cmds) REQUIRE(gpux::write_command(c, lines, error));
    REQUIRE(std::fwrite(lines.data(), 1, lines.size(), file) == lines.size());
    written += cmds.size();
  }
  REQUIRE(std::fclose(file) == 0);
}
