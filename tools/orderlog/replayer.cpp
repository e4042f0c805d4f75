#include "tools/orderlog/replayer.hpp"

#include "tools/orderlog/event_writer.hpp"

namespace gpux {

Replayer::Replayer(Catalog catalog, EngineConfig config) : engine_(std::move(catalog), config) {}

bool Replayer::line(std::string_view text, std::string& out) {
  switch (parser_.parse(text, command_)) {
    case ParseResult::blank: return true;
    case ParseResult::error: return false;
    case ParseResult::command: break;
  }
  command(command_, out);
  return true;
}

void Replayer::command(const Command& c, std::string& out) { commands({&c, 1}, out); }

void Replayer::commands(std::span<const Command> cmds, std::string& out) {
  buffer_.clear();
  engine_.process(cmds, buffer_);
  for (const Event& e : buffer_) write_event(e, engine_, out);
  commands_ += cmds.size();
  events_ += buffer_.size();
}

}  // namespace gpux
