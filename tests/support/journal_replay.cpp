#include "tests/support/journal_replay.hpp"

#include <catch2/catch.hpp>

#include "engine/catalog.hpp"
#include "gateway/storage/reader.hpp"

namespace gpux::test {

bool replay(const std::string& dir, Replay& out, std::string& error,
            const std::function<void(Seq, const Engine&)>& at_seq, const std::function<void(const Engine&)>& at_end,
            std::uint32_t max_orders) {
  EngineConfig config;
  config.max_orders = max_orders;
  Engine engine(Catalog::builtin(), config);
  EventBuffer events;
  Ts last_ts = 0;
  if (at_seq) at_seq(0, engine);
  storage::ScanResult scanned;
  const bool ok = storage::scan(
      dir, {},
      [&](const storage::Record& r) {
        if (r.command.ts < last_ts) ++out.ts_regressions;
        last_ts = r.command.ts;
        events.clear();
        engine.process(r.command, events);
        for (const Event& e : events) {
          switch (e.type) {
            case EventType::accepted:
              if (!out.accepted
                       .emplace(e.order_id, Replay::Accepted{e.seq, std::string(e.cl_id.view()),
                                                             std::string(engine.account_name(e.account))})
                       .second)
                ++out.duplicate_orders;
              break;
            case EventType::trade:
              if (!out.trades.emplace(std::make_pair(e.seq, e.match), e).second) ++out.duplicate_trades;
              break;
            case EventType::canceled: out.canceled.emplace(e.seq, e.order_id, e.leaves); break;
            case EventType::rejected:
              out.rejected.emplace(e.seq, std::string(engine.account_name(e.account)), std::string(e.cl_id.view()));
              break;
            default: break;
          }
        }
        if (at_seq) at_seq(r.command.seq, engine);
      },
      scanned, error);
  out.last_seq = scanned.last_seq;
  out.torn = scanned.torn;
  out.records = scanned.records;
  if (ok && at_end) at_end(engine);
  return ok;
}

void check_reports(const ReportsSeen& a, const Replay& r) {
  INFO("account " << a.name);
  std::set<OrderId> acked;
  for (const AckSeen& ack : a.accepted) {
    INFO("Accepted order " << ack.order_id << " cl_id " << ack.cl_id << " seq " << ack.seq << " in cycle " << ack.cycle);
    CHECK(acked.insert(ack.order_id).second);  // acknowledged once
    const auto it = r.accepted.find(ack.order_id);
    REQUIRE(it != r.accepted.end());
    CHECK(it->second.seq == ack.seq);
    CHECK(it->second.cl_id == ack.cl_id);
    CHECK(it->second.account == a.name);
  }
  std::set<std::tuple<Seq, std::uint32_t, Side>> filled;
  for (const FillSeen& f : a.fills) {
    INFO("Fill seq " << f.seq << " match " << f.match << " order " << f.order_id << " in cycle " << f.cycle);
    CHECK(filled.emplace(f.seq, f.match, f.side).second);  // each side of a trade once
    const auto it = r.trades.find({f.seq, f.match});
    REQUIRE(it != r.trades.end());
    const Event& t = it->second;
    CHECK(f.order_id == (f.side == Side::buy ? t.buy_order_id : t.sell_order_id));
    CHECK(f.leaves == (f.side == Side::buy ? t.buy_leaves : t.sell_leaves));
    CHECK(f.qty == t.qty);
    CHECK(f.price == t.price);
    CHECK(f.aggressor == (t.aggressor == f.side));
  }
  for (const CancelSeen& c : a.canceled) {
    INFO("Canceled seq " << c.seq << " order " << c.order_id);
    CHECK(r.canceled.contains({c.seq, c.order_id, c.leaves}));
  }
  for (const RejectSeen& j : a.rejected) {
    if (j.seq == 0) continue;  // refused by the gateway, never sequenced
    INFO("Rejected seq " << j.seq << " cl_id " << j.cl_id);
    CHECK(r.rejected.contains({j.seq, a.name, j.cl_id}));
  }
}

}  // namespace gpux::test
