// The web view's picture of the market (docs/web-view.md): what one market-data session of
// gpuxd receives (HoursSnapshot and BookUpdates of the products' hour books, BookSnapshot and
// BookUpdates of some window books, PublicTrades), kept as the page needs it, and turned into
// the JSON pushed to the page: a whole snapshot for a page that just connected, then deltas
// that carry the whole new state of every hour, book and trade that changed since the last
// delta (so applying one twice is harmless, and any number of updates in between coalesce).
//
// Prices are integers in $0.0001, as on the wire; times are milliseconds since the epoch;
// hours are whole hours since the epoch. Not thread-safe: one owner, or a lock around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.hpp"
#include "schemas/gpux_generated.h"

namespace gpux::web {

struct MirrorLimits {
  std::size_t tape = 60;    // trades kept (and sent in a snapshot)
  std::size_t depth = 10;   // window-book levels sent per side
};

class Mirror {
 public:
  // `products`: the catalog's product ids, in the order the page lists them.
  explicit Mirror(std::vector<std::string> products, MirrorLimits limits = {});

  // Takes in one frame of the session. True when it changed what the page shows. Frames the
  // page does not show (heartbeats, reports a drop copy gets) change nothing.
  bool apply(const wire::Envelope& env);

  // The session to gpuxd is up (or not): the page says so.
  void set_connected(bool connected);
  // The window books the session follows now (the page offers these); a window left is forgotten.
  void set_windows(const std::vector<std::string>& windows);

  // {"type":"snapshot",...}: everything, for a page that just connected.
  std::string snapshot_json() const;
  // {"type":"delta",...}: what changed since the last call (or the last snapshot a reset
  // asked for); empty when nothing did.
  std::string take_delta_json();

  Seq seq() const { return seq_; }
  const std::vector<std::string>& products() const { return products_; }

 private:
  struct Book {  // price -> (qty, orders)
    std::map<Price, std::pair<Qty, std::uint32_t>, std::greater<>> bids;
    std::map<Price, std::pair<Qty, std::uint32_t>> asks;
  };
  struct Trade {
    Seq seq;
    std::int64_t ts_ms;
    std::uint32_t match;
    std::string instrument;
    Price price;
    Qty qty;
    bool buy;  // aggressor side
  };
  struct Product {
    std::map<std::int64_t, Book> hours;  // only hours with levels
    std::set<std::int64_t> dirty;
  };

  Product* product(std::string_view id);
  void hour_row_json(std::string& out, std::int64_t hour, const Book* b) const;
  void book_json(std::string& out, const Book& b) const;
  void trade_json(std::string& out, const Trade& t) const;

  std::vector<std::string> products_;
  MirrorLimits limits_;
  std::map<std::string, Product, std::less<>> by_product_;
  std::map<std::string, Book, std::less<>> windows_;
  std::set<std::string> dirty_windows_;
  bool windows_changed_ = false;
  std::deque<Trade> tape_;
  std::vector<Trade> new_trades_;
  Seq seq_ = 0;
  bool connected_ = false;
  bool connected_changed_ = false;
};

// {"type":"quote",...}: a QuoteReply as the page shows it.
std::string quote_json(const wire::QuoteReply& q);
// {"type":"quote","ok":false,"reason":...} for a request the web server refused itself.
std::string quote_refused_json(std::string_view reason);

// `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace gpux::web
