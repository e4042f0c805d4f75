// The web view of gpuxd (docs/web-view.md): a read-only page (web/index.html, app.js,
// style.css) served over HTTP, and its live data over a WebSocket, from two threads of their
// own. The feed thread is a client of gpuxd's own TCP port (tools/client): one market-data
// session that follows every product's hour books and the next days' window books and
// forwards the page's quote requests; it keeps a Mirror. The web thread runs Boost.Beast on its
// own io_context: it serves the files, and pushes each WebSocket client a snapshot of the mirror
// when it connects, then at most one delta every `push_interval`. Trading never waits on any of
// this: the feed is behind a TCP session with the gateway's own slow-consumer bound, and each
// WebSocket client has a bounded queue (OutQueue) and is disconnected past it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gpux::web {

struct WebOptions {
  std::string host = "127.0.0.1";  // where the page is served
  std::uint16_t port = 0;          // 0: any free port (port() tells which)
  std::string web_root;            // the folder holding index.html, app.js and style.css
  std::string gpux_host = "127.0.0.1";  // gpuxd's own TCP port, which the feed logs in to
  std::uint16_t gpux_port = 7001;
  std::vector<std::string> products;  // the catalog's products, in its order
  std::size_t max_clients = 64;                 // WebSocket clients at once; more get 503
  std::size_t max_http_connections = 32;        // plain HTTP connections at once; more are closed
  std::size_t max_queued_bytes = 1u << 20;      // per WebSocket client; past it, disconnected
  std::size_t max_request_bytes = 8192;         // an HTTP request's header (no body is accepted)
  std::size_t max_message_bytes = 4096;         // a message from the page (a quote request)
  std::chrono::milliseconds push_interval{100};  // at most one delta per client per interval
  int window_days = 7;                          // daily windows followed: tomorrow and the next days
  std::function<void(std::string_view)> log;
};

class WebServer {
 public:
  explicit WebServer(WebOptions options);
  ~WebServer();  // stop()
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Reads the static files and listens; false with `error` when either fails. Then starts the
  // two threads.
  bool start(std::string& error);
  // Closes every connection and joins the threads; bounded (the feed's waits are short).
  void stop();
  std::uint16_t port() const;

  struct Impl;  // public so that the connections (web_server.cpp) can name it

 private:
  std::shared_ptr<Impl> impl_;
};

// The static files the server knows: request path -> file name under web_root.
struct StaticFile {
  const char* path;
  const char* file;
  const char* content_type;
};
std::vector<StaticFile> static_files();

// The request target to the file it names, or nullptr: only the known files, whatever the
// target says (a query string is ignored; "..", "%2e" and the like name nothing).
const StaticFile* find_static(std::string_view target);

}  // namespace gpux::web
