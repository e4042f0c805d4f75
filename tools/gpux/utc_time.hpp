// Timestamps for people: ISO 8601 in UTC, from the int64 ns since the epoch that gpux keeps.
#pragma once

#include <string>

#include "engine/types.hpp"

namespace gpux {

std::string utc_ns(Ts ts);       // "2026-12-01T00:00:00.000000000Z"
std::string utc_seconds(Ts ts);  // "2026-12-01T00:00:00Z", the ns dropped

}  // namespace gpux
