// Lengths fixed by SPEC §2 and by the interchange format's own limits.
#pragma once

#include <cstddef>

namespace gpux {

constexpr std::size_t kMaxAccountLen = 32;  // SPEC: [A-Za-z0-9_.-]{1,32}
constexpr std::size_t kMaxClIdLen = 36;     // SPEC: 1-36 printable ASCII
// Instrument symbols and product ids longer than this are input errors: no catalog product
// id may exceed kMaxProductLen, so such a string can never name a tradable instrument.
constexpr std::size_t kMaxSymbolLen = 64;
constexpr std::size_t kMaxProductLen = 32;

}  // namespace gpux
