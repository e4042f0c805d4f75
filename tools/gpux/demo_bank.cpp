// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include "tools/gpux/demo_bank.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>

#include "engine/catalog.hpp"
#include "engine/symbol.hpp"
#include "tools/client/client.hpp"

namespace gpux {

namespace {

// Each maker holds every product for the next 120 days: an eighth of max_qty in every hour
// (32,768 H100s), far more than its quotes and the hours desk's offers ever commit at once.
constexpr std::int64_t kDepositHours = 24 * 120;
// Makers bid too: every level of every window of every product, about $6 million at most.
constexpr const char* kMakerCash = "100000000";
// lab-x is the README's trader; lab-y and lab-z buy the hours desk's blocks (weeks long).
constexpr const char* kLabCash = "10000000";
constexpr const char* kLabs[] = {"lab-x", "lab-y", "lab-z"};

}  // namespace

bool open_demo_bank(const std::string& host, std::uint16_t port, int makers, Ts now, std::string& error) {
  boost::asio::io_context io;
  client::Client ops(io);
  if (!ops.connect(host, port) || !ops.login("ops", "ops-demo")) {
    error = "operator ops: " + ops.error();
    return false;
  }
  int waiting = 0;
  std::string refused;
  ops.on_message([&](const wire::Envelope& env) {
    switch (env.body_type()) {
      case wire::Body::Deposited:
      case wire::Body::Funded:
        --waiting;
        break;
      case wire::Body::DepositRejected: {
        const auto* r = env.body_as_DepositRejected();
        refused += " deposit to " + flatbuffers::GetString(r->account()) + " refused: " + wire::EnumNameReason(r->reason());
        --waiting;
        break;
      }
      case wire::Body::FundRejected: {
        const auto* r = env.body_as_FundRejected();
        refused += " fund of " + flatbuffers::GetString(r->account()) + " refused: " + wire::EnumNameReason(r->reason());
        --waiting;
        break;
      }
      default:
        break;
    }
  });
  const Catalog catalog = Catalog::builtin();
  const std::int64_t hour = now / kNsPerHour;
  bool sent = true;
  for (int m = 1; m <= makers; ++m) {
    const std::string maker = "maker-" + std::to_string(m);
    for (const Product& p : catalog.products()) {
      sent = sent && ops.deposit(maker, format_symbol(p.id, hour, kDepositHours), p.max_qty / 8 / p.lot * p.lot);
      ++waiting;
    }
    sent = sent && ops.fund(maker, kMakerCash);
    ++waiting;
  }
  for (const char* lab : kLabs) {
    sent = sent && ops.fund(lab, kLabCash);
    ++waiting;
  }
  if (!sent || !ops.run_until([&] { return waiting == 0; }, std::chrono::seconds(10))) {
    error = "the operator's deposits and funds got no answer: " + ops.error();
    return false;
  }
  if (!refused.empty()) {
    error = refused;
    return false;
  }
  std::printf("the operator deposited %lld hours of every product to %d makers and funded them and %zu labs "
              "(risk checks stay on: sells need capacity, buys need cash)\n",
              static_cast<long long>(kDepositHours), makers, std::size(kLabs));
  return true;
}

}  // namespace gpux
