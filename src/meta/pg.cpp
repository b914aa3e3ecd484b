#include "meta/pg.h"

#include <poll.h>
#include <unistd.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace s3gw::meta {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

std::int64_t PgResult::get_int(int row, int col) const {
  auto s = get(row, col);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw PgError("not an integer: " + std::string(s), "");
  }
  return v;
}

Param to_param(const std::vector<std::string>& v) {
  // Quoted elements may hold anything (commas, braces, spaces, the word NULL); only `"` and
  // `\` need a backslash.
  std::string out = "{";
  for (const auto& item : v) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

PgConnection::PgConnection(asio::any_io_executor ex, std::string conninfo)
    : ex_(std::move(ex)), conninfo_(std::move(conninfo)) {}

PgConnection::~PgConnection() {
  socket_.reset();
  if (conn_ != nullptr) PQfinish(conn_);
}

void PgConnection::close() {
  socket_.reset();
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

bool PgConnection::healthy() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::idle_and_alive() {
  if (!healthy()) return false;
  // An idle connection has nothing to read unless the server sent something on its own: a
  // notice, or the FATAL message and end-of-file of a backend that is going away. Consume it
  // all; reaching end-of-file marks the connection bad.
  for (int i = 0; i < 16; ++i) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return healthy();
}

bool PgConnection::in_transaction() const {
  return conn_ != nullptr && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

awaitable<void> PgConnection::connect() {
  deadline_ = std::chrono::steady_clock::now() + kConnectTimeout;
  socket_.reset();
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = PQconnectStart(conninfo_.c_str());
  if (conn_ == nullptr) throw PgError("out of memory connecting to PostgreSQL", "");
  if (PQstatus(conn_) == CONNECTION_BAD) {
    throw PgError(std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn_), "08001");
  }
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  for (;;) {
    // The socket may change between connection attempts (several hosts), so watch a fresh
    // duplicate each round; it is replaced by a long-lived one once connected.
    const int fd = ::dup(PQsocket(conn_));
    if (fd < 0) throw PgError("dup failed", "");
    asio::posix::stream_descriptor sd(ex_, fd);
    if (poll == PGRES_POLLING_READING) {
      co_await wait_on(sd, asio::posix::stream_descriptor::wait_read);
    } else if (poll == PGRES_POLLING_WRITING) {
      co_await wait_on(sd, asio::posix::stream_descriptor::wait_write);
    }
    poll = PQconnectPoll(conn_);
    if (poll == PGRES_POLLING_OK) break;
    if (poll == PGRES_POLLING_FAILED) {
      throw PgError(std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn_), "08001");
    }
  }
  if (PQsetnonblocking(conn_, 1) != 0) throw PgError("PQsetnonblocking failed", "");
  const int fd = ::dup(PQsocket(conn_));
  if (fd < 0) throw PgError("dup failed", "");
  socket_ = std::make_unique<asio::posix::stream_descriptor>(ex_, fd);
}

awaitable<void> PgConnection::wait_on(asio::posix::stream_descriptor& sd,
                                      asio::posix::stream_descriptor::wait_type what) {
  // libpq ignores connect_timeout when the application drives PQconnectPoll, and queries have
  // no deadline at all: a server that accepts but never answers would pin this connection and
  // the request forever. Past the deadline the connection is dropped and the caller gets 503.
  const bool ready = co_await wait_until(sd, what, deadline_);
  if (!ready) {
    close();
    throw PgError("PostgreSQL did not answer in time", "08006");
  }
}

awaitable<bool> PgConnection::wait_until(asio::posix::stream_descriptor& sd,
                                         asio::posix::stream_descriptor::wait_type what,
                                         std::chrono::steady_clock::time_point until) {
  asio::steady_timer timer(ex_);
  timer.expires_at(until);
  auto which =
      co_await (sd.async_wait(what, asio::use_awaitable) || timer.async_wait(asio::use_awaitable));
  co_return which.index() == 0;
}

awaitable<void> PgConnection::wait_readable() {
  co_await wait_on(*socket_, asio::posix::stream_descriptor::wait_read);
}

awaitable<void> PgConnection::wait_writable() {
  co_await wait_on(*socket_, asio::posix::stream_descriptor::wait_write);
}

awaitable<void> PgConnection::flush() {
  for (;;) {
    const int r = PQflush(conn_);
    if (r == 0) co_return;
    if (r < 0)
      throw PgError(std::string("PostgreSQL send failed: ") + PQerrorMessage(conn_), "08006");
    co_await wait_writable();
  }
}

awaitable<PgResult> PgConnection::collect(std::string_view what) {
  co_await flush();
  PgResult last;
  std::string error;
  std::string sqlstate;
  for (;;) {
    while (PQisBusy(conn_) != 0) {
      co_await wait_readable();
      if (PQconsumeInput(conn_) == 0) {
        throw PgError(std::string("PostgreSQL connection lost: ") + PQerrorMessage(conn_), "08006");
      }
    }
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) break;
    const auto status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR && error.empty()) {
      error = PQresultErrorMessage(r);
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      sqlstate = state != nullptr ? state : "";
    }
    last = PgResult(r);
  }
  if (!error.empty()) {
    // Statement text is ours, never user data; parameters are not logged.
    throw PgError(std::string(what.substr(0, 80)) + ": " + error, sqlstate);
  }
  co_return last;
}

awaitable<PgResult> PgConnection::query_params(std::string_view sql, std::vector<Param> params) {
  if (!healthy()) co_await connect();
  deadline_ = std::chrono::steady_clock::now() + kQueryTimeout;
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string stmt(sql);
  if (PQsendQueryParams(conn_, stmt.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    throw PgError(std::string("PostgreSQL send failed: ") + PQerrorMessage(conn_), "08006");
  }
  co_return co_await collect(sql);
}

awaitable<void> PgConnection::exec_script(std::string_view sql) {
  if (!healthy()) co_await connect();
  deadline_ = std::chrono::steady_clock::now() + kQueryTimeout;
  const std::string stmt(sql);
  if (PQsendQuery(conn_, stmt.c_str()) == 0) {
    throw PgError(std::string("PostgreSQL send failed: ") + PQerrorMessage(conn_), "08006");
  }
  co_await collect("script");
}

awaitable<std::vector<std::string>> PgConnection::wait_for_notifications(
    std::chrono::milliseconds max_wait) {
  const auto until = std::chrono::steady_clock::now() + max_wait;
  std::vector<std::string> payloads;
  for (;;) {
    // Reading first also picks up notifications that arrived with an earlier result, and
    // notices end-of-file from a server that went away.
    if (!healthy() || in_transaction() || PQconsumeInput(conn_) == 0) {
      throw PgError(std::string("PostgreSQL connection lost: ") +
                        (conn_ != nullptr ? PQerrorMessage(conn_) : "closed"),
                    "08006");
    }
    while (PGnotify* n = PQnotifies(conn_)) {
      payloads.emplace_back(n->extra);
      PQfreemem(n);
    }
    if (!payloads.empty() || std::chrono::steady_clock::now() >= until) co_return payloads;
    co_await wait_until(*socket_, asio::posix::stream_descriptor::wait_read, until);
  }
}

}  // namespace s3gw::meta
