// One instrument's order book as a client keeps it: a BookSnapshot and the BookUpdates after
// it, the last public trades and whether trading is halted; and its picture as text, the price
// ladder `gpux book` draws.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "engine/types.hpp"
#include "schemas/gpux_generated.h"

namespace gpux::client {

class BookLadder {
 public:
  explicit BookLadder(std::string instrument) : instrument_(std::move(instrument)) {}

  const std::string& instrument() const { return instrument_; }
  bool has_snapshot() const { return have_snapshot_; }

  // Takes in a message about the instrument: its snapshot, a level update, a trade, a halt or
  // resume of it or of its product. False for any other message, which changes nothing.
  bool apply(const wire::Envelope& env);

  // The header, up to `depth` levels a side with the spread between them, the last trades.
  std::string render(int depth) const;

 private:
  void snapshot(const wire::BookSnapshot& b);
  void update(const wire::BookUpdate& b);
  void trade(const wire::PublicTrade& t);

  std::string instrument_;
  Seq seq_ = 0;
  bool have_snapshot_ = false;
  bool halted_ = false;
  std::map<Price, wire::Level, std::greater<>> bids_;
  std::map<Price, wire::Level> asks_;
  std::deque<std::string> trades_;  // newest first
};

}  // namespace gpux::client
