#pragma once
// Where an HTTP client connects and how patient it is.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace s3gw::http {

struct ClientEndpoint {
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  std::uint16_t port = 80;

  // The pool key, also the Host header value (the port only when not 80).
  std::string host_header() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == 80 ? h : h + ":" + std::to_string(port);
  }
  std::string key() const { return host + "|" + std::to_string(port); }
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};  // resolve + TCP connect; also the pool wait
  // Bounds each read or write (silence), not a whole slow but steady transfer.
  std::chrono::milliseconds io_timeout{30000};
  // A pooled connection idle longer than this is closed instead of reused: the server may
  // have dropped it already, and finding out costs a failed request.
  std::chrono::milliseconds idle_timeout{4000};
  std::size_t max_connections_per_endpoint = 16;
  std::uint32_t max_header_bytes = 64 * 1024;
};

}  // namespace s3gw::http
