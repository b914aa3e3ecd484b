#pragma once
// A TLS client connection: Beast's ssl_stream over a tcp_stream. The peer's certificate chain is
// verified against the trust store (the system's, or a CA file) and its names against the host
// connected to (DNS name or IP address; the name also goes out as SNI), unless verification is
// explicitly turned off. The handshake is bounded by the connect timeout, every later read and
// write by the I/O timeout. A certificate that fails verification is an error of
// tls_certificate_category() whose message says why; the connection is never retried in plain
// text.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>

#include "http/client_options.h"
#include "http/client_stream_connection.h"

namespace s3gw::http {

// Errors whose value is an OpenSSL X509_V_ERR_* verification result ("TLS certificate
// verification failed: hostname mismatch", ...).
const boost::system::error_category& tls_certificate_category();
// A certificate refused by verification: permanent until the configuration or the server's
// certificate changes, so not worth a retry.
bool is_tls_certificate_error(const boost::system::error_code& ec);

class ClientTlsConnection final
    : public ClientStreamConnection<boost::beast::ssl_stream<boost::beast::tcp_stream>> {
 public:
  using Context = boost::asio::ssl::context;

  // A client context: TLS 1.2 or later; the system trust store, or only the CA file's
  // certificates when one is named; no verification at all with insecure_skip_verify. Throws
  // std::runtime_error naming the file when the CA file cannot be used.
  static std::shared_ptr<Context> make_context(const ClientTlsOptions& options);

  // TCP connect, then the handshake with SNI and host name verification; null (and ec) on
  // failure. options.tls.insecure_skip_verify must match the context's.
  static awaitable<std::unique_ptr<ClientConnection>> connect(std::shared_ptr<Context> context,
                                                              boost::asio::any_io_executor ex,
                                                              const ClientEndpoint& endpoint,
                                                              const ClientOptions& options,
                                                              boost::system::error_code& ec);

  ClientTlsConnection(boost::beast::ssl_stream<boost::beast::tcp_stream> stream,
                      std::chrono::milliseconds io_timeout, std::shared_ptr<Context> context)
      : ClientStreamConnection(std::move(stream), io_timeout, std::move(context)) {}
};

}  // namespace s3gw::http
