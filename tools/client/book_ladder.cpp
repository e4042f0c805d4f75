#include "tools/client/book_ladder.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "tools/client/render_text.hpp"
#include "tools/client/utc_time.hpp"

namespace gpux::client {

using flatbuffers::GetString;

bool BookLadder::apply(const wire::Envelope& env) {
  switch (env.body_type()) {
    case wire::Body::BookSnapshot:
      if (GetString(env.body_as_BookSnapshot()->instrument()) != instrument_) return false;
      snapshot(*env.body_as_BookSnapshot());
      return true;
    case wire::Body::BookUpdate:
      if (GetString(env.body_as_BookUpdate()->instrument()) != instrument_) return false;
      update(*env.body_as_BookUpdate());
      return true;
    case wire::Body::PublicTrade:
      if (GetString(env.body_as_PublicTrade()->instrument()) != instrument_) return false;
      trade(*env.body_as_PublicTrade());
      return true;
    case wire::Body::Halted:
    case wire::Body::Resumed: {
      const bool halt = env.body_type() == wire::Body::Halted;
      const auto* i = halt ? env.body_as_Halted()->instrument() : env.body_as_Resumed()->instrument();
      const auto* p = halt ? env.body_as_Halted()->product() : env.body_as_Resumed()->product();
      if (i ? GetString(i) != instrument_ : !instrument_.starts_with(GetString(p) + "@")) return false;
      halted_ = halt;
      return true;
    }
    default:
      return false;
  }
}

void BookLadder::snapshot(const wire::BookSnapshot& b) {
  bids_.clear();
  asks_.clear();
  if (b.bids())
    for (const wire::Level* l : *b.bids()) bids_[l->price()] = *l;
  if (b.asks())
    for (const wire::Level* l : *b.asks()) asks_[l->price()] = *l;
  seq_ = b.seq();
  have_snapshot_ = true;
}

// Every update after the snapshot applies, even one with the snapshot's own seq: a command's
// levels may straddle the snapshot, and each update is the level's whole state anyway.
void BookLadder::update(const wire::BookUpdate& b) {
  const wire::Level* l = b.level();
  if (l == nullptr) return;
  seq_ = std::max(seq_, b.seq());
  if (b.side() == wire::Side::buy) {
    if (l->orders() == 0)
      bids_.erase(l->price());
    else
      bids_[l->price()] = *l;
  } else {
    if (l->orders() == 0)
      asks_.erase(l->price());
    else
      asks_[l->price()] = *l;
  }
}

void BookLadder::trade(const wire::PublicTrade& t) {
  trades_.push_front(utc_time_of_day(t.ts()) + "  " + std::string(wire::EnumNameSide(t.aggressor())) + " " +
                     std::to_string(t.qty()) + " @ " + price_text(t.price()));
  if (trades_.size() > 8) trades_.pop_back();
}

std::string BookLadder::render(int depth) const {
  char line[128];
  std::string out = instrument_ + (halted_ ? "  HALTED" : "") + "   seq " + std::to_string(seq_) + "\n";
  std::snprintf(line, sizeof line, "      %12s %10s %7s\n", "price", "qty", "orders");
  out += line;
  std::vector<const wire::Level*> top_asks;
  for (const auto& [p, l] : asks_) {
    if (static_cast<int>(top_asks.size()) == depth) break;
    top_asks.push_back(&l);
  }
  for (auto it = top_asks.rbegin(); it != top_asks.rend(); ++it) {
    std::snprintf(line, sizeof line, "  ask %12s %10lld %7u\n", price_text((*it)->price()).c_str(),
                  static_cast<long long>((*it)->qty()), (*it)->orders());
    out += line;
  }
  if (!bids_.empty() && !asks_.empty())
    out += "  ---- spread " + price_text(asks_.begin()->first - bids_.begin()->first) + " ----\n";
  else
    out += "  ----\n";
  int shown = 0;
  for (const auto& [p, l] : bids_) {
    if (shown++ == depth) break;
    std::snprintf(line, sizeof line, "  bid %12s %10lld %7u\n", price_text(p).c_str(), static_cast<long long>(l.qty()),
                  l.orders());
    out += line;
  }
  if (bids_.empty() && asks_.empty()) out += "  (empty book)\n";
  out += "\nlast trades (UTC):\n";
  if (trades_.empty()) out += "  none yet\n";
  for (const std::string& t : trades_) out += "  " + t + "\n";
  return out;
}

}  // namespace gpux::client
