// Unit tests of tools/gpux/read_ahead.hpp: commands decoded on the reading thread reach the
// caller's in order, none lost or repeated, in runs of at most kBatch; a caller that stops (an
// exception) stops the reader too. In the threaded set, so ThreadSanitizer runs them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "engine/command.hpp"
#include "tools/gpux/read_ahead.hpp"

using namespace gpux;

namespace {

// A source of `n` clock commands with seqs 1..n, handed on in buffers as a decoder fills them.
struct Counting {
  std::uint64_t n;
  bool stopped = false;  // a hand-over returned no buffer
  std::uint64_t made = 0;

  SourceStatus operator()(std::span<Command> buffer, const HandOn& hand_on) {
    std::size_t pending = 0;
    while (made < n) {
      buffer[pending] = make_command(CommandType::clock, static_cast<Seq>(++made), 1000 + static_cast<Ts>(made));
      if (++pending == buffer.size()) {
        buffer = hand_on(pending);
        pending = 0;
        if (buffer.empty()) {
          stopped = true;
          return {};
        }
      }
    }
    if (pending > 0) hand_on(pending);
    return {};
  }
};

}  // namespace

TEST_CASE("read_ahead: every command once, in order, in runs of at most kBatch", "[read_ahead]") {
  for (const std::uint64_t n : {0ull, 1ull, 63ull, 64ull, 257ull, 200'000ull}) {
    Counting source{n};
    std::vector<Seq> seen;
    std::size_t longest = 0;
    const SourceStatus status = read_ahead(std::ref(source), [&](std::span<const Command> run) {
      REQUIRE_FALSE(run.empty());
      longest = std::max(longest, run.size());
      for (const Command& c : run) seen.push_back(c.seq);
    });
    INFO("n " << n);
    CHECK(status.exit == 0);
    REQUIRE(seen.size() == n);
    for (std::uint64_t i = 0; i < n; ++i) REQUIRE(seen[i] == static_cast<Seq>(i + 1));
    CHECK(longest <= kBatch);
    CHECK_FALSE(source.stopped);
  }
}

TEST_CASE("read_ahead: a caller that throws stops the reader, and the exception comes out", "[read_ahead]") {
  Counting source{10'000'000};
  std::uint64_t taken = 0;
  CHECK_THROWS_AS(read_ahead(std::ref(source),
                             [&](std::span<const Command> run) {
                               taken += run.size();
                               if (taken >= 5'000) throw std::runtime_error("the caller gives up");
                             }),
                  std::runtime_error);
  // The reader stopped at a hand-over, far short of the end: it was joined, not left running.
  CHECK(source.stopped);
  CHECK(source.made < 1'000'000);
}
