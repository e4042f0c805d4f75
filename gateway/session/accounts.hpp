// Who may log in: accounts with a role and the SHA-256 of their secret token, from a file or
// the built-in demo set. Only hashes are kept, so a leaked accounts file reveals no token.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/gpux_generated.h"

namespace gpux::gateway {

struct AccountEntry {
  std::string name;
  wire::Role role;
  std::string token_sha256;  // lowercase hex
};

class Accounts {
 public:
  // Demo accounts for the default run: maker-1..maker-4, lab-x, lab-y, lab-z with token
  // "demo", operator "ops" with token "ops-demo", drop copy "audit" with token "audit-demo".
  static Accounts demo();
  // Lines "NAME ROLE SHA256HEX" (ROLE trader, operator or drop_copy); '#' starts a comment.
  // On failure returns nullopt and says why (with the line) in `error`.
  static std::optional<Accounts> parse(std::string_view text, std::string& error);

  // The account when `token` is its secret, else nullptr.
  const AccountEntry* authenticate(std::string_view name, std::string_view token) const;

  static std::string sha256_hex(std::string_view text);

 private:
  std::vector<AccountEntry> entries_;
};

}  // namespace gpux::gateway
