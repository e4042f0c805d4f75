#include "tools/log/replayer.hpp"

#include "tools/log/event_writer.hpp"

namespace gpux {

Replayer::Replayer(Catalog catalog, EngineConfig config) : engine_(std::move(catalog), config) {}

bool Replayer::line(std::string_view text, std::string& out) {
  switch (parser_.parse(text, command_)) {
    case ParseResult::blank: return true;
    case ParseResult::error: return false;
    case ParseResult::command: break;
  }
  buffer_.clear();
  engine_.process(command_, buffer_);
  for (const Event& e : buffer_) write_event(e, engine_, out);
  ++commands_;
  events_ += buffer_.size();
  return true;
}

}  // namespace gpux
