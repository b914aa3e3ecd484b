// The client's TLS connections against an in-process TLS server whose certificates are made
// here (a throwaway CA, a server certificate for 127.0.0.1 and localhost, and one for another
// name): verification against a CA file, the system trust store refusing a private CA, host
// name checks, insecure_skip_verify, keep-alive reuse and the handshake timeout.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "http/client.h"
#include "http/client_tls_connection.h"

namespace s3gw::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// ---- certificates ------------------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Pkey new_key() {
  Pkey k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!k) throw std::runtime_error("EC key generation failed");
  return k;
}

void add_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) throw std::runtime_error(std::string("bad extension ") + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A CA certificate when issuer is null (self-signed), else a server certificate with `san`.
Cert new_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, const char* san) {
  static std::atomic<long> serial{1};
  Cert cert(X509_new());
  X509* x = cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : x, x, nullptr, nullptr, 0);
  if (issuer == nullptr) {
    add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(x, &ctx, NID_subject_key_identifier, "hash");
  } else {
    add_ext(x, &ctx, NID_basic_constraints, "CA:FALSE");
    add_ext(x, &ctx, NID_ext_key_usage, "serverAuth");
    add_ext(x, &ctx, NID_subject_alt_name, san);
    add_ext(x, &ctx, NID_authority_key_identifier, "keyid");
  }
  if (X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    throw std::runtime_error("signing failed");
  }
  return cert;
}

std::string pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, static_cast<void*>(&data));  // get_mem_data
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, static_cast<void*>(&data));  // get_mem_data
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

struct Pki {
  std::string ca_file;                // the CA certificate, PEM, on disk
  std::string good_cert, good_key;    // for 127.0.0.1 and localhost
  std::string wrong_cert, wrong_key;  // for other.example only

  Pki() {
    const Pkey ca_key = new_key();
    const Cert ca = new_cert(ca_key.get(), "s3gw test CA", nullptr, nullptr, nullptr);
    const Pkey key = new_key();
    const Cert good =
        new_cert(key.get(), "localhost", ca.get(), ca_key.get(), "DNS:localhost,IP:127.0.0.1");
    const Cert wrong =
        new_cert(key.get(), "other.example", ca.get(), ca_key.get(), "DNS:other.example");
    good_cert = pem(good.get());
    wrong_cert = pem(wrong.get());
    good_key = wrong_key = pem(key.get());
    ca_file = (std::filesystem::temp_directory_path() /
               ("s3gw-client-tls-ca-" + std::to_string(::getpid()) + ".pem"))
                  .string();
    std::ofstream(ca_file) << pem(ca.get());
  }
  ~Pki() { std::filesystem::remove(ca_file); }
};

// ---- a TLS echo server -------------------------------------------------------------------

// Keep-alive HTTPS server echoing the target; counts TCP connections and finished handshakes,
// and remembers the SNI name last sent.
class TlsEchoServer {
 public:
  TlsEchoServer(asio::io_context& ioc, const std::string& cert, const std::string& key)
      : ctx_(ssl::context::tls_server), acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain(asio::buffer(cert));
    ctx_.use_private_key(asio::buffer(key), ssl::context::pem);
    asio::co_spawn(ioc, accept_loop(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string sni() {
    std::lock_guard lock(mutex_);
    return sni_;
  }
  std::atomic<int> accepted{0};
  std::atomic<int> handshakes{0};

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket s =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++accepted;
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket s) {
    ssl::stream<tcp::socket> stream(std::move(s), ctx_);
    error_code ec;
    co_await stream.async_handshake(ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++handshakes;
    if (const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) {
      std::lock_guard lock(mutex_);
      sni_ = name;
    }
    beast::flat_buffer buf;
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      co_await bhttp::async_read(stream, buf, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
      res.body() = std::string(req.target()) + ":" + req.body();
      res.keep_alive(true);
      res.prepare_payload();
      co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }

  ssl::context ctx_;
  tcp::acceptor acceptor_;
  std::mutex mutex_;
  std::string sni_;
};

// Accepts TCP connections and never says a word: a TLS handshake against it must time out.
class SilentServer {
 public:
  explicit SilentServer(asio::io_context& ioc)
      : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(ioc, accept_loop(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket s =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      held_.push_back(std::move(s));
    }
  }
  tcp::acceptor acceptor_;
  std::vector<tcp::socket> held_;
};

class ClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new Pki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ioc_, std::move(aw), asio::use_future);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (fut.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline) {
      ioc_.run_one_for(std::chrono::milliseconds(50));
    }
    return fut.get();
  }

  // The body, or "error: <category>: <message>".
  asio::awaitable<std::string> get(Client& client, ClientEndpoint endpoint, std::string target) {
    ClientRequest req;
    req.target = std::move(target);
    req.headers = {{"Host", endpoint.host_header()}};
    req.idempotent = true;
    error_code ec;
    auto r = co_await client.send(endpoint, req, ec);
    if (!r) {
      last_error_ = ec;
      co_return std::string("error: ") + ec.category().name() + ": " + ec.message();
    }
    std::string out = co_await r->read_all(1 << 20, ec);
    if (ec) co_return "error: " + ec.message();
    co_return out;
  }

  static ClientOptions with_ca() {
    ClientOptions o;
    o.tls.ca_file = pki_->ca_file;
    return o;
  }

  static inline Pki* pki_ = nullptr;
  asio::io_context ioc_;
  error_code last_error_;
};

