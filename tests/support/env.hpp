// Test knobs from the environment (seeds, counts), so that a failure can be reproduced.
// Header-only: the fault test, a program of its own, uses it too.
#pragma once

#include <cstdint>
#include <cstdlib>

namespace gpux::test {

// $name as a number; `fallback` when unset or empty.
inline std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::strtoull(v, nullptr, 10);
}

}  // namespace gpux::test
