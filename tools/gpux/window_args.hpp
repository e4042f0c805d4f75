// How the trading commands name what they trade: a full instrument symbol
// (PRODUCT@YYYY-MM-DDTHHZ+Nh), or a product with --start and --hours, the way a lab or an owner
// thinks of a block ("512 GPUs from Dec 15 for 720 hours"). A bare product without --start is
// the demo market's first window, as before.
#pragma once

#include <string>

#include "engine/types.hpp"

namespace gpux {

struct WindowArgs {
  std::string instrument;  // a symbol, or a bare PRODUCT
  std::string start;       // --start: ISO 8601 UTC on a whole hour, today, tomorrow, or now/+N[h|d|w] (rounded up)
  std::int64_t hours = 0;  // --hours or --for: the window's length in hours (0: not given)
};

// The instrument symbol the arguments name, or false with a message in `error`.
bool resolve_window(const WindowArgs& args, Ts now, std::string& symbol, std::string& error);

}  // namespace gpux
