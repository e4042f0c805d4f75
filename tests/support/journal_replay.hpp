// A gpuxd journal replayed through a fresh engine, and the execution reports a test's clients
// saw checked against it: every Accepted, Fill, Canceled and sequenced Rejected must be in the
// replay exactly as reported, and none reported twice. For the tests that run the real server
// and kill it (tests/fault/, tests/replication/).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/engine.hpp"
#include "schemas/codec.hpp"

namespace gpux::test {

// What a client saw. `cycle`: the test's phase (a restart, a failover) it came in.
struct AckSeen {
  Seq seq;
  OrderId order_id;
  std::string cl_id;
  int cycle;
};
struct FillSeen {
  Seq seq;
  std::uint32_t match;
  OrderId order_id;
  Side side;
  bool aggressor;
  Qty qty;
  Price price;
  Qty leaves;
  int cycle;
};
struct CancelSeen {
  Seq seq;
  OrderId order_id;
  std::string cl_id;
  Qty leaves;
  wire::Reason reason;
};
struct RejectSeen {
  Seq seq;
  std::string cl_id;
  wire::Reason reason;
};

// One account's reports, as its client received them.
struct ReportsSeen {
  std::string name;
  std::vector<AckSeen> accepted;
  std::vector<FillSeen> fills;
  std::vector<CancelSeen> canceled;
  std::vector<RejectSeen> rejected;
};

struct Replay {
  struct Accepted {
    Seq seq;
    std::string cl_id;
    std::string account;
  };
  std::map<OrderId, Accepted> accepted;
  std::map<std::pair<Seq, std::uint32_t>, Event> trades;
  std::set<std::tuple<Seq, OrderId, Qty>> canceled;  // seq, order_id, leaves
  std::set<std::tuple<Seq, std::string, std::string>> rejected;  // seq, account, cl_id
  std::uint64_t duplicate_orders = 0, duplicate_trades = 0;
  std::uint64_t ts_regressions = 0;  // a command stamped earlier than the one before it (across restarts too)
  Seq last_seq = 0;
  bool torn = false;
  std::uint64_t records = 0;
};

// Replays the journal in `dir` from its start (the builtin catalog, `max_orders` as gpuxd's
// --max-orders); `at_seq` is called after each record with the engine in the state as of that
// seq (and once with seq 0 before the first), `at_end` after the last.
bool replay(const std::string& dir, Replay& out, std::string& error,
            const std::function<void(Seq, const Engine&)>& at_seq = {},
            const std::function<void(const Engine&)>& at_end = {}, std::uint32_t max_orders = 100000);

// Catch2 checks: every report in `a` is in the replay, exactly; nothing was reported twice.
void check_reports(const ReportsSeen& a, const Replay& r);

}  // namespace gpux::test
