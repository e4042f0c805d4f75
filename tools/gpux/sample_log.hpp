// The built-in sample order log that `gpux demo` replays: a morning in a small GPU-hour market.
#pragma once

#include <string_view>

namespace gpux {

std::string_view sample_log();

}  // namespace gpux