TEST_F(ClientTlsTest, VerifiedWithTheCaFileAndKeptAlive) {
  TlsEchoServer server(ioc_, pki_->good_cert, pki_->good_key);
  Client client(with_ca());
  const ClientEndpoint ep{"127.0.0.1", server.port(), true};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(run(get(client, ep, "/k" + std::to_string(i))), "/k" + std::to_string(i) + ":");
  }
  // One connection and one handshake for all five requests.
  EXPECT_EQ(client.connections_opened(ep), 1u);
  EXPECT_EQ(server.accepted.load(), 1);
  EXPECT_EQ(server.handshakes.load(), 1);
  EXPECT_EQ(server.sni(), "");  // never an IP address in SNI
}

TEST_F(ClientTlsTest, HostNameIsSentAsSniAndVerified) {
  TlsEchoServer server(ioc_, pki_->good_cert, pki_->good_key);
  Client client(with_ca());
  const ClientEndpoint ep{"localhost", server.port(), true};
  const std::string r = run(get(client, ep, "/named"));
  // Where localhost resolves to ::1 first, the server (IPv4 only) is reached on the fallback.
  EXPECT_EQ(r, "/named:");
  EXPECT_EQ(server.sni(), "localhost");
}

TEST_F(ClientTlsTest, SystemTrustStoreRefusesAPrivateCa) {
  TlsEchoServer server(ioc_, pki_->good_cert, pki_->good_key);
  Client client({});
  const std::string r = run(get(client, {"127.0.0.1", server.port(), true}, "/x"));
  EXPECT_TRUE(is_tls_certificate_error(last_error_)) << r;
  EXPECT_NE(r.find("TLS certificate verification failed: unable to get local issuer certificate"),
            std::string::npos)
      << r;
  EXPECT_EQ(server.handshakes.load(), 0);
}

TEST_F(ClientTlsTest, CertificateForAnotherNameIsRefused) {
  TlsEchoServer server(ioc_, pki_->wrong_cert, pki_->wrong_key);
  Client client(with_ca());
  std::string r = run(get(client, {"127.0.0.1", server.port(), true}, "/x"));
  EXPECT_TRUE(is_tls_certificate_error(last_error_)) << r;
  EXPECT_NE(r.find("IP address mismatch"), std::string::npos) << r;
  r = run(get(client, {"localhost", server.port(), true}, "/x"));
  EXPECT_TRUE(is_tls_certificate_error(last_error_)) << r;
  EXPECT_NE(r.find("hostname mismatch"), std::string::npos) << r;
  EXPECT_EQ(server.handshakes.load(), 0);
}

TEST_F(ClientTlsTest, InsecureSkipVerifyAcceptsAnything) {
  TlsEchoServer server(ioc_, pki_->wrong_cert, pki_->wrong_key);
  ClientOptions o;
  o.tls.insecure_skip_verify = true;
  Client client(o);
  EXPECT_EQ(run(get(client, {"127.0.0.1", server.port(), true}, "/any")), "/any:");
}

TEST_F(ClientTlsTest, HandshakeIsBoundedByTheConnectTimeout) {
  SilentServer server(ioc_);
  ClientOptions o = with_ca();
  o.connect_timeout = std::chrono::milliseconds(300);
  Client client(o);
  // The timeout error is what shows the connect_timeout ended the handshake; how long that took
  // on this machine is not asserted.
  const std::string r = run(get(client, {"127.0.0.1", server.port(), true}, "/x"));
  EXPECT_EQ(r.rfind("error:", 0), 0u) << r;
  EXPECT_EQ(last_error_, beast::error::timeout) << r;
}

TEST_F(ClientTlsTest, PlainAndTlsEndpointsAreSeparatePools) {
  TlsEchoServer server(ioc_, pki_->good_cert, pki_->good_key);
  Client client(with_ca());
  // The same host and port over plain http: the TLS server cannot parse it, and the failed
  // connection is not the TLS pool's.
  const std::string plain = run(get(client, {"127.0.0.1", server.port(), false}, "/p"));
  EXPECT_EQ(plain.rfind("error:", 0), 0u) << plain;
  EXPECT_EQ(run(get(client, {"127.0.0.1", server.port(), true}, "/t")), "/t:");
  EXPECT_EQ(client.connections_opened({"127.0.0.1", server.port(), true}), 1u);
}

TEST_F(ClientTlsTest, UnusableCaFileIsAConstructionError) {
  ClientOptions o;
  o.tls.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(Client{o}, std::runtime_error);
  const auto not_pem = std::filesystem::temp_directory_path() /
                       ("s3gw-client-tls-notpem-" + std::to_string(::getpid()));
  std::ofstream(not_pem) << "not a certificate\n";
  o.tls.ca_file = not_pem.string();
  EXPECT_THROW(Client{o}, std::runtime_error);
  std::filesystem::remove(not_pem);
}

TEST(ClientEndpoint, HostHeaderAndPoolKeyFollowTheScheme) {
  EXPECT_EQ((ClientEndpoint{"s3.example.com", 443, true}).host_header(), "s3.example.com");
  EXPECT_EQ((ClientEndpoint{"s3.example.com", 80, true}).host_header(), "s3.example.com:80");
  EXPECT_EQ((ClientEndpoint{"s3.example.com", 443, false}).host_header(), "s3.example.com:443");
  EXPECT_NE((ClientEndpoint{"h", 8443, true}).key(), (ClientEndpoint{"h", 8443, false}).key());
}

}  // namespace
}  // namespace s3gw::http
