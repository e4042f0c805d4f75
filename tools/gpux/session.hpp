// What every trading command shares: the options that say where and as whom it logs in, a
// logged-in session that waits for the exchange's answers, the exit statuses, and how server
// messages are printed.
#pragma once

// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tools/client/client.hpp"
#include "tools/client/render_text.hpp"

namespace gpux {

// Exit statuses: 0 done, 1 the exchange refused the command, 2 we could not ask it (bad
// arguments, no connection, login refused, no answer).
constexpr int kRefused = 1;
constexpr int kFailed = 2;

struct SessionOptions {
  // One server, or a primary and its standbys: HOST:PORT[,HOST:PORT...] (client::parse_servers).
  std::string server = "127.0.0.1:7001";
  std::string account = "lab-x";
  std::string token = "demo";
  bool json = false;  // print server messages as JSON lines
  // gpux book and trades: log in as a market-data session (no account: watching never holds
  // an account's session) unless --account or --token (or GPUX_ACCOUNT, GPUX_TOKEN) is given,
  // which logs in as that account as before.
  bool market_data = false;
  bool account_given = false;  // --account or --token was set
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

  // Streams given several servers reconnect after a drop, to whichever is primary then, and
  // call `resume` to subscribe again (false: give up). With `resend_reports`, they also ask
  // for the reports they missed (Resend; the server needs --journal), each arriving once.
  std::function<bool()> resume;
  bool resend_reports = false;

  // Reports pass through a ReportFilter, which drops the ones a reconnect brings twice.
  void on_message(std::function<void(const wire::Envelope&)> fn);

  // Connects and logs in to the primary of --server's list; false, with a message, when it
  // cannot.
  bool open(const char* command, const SessionOptions& options);

  // Resend{since} through the filter (gpux reports).
  bool resend(Seq since);

  // Until Ctrl-C (true) or the connection ends and, given several servers, no primary takes
  // it back within 30 s (false).
  bool stream(const std::function<void()>& every_100ms = {});

  // A send found the connection gone.
  int lost(const char* command);

  // Waits for the answer `answered` looks for: 0 when it came, else an exit status, with a
  // message.
  int await(const char* command, const std::function<bool()>& answered);

 private:
  const char* command_ = "";
  bool market_data_ = false;
  // A market-data session: the first server of the list that takes one (a standby does).
  bool connect_market_data();
  std::vector<client::Server> servers_;
  client::Credentials credentials_;
  client::ReportFilter reports_;
  bool reconnect_resend_ = false;  // the ResendDone to come answers the reconnect, not the command
};

}  // namespace gpux
