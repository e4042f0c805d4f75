// A random command stream built directly as Commands (no JSON): every command type, three
// instruments, four accounts, a bounded population of resting orders. For tests that need a
// long, busy run rather than exact expectations. With `fresh_windows`, instruments also come
// and go: some orders go to short-lived windows that open within the next hours, and time
// jumps a minute now and then, so books are listed, emptied, unlisted and closed all along;
// a third of those orders are divisible (docs/hours.md), so hour books come and go too and
// blocks sweep them, on arrival and standing; and one command in a hundred moves the ledger
// (deposit, withdraw, fund, risk on or off: docs/ledger.md).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/command.hpp"

namespace gpux {

constexpr Ts kRandomStart = 1795219200000000000;  // 2026-11-21T00:00Z

// `n` commands from `seed`, numbered from `first_seq`; `ts` advances and is left at the last.
std::vector<Command> random_commands(std::size_t n, std::uint32_t seed, Seq first_seq, Ts& ts,
                                     bool fresh_windows = false);

}  // namespace gpux
