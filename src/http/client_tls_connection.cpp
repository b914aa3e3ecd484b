#include "http/client_tls_connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "http/client_tcp_connection.h"

namespace s3gw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

namespace {

// boost::system::error_category's destructor is protected and non-virtual by design (categories
// are singletons, never deleted through a base pointer).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class TlsCertificateCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "tls-certificate"; }
  std::string message(int value) const override {
    return std::string("TLS certificate verification failed: ") +
           X509_verify_cert_error_string(static_cast<long>(value));
  }
};
#pragma GCC diagnostic pop

error_code ssl_error() {
  const unsigned long e = ERR_get_error();
  return error_code(static_cast<int>(e != 0 ? e : 1), asio::error::get_ssl_category());
}

}  // namespace

const boost::system::error_category& tls_certificate_category() {
  static const TlsCertificateCategory category;
  return category;
}

bool is_tls_certificate_error(const error_code& ec) {
  return ec.category() == tls_certificate_category();
}

std::shared_ptr<ClientTlsConnection::Context> ClientTlsConnection::make_context(
    const ClientTlsOptions& options) {
  auto ctx = std::make_shared<Context>(Context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_options(Context::default_workarounds | Context::no_compression);
  error_code ec;
  if (options.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
    return ctx;
  }
  ctx->set_verify_mode(ssl::verify_peer);
  if (options.ca_file.empty()) {
    // /etc/ssl/certs (SSL_CERT_FILE and SSL_CERT_DIR override it, as for every OpenSSL user).
    ctx->set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("TLS: the system trust store cannot be used: " + ec.message());
  } else {
    ctx->load_verify_file(options.ca_file, ec);
    if (ec) {
      throw std::runtime_error("TLS CA file " + options.ca_file +
                               ": no usable PEM certificate can be read from it (" + ec.message() +
                               ")");
    }
  }
  return ctx;
}

awaitable<std::unique_ptr<ClientConnection>> ClientTlsConnection::connect(
    std::shared_ptr<Context> context, asio::any_io_executor ex, const ClientEndpoint& endpoint,
    const ClientOptions& options, error_code& ec) {
  beast::tcp_stream tcp = co_await ClientTcpConnection::connect_stream(ex, endpoint, options, ec);
  if (ec) co_return nullptr;
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *context);
  SSL* ssl = stream.native_handle();
  error_code not_ip;
  asio::ip::make_address(endpoint.host, not_ip);
  const bool ip_literal = !not_ip;
  // SNI carries names only (RFC 6066); virtual-hosted servers pick their certificate by it.
  // SSL_set_tlsext_host_name, without the macro's C cast.
  if (!ip_literal && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                              const_cast<char*>(endpoint.host.c_str())) != 1) {
    ec = ssl_error();
    co_return nullptr;
  }
  if (!options.tls.insecure_skip_verify) {
    // OpenSSL checks the name during chain verification, so a mismatch reports itself as
    // X509_V_ERR_HOSTNAME_MISMATCH (or IP_ADDRESS_MISMATCH) like any other refusal.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip_literal ? X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str())
                              : X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), 0);
    if (ok != 1) {
      ec = ssl_error();
      co_return nullptr;
    }
  }
  beast::get_lowest_layer(stream).expires_after(options.connect_timeout);
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK && !options.tls.insecure_skip_verify) {
      ec = error_code(static_cast<int>(verify), tls_certificate_category());
    }
    co_return nullptr;
  }
  co_return std::make_unique<ClientTlsConnection>(std::move(stream), options.io_timeout,
                                                  std::move(context));
}

}  // namespace s3gw::http
