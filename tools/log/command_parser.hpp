// Decodes the order-log interchange format (SPEC §2, §5): one JSON object per line.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/command.hpp"

namespace gpux {

enum class ParseResult { command, blank, error };

class CommandParser {
 public:
  CommandParser();
  ~CommandParser();
  CommandParser(const CommandParser&) = delete;
  CommandParser& operator=(const CommandParser&) = delete;

  // Decodes one line (without its newline). `blank` for a line of only white space, which
  // uses no seq. On `error`, `error()` says what is wrong and the seq/ts state is unchanged.
  ParseResult parse(std::string_view line, Command& out);
  const std::string& error() const { return error_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

}  // namespace gpux
