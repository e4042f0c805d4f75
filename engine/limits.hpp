// Lengths fixed by docs/rules.md ("Where the spec is silent" 1 and 2) and by the order log's
// field types (docs/order-log.md).
#pragma once

#include <cstddef>

namespace gpux {

constexpr std::size_t kMaxAccountLen = 32;  // docs/rules.md: [A-Za-z0-9_.-]{1,32}
constexpr std::size_t kMaxClIdLen = 36;     // docs/rules.md: 1-36 printable ASCII
// Instrument symbols and product ids longer than this are input errors: no catalog product
// id may exceed kMaxProductLen, so such a string can never name a tradable instrument.
constexpr std::size_t kMaxSymbolLen = 64;
constexpr std::size_t kMaxProductLen = 32;
// A `fund` amount as given (docs/ledger.md): a valid one needs at most 21 characters
// ("-922337203685477.5807"); longer strings are input errors rather than `bad_amount`, so that
// a `fund_rejected` can always echo the amount whole.
constexpr std::size_t kMaxAmountLen = 40;

}  // namespace gpux

#include <string_view>

namespace gpux {

// The syntax of an account name, docs/rules.md ("Where the spec is silent" 2): [A-Za-z0-9_.-]{1,32}.
inline bool valid_account(std::string_view s) {
  if (s.empty() || s.size() > kMaxAccountLen) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The syntax of a cl_id, docs/rules.md ("Where the spec is silent" 2): 1-36 printable ASCII
// characters (0x20-0x7E).
inline bool valid_cl_id(std::string_view s) {
  if (s.empty() || s.size() > kMaxClIdLen) return false;
  for (char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

}  // namespace gpux
