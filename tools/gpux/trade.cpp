#include "tools/gpux/trade.hpp"

#include <memory>

#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"
#include "tools/gpux/hours_cmds.hpp"
#include "tools/gpux/ledger_cmds.hpp"
#include "tools/gpux/market_data.hpp"
#include "tools/gpux/operator_commands.hpp"
#include "tools/gpux/order_entry.hpp"
#include "tools/gpux/order_status.hpp"

namespace gpux {

namespace {

constexpr const char* kFooter =
    "Exit status: 0 done, 1 the exchange refused, 2 no answer (bad arguments, connection, login).";
constexpr const char* kInstrumentHelp =
    "PRODUCT@YYYY-MM-DDTHHZ+Nh, or PRODUCT with --start/--hours (a bare PRODUCT: the demo market's first window)";
constexpr const char* kStartHelp =
    "With PRODUCT: the window's first hour in UTC: YYYY-MM-DDTHHZ, today, tomorrow, or +N[h|d|w] from now "
    "(rounded up to the hour)";
constexpr const char* kHoursHelp = "With PRODUCT: the window's length in hours (default 24)";
constexpr const char* kForHelp = "With PRODUCT: the window's length as 720h, 30d or 2w (instead of --hours)";
constexpr const char* kServerHelp =
    "gpuxd address, HOST:PORT, or a primary and its standbys, HOST:PORT,HOST:PORT,...: logs in to whichever is "
    "primary (streams find it again after a drop)";
constexpr const char* kInstrumentsHelp = "Instruments (bare PRODUCT: demo window; none: every demo instrument)";

using Commands = std::vector<std::pair<CLI::App*, std::function<int()>>>;

// --start, and the window's length as --hours N or --for 30d.
void add_window_options(CLI::App* c, std::string& start, std::int64_t& hours, const char* start_help = kStartHelp,
                        const char* hours_help = kHoursHelp) {
  c->add_option("--start", start, start_help);
  CLI::Option* h = c->add_option("--hours", hours, hours_help)->check(CLI::Range(1, 100000));
  c->add_option_function<std::string>(
       "--for",
       [&hours](const std::string& text) {
         if (!parse_hours(text, hours))
           throw CLI::ValidationError("--for", "'" + text + "' is not a length of time: 720h, 30d or 2w");
       },
       kForHelp)
      ->excludes(h);
}

// One worked example under each command's help, and what its exit status means.
std::string example(const std::string& line) { return "Example: " + line + "\n" + kFooter; }

// A fresh Options for `app`, kept alive by the function that runs the command on it.
template <class Options, class Run>
Options& add_command(Commands& commands, CLI::App* app, Run run) {
  auto options = std::make_shared<Options>();
  commands.emplace_back(app, [options, run] { return run(*options); });
  return *options;
}

// Every subcommand has its own SessionOptions: CLI11 reads the environment into the options of
// every subcommand, parsed or not, so a shared one would take GPUX_SERVER over an explicit
// --server.
void add_session_options(CLI::App* app, SessionOptions& s, bool operator_ = false) {
  if (operator_) {
    s.account = "ops";
    s.token = "ops-demo";
  }
  app->add_option("--server", s.server, kServerHelp)->envname("GPUX_SERVER")->capture_default_str();
  const auto given = [&s](const std::string&) { s.account_given = true; };
  app->add_option("--account", s.account, "Account to log in as")->envname("GPUX_ACCOUNT")->capture_default_str()->each(given);
  app->add_option("--token", s.token, "The account's token")->envname("GPUX_TOKEN")->capture_default_str()->each(given);
  app->add_flag("--json", s.json, "Print each server message as a JSON line");
}

}  // namespace

TradeCommands::TradeCommands(CLI::App& app) {
  for (const Side side : {Side::buy, Side::sell}) {
    const bool buy = side == Side::buy;
    CLI::App* c = app.add_subcommand(buy ? "buy" : "sell", buy ? "Send a buy order" : "Send a sell order");
    c->footer(example(buy ? "gpux buy H100.MEM1 64 --start tomorrow --for 3d @2.20   (64 GPUs for 72 hours, as lab-x)"
                          : "gpux sell H100.MEM1 256 --start +2d --for 30d --divisible @2.35 --account maker-1"));
    auto& o = add_command<OrderOptions>(commands_, c,
                                        [side](const OrderOptions& options) { return run_order(options, side); });
    add_session_options(c, o.session);
    c->add_option("INSTRUMENT", o.instrument, kInstrumentHelp)->required();
    c->add_option("QTY", o.qty, "GPUs, a multiple of the product's lot")->required();
    c->add_option("PRICE", o.price, "@DOLLARS per GPU-hour (@2.15), or market")->required();
    c->add_option("--tif", o.tif, "Time in force (default gtc; ioc for market orders)")
        ->check(CLI::IsMember({"gtc", "gtd", "ioc", "fok"}));
    c->add_option("--expire", o.expire, "gtd deadline: ISO 8601 UTC, ns since the epoch, or +N[s|m|h|d]");
    c->add_option("--iceberg", o.iceberg, "Show only this much at a time");
    c->add_option("--min-qty", o.min_qty, "Fill at least this much at once, or nothing");
    c->add_flag("--post-only", o.post_only, "Refuse the order rather than trade on arrival");
    c->add_option("--stp", o.stp, "Self-trade prevention (default cancel_resting)")
        ->check(CLI::IsMember({"cancel_resting", "cancel_aggressor", "cancel_both"}));
    c->add_option("--cl-id", o.cl_id, "Your id for the order (default: a generated one)");
    add_window_options(c, o.start, o.hours);
    c->add_flag("--divisible", o.divisible,
                "Each hour trades on its own (capacity over a period, sold or bought by the hour)");
  }

  CLI::App* quote = app.add_subcommand("quote", "What a block would cost now: gpux quote PRODUCT QTY --start T --hours N");
  quote->footer(example("gpux quote H100.MEM1 64 --start tomorrow --for 3d   (what 64 GPUs for 72 hours cost now)"));
  auto& quote_o = add_command<QuoteOptions>(commands_, quote, run_quote);
  add_session_options(quote, quote_o.session);
  quote->add_option("INSTRUMENT", quote_o.instrument, kInstrumentHelp)->required();
  quote->add_option("QTY", quote_o.qty, "GPUs in every hour of the window")->required();
  quote->add_option("LIMIT", quote_o.limit, "@DOLLARS: the worst price to count (default: the band's limit)");
  add_window_options(quote, quote_o.start, quote_o.hours);
  quote->add_flag("--sell", quote_o.sell, "Quote selling the block (default: buying it)");

  CLI::App* cancel = app.add_subcommand("cancel", "Cancel an order: gpux cancel ORDER_ID | --cl-id X");
  cancel->footer(example("gpux cancel 42   (or: gpux cancel --cl-id my-order-1)"));
  auto& cancel_o = add_command<CancelOptions>(commands_, cancel, run_cancel);
  add_session_options(cancel, cancel_o.session);
  cancel->add_option("ORDER_ID", cancel_o.order_id, "The order_id of the order's acknowledgement");
  cancel->add_option("--cl-id", cancel_o.cl_id, "Name the order by its cl_id instead");

  CLI::App* replace = app.add_subcommand(
      "replace", "Change an order's price and open quantity: gpux replace ORDER_ID|--cl-id X @PRICE QTY");
  replace->footer(example("gpux replace 42 @2.18 32   (order 42 to 32 GPUs at $2.18)"));
  auto& replace_o = add_command<ReplaceOptions>(commands_, replace, run_replace);
  add_session_options(replace, replace_o.session);
  replace->add_option("ARGS", replace_o.args, "[ORDER_ID] @PRICE QTY")->required();
  replace->add_option("--cl-id", replace_o.cl_id, "Name the order by its cl_id instead of ORDER_ID");
  replace->add_option("--new-cl-id", replace_o.new_cl_id, "Give the order this cl_id from now on");

  CLI::App* mass =
      app.add_subcommand("mass-cancel", "Cancel all the account's orders, or one instrument's or product's");
  mass->footer(example("gpux mass-cancel --product H100.MEM1"));
  auto& mass_o = add_command<MassCancelOptions>(commands_, mass, run_mass_cancel);
  add_session_options(mass, mass_o.session);
  mass->add_option("--instrument", mass_o.instrument, "Only this instrument's orders");
  mass->add_option("--product", mass_o.product, "Only this product's orders");

  CLI::App* orders = app.add_subcommand("orders", "List your open orders");
  orders->footer(example("gpux orders --account lab-x"));
  auto& orders_o = add_command<OrdersOptions>(commands_, orders, run_orders);
  add_session_options(orders, orders_o.session);
  orders->add_option("--instrument", orders_o.instrument, "Only this instrument's orders");

  CLI::App* reports =
      app.add_subcommand("reports", "Your execution reports since a seq, from the journal (a drop copy: everyone's)");
  reports->footer(example("gpux reports --since 0 --follow --account audit --token audit-demo   (a drop copy)"));
  auto& reports_o = add_command<ReportsOptions>(commands_, reports, run_reports);
  add_session_options(reports, reports_o.session);
  reports->add_option("--since", reports_o.since, "Reports of commands after this seq (0: all)")->capture_default_str();
  reports->add_flag("--follow", reports_o.follow, "Then stream live reports until Ctrl-C");

  CLI::App* book = app.add_subcommand("book", "Show an instrument's order book, live");
  book->footer(example("gpux book H100.MEM1 --hours --once   (every hour book of the product)"));
  auto& book_o = add_command<BookOptions>(commands_, book, run_book);
  add_session_options(book, book_o.session);
  book_o.session.market_data = true;  // a market-data session unless --account/--token is given
  book->add_option("INSTRUMENT", book_o.instrument, kInstrumentHelp)->required();
  book->add_flag("--once", book_o.once, "Print the current book and exit");
  book->add_option("--depth", book_o.depth, "Levels shown per side")->check(CLI::Range(1, 1000))->capture_default_str();
  book->add_flag("--hours", book_o.hours, "PRODUCT's hour books: per hour the best bid and ask and their depth");
  book->add_option("--from", book_o.from, "With --hours: the first hour shown (YYYY-MM-DDTHHZ or +N[h|d])");
  book->add_option("--to", book_o.to, "With --hours: the hour to stop before");

  CLI::App* trades = app.add_subcommand("trades", "Stream public trades until Ctrl-C");
  trades->footer(example("gpux trades H100.MEM1 H200.MEM1"));
  auto& trades_o = add_command<StreamOptions>(commands_, trades, run_trades);
  add_session_options(trades, trades_o.session);
  trades_o.session.market_data = true;  // a market-data session unless --account/--token is given
  trades->add_option("INSTRUMENT", trades_o.instruments, kInstrumentsHelp);

  CLI::App* watch =
      app.add_subcommand("watch", "Stream your execution reports and the instruments' market data until Ctrl-C");
  watch->footer(example("gpux watch H100.MEM1 --server 127.0.0.1:7101,127.0.0.1:7102   (follows a failover)"));
  auto& watch_o = add_command<StreamOptions>(commands_, watch, run_watch);
  add_session_options(watch, watch_o.session);
  watch->add_option("INSTRUMENT", watch_o.instruments, kInstrumentsHelp);

  for (const bool halt : {true, false}) {
    CLI::App* c = app.add_subcommand(halt ? "halt" : "resume",
                                     halt ? "Operator: halt an instrument or a product" : "Operator: resume trading");
    c->footer(example(halt ? "gpux halt H100.MEM1   (or one window: gpux halt H100.MEM1@2026-12-15T00Z+24h)"
                           : "gpux resume H100.MEM1"));
    auto& o =
        add_command<HaltOptions>(commands_, c, [halt](const HaltOptions& options) { return run_halt(options, halt); });
    add_session_options(c, o.session, true);
    c->add_option("TARGET", o.target, "A product (every instrument of it) or one instrument symbol");
    c->add_option("--instrument", o.instrument, "The instrument");
    c->add_option("--product", o.product, "Every instrument of the product");
  }
  for (const bool kill : {true, false}) {
    CLI::App* c = app.add_subcommand(kill ? "kill" : "unkill",
                                     kill ? "Operator: cancel an account's orders and refuse its new ones"
                                          : "Operator: let a killed account trade again");
    c->footer(example(kill ? "gpux kill lab-z" : "gpux unkill lab-z"));
    auto& o =
        add_command<KillOptions>(commands_, c, [kill](const KillOptions& options) { return run_kill(options, kill); });
    add_session_options(c, o.session, true);
    c->add_option("ACCOUNT", o.account, "The account")->required();
  }

  // The ledger (SPEC v2 §7, docs/ledger.md).
  CLI::App* risk = app.add_subcommand("risk", "Operator: turn the capacity and credit checks on or off");
  risk->footer(example("gpux risk off"));
  auto& risk_o = add_command<RiskOptions>(commands_, risk, run_risk);
  add_session_options(risk, risk_o.session, true);
  risk->add_option("MODE", risk_o.mode, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  for (const bool deposit : {true, false}) {
    CLI::App* c = app.add_subcommand(
        deposit ? "deposit" : "withdraw",
        deposit ? "Operator: add capacity to an account: gpux deposit ACCOUNT PRODUCT QTY --start T --hours N"
                : "Operator: take capacity out of an account: gpux withdraw ACCOUNT PRODUCT QTY --start T --hours N");
    c->footer(example(deposit ? "gpux deposit maker-1 H100.MEM1 4096 --start tomorrow --for 52w"
                              : "gpux withdraw maker-1 H100.MEM1 512 --start tomorrow --for 7d"));
    auto& o = add_command<DepositOptions>(
        commands_, c, [deposit](const DepositOptions& options) { return run_deposit(options, deposit); });
    add_session_options(c, o.session, true);
    c->add_option("ACCOUNT", o.account, "The account")->required();
    c->add_option("INSTRUMENT", o.instrument, kInstrumentHelp)->required();
    c->add_option("QTY", o.qty, "GPUs in every hour of the window")->required();
    add_window_options(c, o.start, o.hours);
  }
  CLI::App* fund = app.add_subcommand(
      "fund", "Operator: add cash to an account, or take it out with a negative amount: gpux fund ACCOUNT AMOUNT");
  fund->footer(example("gpux fund lab-x 250000   (gpux fund lab-x -500 takes $500 out)"));
  auto& fund_o = add_command<FundOptions>(commands_, fund, run_fund);
  add_session_options(fund, fund_o.session, true);
  fund->add_option("ACCOUNT", fund_o.account, "The account")->required();
  fund->add_option("AMOUNT", fund_o.amount, "Dollars, up to 4 decimals: 250000, 1500.25, -500 (takes cash out)")
      ->required();
  CLI::App* balance = app.add_subcommand("balance", "Your cash: its balance, what resting buys commit, what is free");
  balance->footer(example("gpux balance --account lab-x"));
  auto& balance_o = add_command<BalanceOptions>(commands_, balance, run_balance);
  add_session_options(balance, balance_o.session);
  CLI::App* holdings = app.add_subcommand(
      "holdings", "Your capacity by hour: holdings and free capacity (not committed to resting sells)");
  holdings->footer(
      "Without --start and --hours: every range of hours where something is held or committed. With either: the "
      "window from --start (default: the current hour) for --hours (default 720, 30 days), empty hours too.\n" +
      example("gpux holdings H100.MEM1 --start tomorrow --for 2w --account maker-1"));
  auto& holdings_o = add_command<HoldingsOptions>(commands_, holdings, run_holdings);
  add_session_options(holdings, holdings_o.session);
  holdings->add_option("PRODUCT", holdings_o.product, "Only this product (default: every product with holdings)");
  add_window_options(holdings, holdings_o.start, holdings_o.hours,
                     "The first hour shown in UTC: YYYY-MM-DDTHHZ, today, tomorrow, or +N[h|d|w] from now",
                     "Hours shown (default 720 with --start)");

  CLI::App* demo = app.add_subcommand("demo-market", "Run market makers on every built-in product until Ctrl-C");
  demo->footer("Example: gpux demo-market --makers 4 --windows 3");
  auto& demo_o = add_command<DemoMarketOptions>(commands_, demo, run_demo_market);
  demo->add_option("--server", demo_o.server, kServerHelp)
      ->envname("GPUX_SERVER")
      ->capture_default_str();
  demo->add_option("--makers", demo_o.makers, "Makers maker-1..maker-N (token demo)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  demo->add_option("--windows", demo_o.windows, "Daily delivery windows per product, from two days ahead")
      ->check(CLI::Range(1, 30))
      ->capture_default_str();
  demo->add_option("--seed", demo_o.seed, "Random seed (0: a random one)")->capture_default_str();
}

std::optional<int> TradeCommands::run() const {
  for (const auto& [app, command] : commands_)
    if (app->parsed()) return command();
  return std::nullopt;
}

}  // namespace gpux
