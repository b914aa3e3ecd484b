#pragma once
// Awaitable PostgreSQL access over libpq's asynchronous API: the socket is watched by Asio, so
// a query never blocks an I/O thread (DESIGN.md invariant 4).
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace s3gw::meta {

using boost::asio::awaitable;

// A database failure. Callers treat it as unexpected (HTTP 500/503); expected outcomes such as
// "already exists" are expressed in SQL (ON CONFLICT, RETURNING) and come back as values.
class PgError : public std::runtime_error {
 public:
  PgError(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : res_(r, &PQclear) {}

  int rows() const { return res_ ? PQntuples(res_.get()) : 0; }
  bool empty() const { return rows() == 0; }
  bool is_null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string_view get(int row, int col) const {
    return {PQgetvalue(res_.get(), row, col),
            static_cast<std::size_t>(PQgetlength(res_.get(), row, col))};
  }
  std::optional<std::string> get_opt(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return std::string(get(row, col));
  }
  std::int64_t get_int(int row, int col) const;
  bool get_bool(int row, int col) const { return get(row, col) == "t"; }

 private:
  std::shared_ptr<PGresult> res_;
};

using Param = std::optional<std::string>;

inline Param to_param(std::string_view v) {
  return std::string(v);
}
inline Param to_param(const std::string& v) {
  return v;
}
inline Param to_param(const char* v) {
  return std::string(v);
}
inline Param to_param(std::int64_t v) {
  return std::to_string(v);
}
inline Param to_param(int v) {
  return std::to_string(v);
}
inline Param to_param(std::uint64_t v) {
  return std::to_string(v);
}
inline Param to_param(bool v) {
  return std::string(v ? "t" : "f");
}
inline Param to_param(std::nullptr_t) {
  return std::nullopt;
}
// A text[] parameter ($1::text[]): PostgreSQL's array literal, every element quoted.
Param to_param(const std::vector<std::string>& v);
template <class T>
Param to_param(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return to_param(*v);
}

class PgConnection {
 public:
  PgConnection(boost::asio::any_io_executor ex, std::string conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  awaitable<void> connect();
  void close();  // drop the connection; the next use reconnects
  bool healthy() const;
  bool in_transaction() const;
  // For a connection idle in the pool: false when the server has closed it meanwhile (a
  // PostgreSQL restart, a terminated backend), so the pool reconnects instead of failing the
  // next request with it.
  bool idle_and_alive();

  // One statement with $1..$n parameters (text format). Throws PgError.
  // `sql` must outlive the call (a literal); parameters are copied into the coroutine.
  awaitable<PgResult> query_params(std::string_view sql, std::vector<Param> params);
  template <class... A>
  awaitable<PgResult> query(std::string_view sql, const A&... args) {
    std::vector<Param> params;
    params.reserve(sizeof...(A));
    (params.push_back(to_param(args)), ...);
    co_return co_await query_params(sql, std::move(params));
  }
  // Several statements without parameters (migrations).
  awaitable<void> exec_script(std::string_view sql);
  // For a connection that ran LISTEN: the payloads of the notifications received, waiting up
  // to `max_wait` for the first one (empty when none came). Throws PgError when the connection
  // is broken, so a listener learns at once that it may have missed notifications.
  awaitable<std::vector<std::string>> wait_for_notifications(std::chrono::milliseconds max_wait);

 private:
  awaitable<PgResult> collect(std::string_view what);
  awaitable<void> wait_on(boost::asio::posix::stream_descriptor& sd,
                          boost::asio::posix::stream_descriptor::wait_type what);
  // False when `until` passed first.
  awaitable<bool> wait_until(boost::asio::posix::stream_descriptor& sd,
                             boost::asio::posix::stream_descriptor::wait_type what,
                             std::chrono::steady_clock::time_point until);
  awaitable<void> wait_readable();
  awaitable<void> wait_writable();
  awaitable<void> flush();

  boost::asio::any_io_executor ex_;
  std::string conninfo_;
  PGconn* conn_ = nullptr;
  std::unique_ptr<boost::asio::posix::stream_descriptor> socket_;
  std::chrono::steady_clock::time_point deadline_;
  static constexpr std::chrono::seconds kConnectTimeout{10};
  static constexpr std::chrono::seconds kQueryTimeout{30};
};

}  // namespace s3gw::meta
