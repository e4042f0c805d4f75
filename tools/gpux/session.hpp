// What every trading command shares: the options that say where and as whom it logs in, a
// logged-in session that waits for the exchange's answers, the exit statuses, and how server
// messages are printed.
#pragma once

// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <string>

#include "tools/client/client.hpp"
#include "tools/client/render_text.hpp"

namespace gpux {

// Exit statuses: 0 done, 1 the exchange refused the command, 2 we could not ask it (bad
// arguments, no connection, login refused, no answer).
constexpr int kRefused = 1;
constexpr int kFailed = 2;

struct SessionOptions {
  std::string server = "127.0.0.1:7001";
  std::string account = "lab-x";
  std::string token = "demo";
  bool json = false;  // print server messages as JSON lines
};

// "gpux COMMAND: MESSAGE" on standard error.
void fail(const char* command, const std::string& message);

// A server message on standard output: a JSON line with --json, else a line of text in `form`,
// after the wall-clock time of day when `stamped` (the lines of a stream). Nothing for the
// messages text leaves out (heartbeats).
void print_message(const wire::Envelope& env, bool json, client::TextForm form = client::TextForm::full,
                   bool stamped = false);

struct Session {
  boost::asio::io_context io;
  client::Client client{io};
  bool protocol_reject = false;  // the server refused our last frame without answering it

  void on_message(std::function<void(const wire::Envelope&)> fn);

  // Connects and logs in; false, with a message, when either fails.
  bool open(const char* command, const SessionOptions& options);

  // Until Ctrl-C (true) or the connection ends (false).
  bool stream(const std::function<void()>& every_100ms = {});

  // A send found the connection gone.
  int lost(const char* command);

  // Waits for the answer `answered` looks for: 0 when it came, else an exit status, with a
  // message.
  int await(const char* command, const std::function<bool()>& answered);
};

}  // namespace gpux
