#include "gateway/replication/nats_link.hpp"

#include <nats/nats.h>

#include <chrono>
#include <thread>
#include <vector>

namespace gpux::replication {

std::string nats_error(std::string_view what, int status, int js_code) {
  std::string out(what);
  out += ": ";
  out += natsStatus_GetText(static_cast<natsStatus>(status));
  if (js_code) out += " (JetStream error " + std::to_string(js_code) + ")";
  const char* last = nats_GetLastError(nullptr);
  if (last && *last) {
    out += ": ";
    out += last;
  }
  return out;
}

NatsLink::~NatsLink() {
  if (js_) jsCtx_Destroy(js_);
  if (conn_) natsConnection_Destroy(conn_);
}

bool NatsLink::open(const NatsConfig& config, std::string& error) {
  config_ = config;
  std::vector<std::string> urls;
  for (std::size_t at = 0; at <= config.urls.size();) {
    const std::size_t comma = std::min(config.urls.find(',', at), config.urls.size());
    if (comma > at) urls.push_back(config.urls.substr(at, comma - at));
    at = comma + 1;
  }
  if (urls.empty()) {
    error = "no NATS server given";
    return false;
  }
  std::vector<const char*> list;
  for (const std::string& u : urls) list.push_back(u.c_str());

  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK) s = natsOptions_SetServers(opts, list.data(), static_cast<int>(list.size()));
  if (s == NATS_OK) s = natsOptions_SetName(opts, "gpuxd");
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 2000);
  // Reconnect for ever, quickly: a NATS node dying must cost a primary one reconnect to
  // another node (~the 250 ms wait), not its lease. Publishes made meanwhile fail after
  // `timeout_ms` and are retried by the journal thread.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s != NATS_OK) {
    error = nats_error("NATS options", s);
    natsOptions_Destroy(opts);
    return false;
  }
  // The cluster may still be starting: keep trying for 10 s before giving up.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((s = natsConnection_Connect(&conn_, opts)) != NATS_OK && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  natsOptions_Destroy(opts);
  if (s != NATS_OK) {
    error = nats_error("cannot connect to NATS at " + config.urls, s);
    return false;
  }
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = config.timeout_ms;
  if ((s = natsConnection_JetStream(&js_, conn_, &jo)) != NATS_OK) {
    error = nats_error("JetStream context", s);
    return false;
  }
  return ensure_stream(error);
}

bool NatsLink::ensure_stream(std::string& error) {
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  const char* subjects[] = {config_.subject.c_str()};
  cfg.Name = config_.stream.c_str();
  cfg.Subjects = subjects;
  cfg.SubjectsLen = 1;
  cfg.Storage = js_FileStorage;
  cfg.Replicas = config_.replicas;
  // A retried publish (its ack lost to a node failure) carries the same Nats-Msg-Id and is
  // answered as a duplicate rather than appended twice; two minutes covers any retry.
  cfg.Duplicates = std::int64_t{120} * 1'000'000'000;
  cfg.MaxMsgSize = 1 << 20;
  cfg.Discard = js_DiscardNew;  // never drop history to make room: refuse instead

  // Later attempts cover a meta leader election still under way on a starting cluster.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    jsStreamInfo* si = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&si, js_, cfg.Name, nullptr, &code);
    if (s == NATS_OK) {
      const jsStreamConfig* have = si->Config;
      const bool same_subject = have->SubjectsLen == 1 && config_.subject == have->Subjects[0];
      const std::int64_t replicas = have->Replicas;
      jsStreamInfo_Destroy(si);
      if (!same_subject) {
        error = "stream " + config_.stream + " exists with other subjects than " + config_.subject;
        return false;
      }
      if (replicas < config_.replicas) {
        error = "stream " + config_.stream + " has " + std::to_string(replicas) + " replicas, fewer than --replicas " +
                std::to_string(config_.replicas);
        return false;
      }
      return true;
    }
    if (s == NATS_NOT_FOUND || code == JSStreamNotFoundErr) {
      s = js_AddStream(&si, js_, &cfg, nullptr, &code);
      if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return true;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      error = nats_error("cannot create or read stream " + config_.stream, s, code);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace gpux::replication
