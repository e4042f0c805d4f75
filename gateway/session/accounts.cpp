#include "gateway/session/accounts.hpp"

#include "engine/limits.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <sstream>

namespace gpux::gateway {

std::string Accounts::sha256_hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), md, &n, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

Accounts Accounts::demo() {
  Accounts a;
  for (const char* name : {"maker-1", "maker-2", "maker-3", "maker-4", "lab-x", "lab-y", "lab-z"})
    a.entries_.push_back({name, wire::Role::trader, sha256_hex("demo")});
  a.entries_.push_back({"ops", wire::Role::operator_, sha256_hex("ops-demo")});
  a.entries_.push_back({"audit", wire::Role::drop_copy, sha256_hex("audit-demo")});
  return a;
}

std::optional<Accounts> Accounts::parse(std::string_view text, std::string& error) {
  Accounts a;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string name, role, digest, extra;
    if (!(words >> name)) continue;
    if (!(words >> role >> digest) || (words >> extra)) {
      error = "line " + std::to_string(n) + ": expected NAME ROLE SHA256HEX";
      return std::nullopt;
    }
    if (!valid_account(name)) {
      error = "line " + std::to_string(n) + ": an account name is 1-32 of [A-Za-z0-9_.-]";
      return std::nullopt;
    }
    if (role != "trader" && role != "operator" && role != "drop_copy") {
      error = "line " + std::to_string(n) + ": role must be trader, operator or drop_copy";
      return std::nullopt;
    }
    if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      error = "line " + std::to_string(n) + ": the token hash must be 64 lowercase hex digits";
      return std::nullopt;
    }
    const wire::Role r = role == "operator"    ? wire::Role::operator_
                         : role == "drop_copy" ? wire::Role::drop_copy
                                               : wire::Role::trader;
    a.entries_.push_back({name, r, digest});
  }
  return a;
}

const AccountEntry* Accounts::authenticate(std::string_view name, std::string_view token) const {
  const std::string digest = sha256_hex(token);
  for (const AccountEntry& e : entries_)
    if (e.name == name && CRYPTO_memcmp(e.token_sha256.data(), digest.data(), digest.size()) == 0) return &e;
  return nullptr;
}

}  // namespace gpux::gateway
