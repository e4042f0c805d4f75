// The hours desk of `gpux demo-market` (SPEC v2 §6): owners (the makers' sessions) post
// divisible capacity over days and weeks; two labs (lab-y, lab-z) send blocks over windows that
// match no offer exactly, some ioc that sweep the hour books at once, some gtc that stand until
// new capacity arrives under them. Each happening prints one line, so a new user sees sweeps
// and standing blocks fill. What it holds stays bounded: at most kMaxOffers offers and
// kMaxStanding standing blocks live at once, the oldest canceled first.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/command.hpp"
#include "schemas/gpux_generated.h"
#include "tools/client/client.hpp"

namespace gpux {

class HoursDesk {
 public:
  // Sends a command as one of the owners (the makers' accounts, already logged in).
  using OwnerSend = std::function<bool(std::size_t owner, const Command&)>;

  HoursDesk(boost::asio::io_context& io, std::uint64_t seed, std::size_t owners, OwnerSend send);
  ~HoursDesk();

  // Logs the labs in; false (with a line on stderr) when they cannot: the demo goes on without
  // the desk, e.g. while a person is logged in as lab-y.
  bool start(const std::string& host, std::uint16_t port, Ts now);
  // One step: an offer or a block, every couple of seconds.
  void step(Ts now);
  // A message to an owner's session (they share the makers' clients).
  void owner_message(std::size_t owner, const wire::Envelope& env);
  // Cancels what the labs hold; the makers' mass cancel takes the owners' offers.
  void stop();

  std::uint64_t sweeps() const { return sweeps_; }
  std::uint64_t standing_fills() const { return standing_fills_; }

 private:
  struct Lab {
    std::string account;
    std::unique_ptr<client::Client> client;
  };
  struct Live {
    std::string who;     // account
    std::string what;    // "block 64 H100.MEM1@...+72h @2.2500" for the lines printed
    bool block = false;  // a lab's block (else an owner's offer)
    bool ioc = false;    // a block that sweeps at once or not at all
    Qty filled = 0;
    bool accepted = false;
    Seq accepted_seq = 0;
    std::size_t lab_or_owner = 0;
  };

  void offer(Ts now);
  void block(Ts now);
  void lab_message(std::size_t lab, const wire::Envelope& env);
  void on_report(const std::string& account, const wire::Envelope& env);
  void trim(bool blocks, std::size_t max);
  std::int64_t window_start(Ts now, int days);
  Price price_near(const Product& p, int lo_ticks, int hi_ticks);
  std::string next_cl_id(const std::string& who);

  boost::asio::io_context& io_;
  std::mt19937_64 rng_;
  std::size_t owners_;
  OwnerSend send_;
  Catalog catalog_ = Catalog::builtin();
  std::vector<const Product*> products_;
  std::vector<Lab> labs_;
  std::unordered_map<std::string, Live> by_cl_id_;  // offers and standing blocks, by cl_id
  std::map<OrderId, std::string> by_id_;  // their order ids once accepted, oldest first
  std::uint64_t next_ = 0;
  std::uint64_t steps_ = 0;
  std::uint64_t sweeps_ = 0;
  std::uint64_t standing_fills_ = 0;
};

}  // namespace gpux
