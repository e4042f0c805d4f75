// The order-log interchange format (docs/order-log.md): one JSON object per line, decoded by
// CommandParser and written by write_command, so that both directions share one set of names.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/command.hpp"
#include "tools/orderlog/line_fields.hpp"

namespace gpux {

enum class ParseResult { command, blank, error };

class CommandParser {
 public:
  explicit CommandParser(Decoder decoder = Decoder::on_demand);
  ~CommandParser();
  CommandParser(const CommandParser&) = delete;
  CommandParser& operator=(const CommandParser&) = delete;

  // Decodes one line (without its newline). `blank` for a line of only white space, which
  // uses no seq. On `error`, `error()` says what is wrong, the seq/ts state is unchanged and
  // `out` may have been partly written.
  ParseResult parse(std::string_view line, Command& out);
  // The same for a line followed by at least kLinePadding readable bytes, of any content: a
  // block reader's lines are parsed where they lie, where parse() copies each line first.
  ParseResult parse_padded(std::string_view line, Command& out);
  const std::string& error() const { return error_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

// Appends `c` as one log line and its newline, with an explicit seq. Parsing the line gives a
// command the engine treats exactly as `c`: fields the command's type does not read are left
// out, and so are optional fields that are absent or at their defaults. False, with `error`
// (and nothing appended), when the format cannot carry the command: an account or cl_id
// breaking its syntax, a symbol or product that is not UTF-8, or a cancel, replace, halt or
// resume without the target its type needs.
bool write_command(const Command& c, std::string& out, std::string& error);

}  // namespace gpux
