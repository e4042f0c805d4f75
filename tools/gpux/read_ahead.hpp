// Reading a source of commands (an order log, a journal) on a thread of its own, ahead of the
// caller, which runs the engine on the commands: on two cores the caller then pays for the
// hand-over (the commands' cache lines moving between cores) rather than the reading
// (docs/order-log.md, bench/README.md "Replay, read ahead").
#pragma once

#include <functional>
#include <span>

#include "tools/gpux/command_source.hpp"

namespace gpux {

// Passes the first n commands of the buffer being filled on; returns the buffer to fill next,
// or an empty one when the caller has stopped (the reader should then stop too).
using HandOn = std::function<std::span<Command>(std::size_t n)>;

// What the reading thread runs: decode into `first`, hand each full buffer on (and the last,
// partly full one before returning), and say how the source ended.
using Produce = std::function<SourceStatus(std::span<Command> first, const HandOn& hand_on)>;

// Runs `produce` on a new thread and `f` on the caller's, in runs of up to kBatch commands, in
// order; returns what `produce` returned once both are done.
SourceStatus read_ahead(const Produce& produce, const CommandsFn& f);

}  // namespace gpux
