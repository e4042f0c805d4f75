// Reading an order log (JSON Lines, docs/order-log.md) for the operator tools: the log half of
// command_source.hpp.
#pragma once

#include <string>
#include <string_view>

#include "tools/gpux/command_source.hpp"

namespace gpux {

// A log file, or "-" for stdin: read and parsed on a thread of its own, ahead of `f`, which
// runs on the caller's thread and gets the commands in order.
SourceStatus read_log(const std::string& path, Seq until, const CommandsFn& f);

// The same for a log held in memory (the built-in sample), named `name` in errors.
SourceStatus read_log_text(std::string_view text, std::string_view name, Seq until, const CommandsFn& f);

}  // namespace gpux
