// The operator's `gpux halt`, `resume`, `kill` and `unkill` (docs/rules.md says what each does
// to the book and the accounts).
#pragma once

#include <string>

#include "tools/gpux/session.hpp"

namespace gpux {

// halt and resume: exactly one of instrument and product.
struct HaltOptions {
  SessionOptions session;
  std::string target;  // positional: an instrument symbol (it has an @) or a product
  std::string instrument, product;
};

// kill and unkill.
struct KillOptions {
  SessionOptions session;
  std::string account;
};

// Each returns the exit status (session.hpp). `halt` false: resume; `kill` false: unkill.
int run_halt(const HaltOptions& options, bool halt);
int run_kill(const KillOptions& options, bool kill);

}  // namespace gpux
