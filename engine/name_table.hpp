// Interns names (accounts, instrument symbols) to dense ids. Lookups hash the bytes and probe
// a flat table; only a name seen for the first time allocates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "engine/fixed_string.hpp"

namespace gpux {

class NameTable {
 public:
  static constexpr std::uint32_t npos = 0xFFFF'FFFF;

  NameTable() : slots_(64, npos) {}

  static std::uint64_t hash(std::string_view name) { return XXH3_64bits(name.data(), name.size()); }

  std::uint32_t find(std::string_view name) const { return find(name, hash(name)); }
  std::uint32_t find(std::string_view name, std::uint64_t h) const {
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const std::uint32_t id = slots_[i];
      if (id == npos) return npos;
      if (same_text(names_[id], name)) return id;
    }
  }

  std::uint32_t intern(std::string_view name) { return intern(name, hash(name)); }
  // `h` must be hash(name): callers that hashed the name already pass it on.
  std::uint32_t intern(std::string_view name, std::uint64_t h) {
    const std::uint32_t found = find(name, h);
    if (found != npos) return found;
    if (2 * (names_.size() + 1) > slots_.size()) rehash(slots_.size() * 2);
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    place(id);
    return id;
  }

  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  void place(std::uint32_t id) {
    const std::uint64_t h = hash(names_[id]);
    std::size_t i = h & (slots_.size() - 1);
    while (slots_[i] != npos) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = id;
  }
  void rehash(std::size_t n) {
    slots_.assign(n, npos);
    for (std::uint32_t id = 0; id < names_.size(); ++id) place(id);
  }

  std::vector<std::string> names_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace gpux
