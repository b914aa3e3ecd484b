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
  bool tls = false;  // https: TLS with the client's ClientTlsOptions

  // The Host header value (the port only when not the scheme's default).
  std::string host_header() const {
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? h : h + ":" + std::to_string(port);
  }
  // The pool key: scheme, host and port (a TLS and a plain connection never share a pool).
  std::string key() const { return (tls ? "https|" : "http|") + host + "|" + std::to_string(port); }
};

// How https endpoints are trusted. Verification (the chain against the trust store, and the
// certificate's names against the host connected to) is on unless explicitly turned off.
struct ClientTlsOptions {
  std::string ca_file;  // PEM CA bundle to trust instead of the system store; empty: the system's
  bool insecure_skip_verify = false;  // no chain or name check at all: tests only
};

struct ClientOptions {
  // Resolve + TCP connect, and the TLS handshake (bounded again); also the pool wait.
  std::chrono::milliseconds connect_timeout{5000};
  // Bounds each read or write (silence), not a whole slow but steady transfer.
  std::chrono::milliseconds io_timeout{30000};
  // A pooled connection idle longer than this is closed instead of reused: the server may
  // have dropped it already, and finding out costs a failed request.
  std::chrono::milliseconds idle_timeout{4000};
  std::size_t max_connections_per_endpoint = 16;
  std::uint32_t max_header_bytes = 64 * 1024;
  ClientTlsOptions tls;
};

}  // namespace s3gw::http
