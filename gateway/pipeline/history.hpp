// Past execution reports, for a client that reconnects and asks for what it missed. Sessions
// only ask; finding the reports (gpuxd: replaying the journal on a thread of its own) is the
// implementation's business. Both calls are made on the gateway thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "gateway/transport/transport.hpp"

namespace gpux::gateway {

struct ResendRequest {
  ConnId conn;
  std::string account;
  bool everyone;  // a drop copy: every account's reports
  Seq since;      // reports of commands since < seq <= through
  Seq through;
};

struct ResendResult {
  ResendRequest request;
  std::vector<std::uint8_t> frames;  // whole server frames, in seq order
  std::string error;                 // non-empty: the reports could not be found
};

class History {
 public:
  virtual ~History() = default;
  virtual void request(ResendRequest request) = 0;
  // Hands over the answers ready so far.
  virtual void poll(const std::function<void(ResendResult&)>& f) = 0;
};

}  // namespace gpux::gateway
