// `gpux book`, `gpux trades` and `gpux watch`: the market data of instruments, drawn as a live
// book or streamed as lines until Ctrl-C.
#pragma once

#include <string>
#include <vector>

#include "tools/gpux/session.hpp"

namespace gpux {

struct BookOptions {
  SessionOptions session;
  std::string instrument;  // a bare PRODUCT: the demo market's first window
  bool once = false;       // print the book as it is and exit
  int depth = 10;          // levels shown per side
  bool hours = false;      // the product's hour books instead (hours_cmds.hpp)
  std::string from, to;    // with hours: the hours shown, [from, to)
};

// trades and watch.
struct StreamOptions {
  SessionOptions session;
  std::vector<std::string> instruments;  // a bare PRODUCT: its demo window; none: every demo instrument
};

// Each returns the exit status (session.hpp).
int run_book(const BookOptions& options);
int run_trades(const StreamOptions& options);  // public trades
int run_watch(const StreamOptions& options);   // everything but heartbeats

}  // namespace gpux
