#include "http/aws_chunked_decoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "util/checksum.h"
#include "util/encoding.h"

namespace s3gw::http {
namespace {

using Errc = AwsChunkedErrc;

// Records everything the decoder reports, chunk by chunk.
class Recorder : public AwsChunkedObserver {
 public:
  bool on_chunk_begin(std::uint64_t size, std::string_view signature) override {
    EXPECT_FALSE(in_chunk_) << "chunk begun inside a chunk";
    in_chunk_ = true;
    begins.emplace_back(size, std::string(signature));
    current_.clear();
    return true;
  }
  bool on_chunk_data(std::span<const char> data) override {
    EXPECT_TRUE(in_chunk_);
    EXPECT_FALSE(data.empty());
    current_.append(data.data(), data.size());
    payload.append(data.data(), data.size());
    return true;
  }
  bool on_chunk_end() override {
    EXPECT_TRUE(in_chunk_);
    in_chunk_ = false;
    EXPECT_EQ(current_.size(), begins.back().first);
    chunks.push_back(current_);
    return static_cast<int>(chunks.size()) != reject_chunk_end;
  }
  bool on_body_end(std::span<const AwsChunkedTrailer> trailers) override {
    ++body_ends;
    for (const auto& t : trailers) trailers_seen.emplace_back(t.name, t.value);
    return !reject_body_end;
  }

  std::vector<std::pair<std::uint64_t, std::string>> begins;
  std::vector<std::string> chunks;
  std::vector<std::pair<std::string, std::string>> trailers_seen;
  std::string payload;
  int body_ends = 0;
  int reject_chunk_end = -1;  // 1-based chunk whose on_chunk_end returns false
  bool reject_body_end = false;

 private:
  bool in_chunk_ = false;
  std::string current_;
};

enum class Split { kWhole, kBytes, kRandom };

struct Outcome {
  AwsChunkedStatus status;  // first error from feed(), else finish()'s result
  bool done_before_finish = false;
  bool done = false;
  std::uint64_t decoded = 0;
  std::uint64_t chunk_count = 0;
  std::vector<std::pair<std::string, std::string>> trailers;
  Recorder recorder;
};

Outcome decode(std::string_view body, AwsChunkedOptions options, Split split = Split::kWhole,
               std::uint64_t seed = 1, bool call_finish = true) {
  Outcome out;
  AwsChunkedDecoder decoder(options, out.recorder);
  std::mt19937_64 rng(seed);
  std::size_t pos = 0;
  while (pos < body.size() && out.status.ok()) {
    std::size_t n = body.size() - pos;
    if (split == Split::kBytes) n = 1;
    if (split == Split::kRandom) n = std::min<std::size_t>(n, rng() % 300);  // 0 included
    out.status = decoder.feed(body.substr(pos, n));
    pos += n;
  }
  out.done_before_finish = decoder.done();
  if (out.status.ok() && call_finish) out.status = decoder.finish();
  out.done = decoder.done();
  out.decoded = decoder.decoded_bytes();
  out.chunk_count = decoder.chunk_count();
  for (const auto& t : decoder.trailers()) out.trailers.emplace_back(t.name, t.value);
  return out;
}

// Runs the same body whole, byte by byte and in random pieces; all must agree.
std::vector<Outcome> decode_all_ways(std::string_view body, AwsChunkedOptions options) {
  std::vector<Outcome> outs;
  outs.push_back(decode(body, options, Split::kWhole));
  outs.push_back(decode(body, options, Split::kBytes));
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    outs.push_back(decode(body, options, Split::kRandom, seed));
  return outs;
}

std::string hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return out;
}

std::string fake_signature(std::size_t i) {
  return std::string(64, "0123456789abcdef"[i % 16]);
}

// `tail` follows the final chunk line: trailer lines and/or the closing CRLF.
std::string signed_body(const std::vector<std::string>& chunks, std::string_view tail = "\r\n") {
  std::string out;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    out += hex(chunks[i].size()) + ";chunk-signature=" + fake_signature(i) + "\r\n" + chunks[i] +
           "\r\n";
  }
  out += "0;chunk-signature=" + fake_signature(chunks.size()) + "\r\n";
  out += tail;
  return out;
}

std::string unsigned_body(const std::vector<std::string>& chunks, std::string_view tail = "\r\n") {
  std::string out;
  for (const auto& chunk : chunks) out += hex(chunk.size()) + "\r\n" + chunk + "\r\n";
  out += "0\r\n";
  out += tail;
  return out;
}

AwsChunkedOptions signed_options() {
  return *aws_chunked_options_for("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
}
AwsChunkedOptions signed_trailer_options() {
  return *aws_chunked_options_for("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
}
AwsChunkedOptions unsigned_trailer_options() {
  return *aws_chunked_options_for("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
}

std::string crc32c_b64(std::string_view data) {
  auto hasher = util::make_hasher(util::ChecksumAlgorithm::kCRC32C);
  hasher->update(data);
  return util::base64_encode(hasher->digest());
}

// The sigv4-streaming example: 65 KiB of 'a' in a 64 KiB chunk, a 1 KiB chunk and the final chunk,
// with the signatures the AWS docs list (Content-Length 66824, x-amz-decoded-content-length 66560).
std::string aws_docs_signed_body() {
  return "10000;chunk-signature="
         "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature="
         "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
}

// The sigv4-streaming-trailers example: same payload, a crc32c trailer and its signature.
constexpr std::string_view kDocsTrailerSignature =
    "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";
std::string aws_docs_trailer_body(std::string_view between, std::string_view closing) {
  return "10000;chunk-signature="
         "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature="
         "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
         std::string(between) + "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:" +
         std::string(kDocsTrailerSignature) + "\r\n" + std::string(closing);
}

TEST(AwsChunkedDecoder, AwsDocsSignedExample) {
  const std::string body = aws_docs_signed_body();
  ASSERT_EQ(body.size(), 66824u);  // the example's Content-Length
  AwsChunkedOptions options = signed_options();
  options.decoded_length = 66560;
  for (const auto& out : decode_all_ways(body, options)) {
    ASSERT_TRUE(out.status.ok()) << out.status.message;
    EXPECT_TRUE(out.done_before_finish);
    EXPECT_EQ(out.recorder.payload, std::string(66560, 'a'));
    EXPECT_EQ(out.decoded, 66560u);
    EXPECT_EQ(out.chunk_count, 3u);
    ASSERT_EQ(out.recorder.begins.size(), 3u);
    EXPECT_EQ(out.recorder.begins[0].first, 65536u);
    EXPECT_EQ(out.recorder.begins[0].second,
              "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    EXPECT_EQ(out.recorder.begins[1].first, 1024u);
    EXPECT_EQ(out.recorder.begins[1].second,
              "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    EXPECT_EQ(out.recorder.begins[2].first, 0u);
    EXPECT_EQ(out.recorder.begins[2].second,
              "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
    ASSERT_EQ(out.recorder.chunks.size(), 3u);
    EXPECT_EQ(out.recorder.chunks[0].size(), 65536u);
    EXPECT_EQ(out.recorder.chunks[2], "");
    EXPECT_EQ(out.recorder.body_ends, 1);
    EXPECT_TRUE(out.trailers.empty());
  }
}

TEST(AwsChunkedDecoder, AwsDocsTrailerExampleInEveryFraming) {
  // As SDKs send it, without the closing empty line, and as the docs page renders it (an empty
  // line before the trailers).
  const std::vector<std::pair<std::string, std::string>> framings = {
      {"", "\r\n"}, {"", ""}, {"\r\n", "\r\n"}, {"\r\n", ""}};
  for (const auto& [between, closing] : framings) {
    const std::string body = aws_docs_trailer_body(between, closing);
    AwsChunkedOptions options = signed_trailer_options();
    options.decoded_length = 66560;
    for (const auto& out : decode_all_ways(body, options)) {
      ASSERT_TRUE(out.status.ok()) << out.status.message;
      EXPECT_TRUE(out.done);
      EXPECT_EQ(out.done_before_finish, !closing.empty());
      EXPECT_EQ(out.recorder.payload.size(), 66560u);
      ASSERT_EQ(out.recorder.begins.size(), 3u);
      EXPECT_EQ(out.recorder.begins[2].second,
                "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992");
      const std::vector<std::pair<std::string, std::string>> expected = {
          {"x-amz-checksum-crc32c", "sOO8/Q=="},
          {"x-amz-trailer-signature", std::string(kDocsTrailerSignature)}};
      EXPECT_EQ(out.trailers, expected);
      EXPECT_EQ(out.recorder.trailers_seen, expected);
      // The trailer is the CRC32C of the decoded payload.
      EXPECT_EQ(crc32c_b64(out.recorder.payload), "sOO8/Q==");
    }
  }
}

TEST(AwsChunkedDecoder, UnsignedTrailerAsSdksSendIt) {
  const std::string data = "Hello world";
  const std::string body = unsigned_body({data}, "x-amz-checksum-crc32c:crUfeA==\r\n\r\n");
  EXPECT_EQ(body, "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32c:crUfeA==\r\n\r\n");
  for (const auto& out : decode_all_ways(body, unsigned_trailer_options())) {
    ASSERT_TRUE(out.status.ok()) << out.status.message;
    EXPECT_TRUE(out.done_before_finish);
    EXPECT_EQ(out.recorder.payload, data);
    EXPECT_EQ(out.recorder.begins[0], std::make_pair(std::uint64_t{11}, std::string()));
    ASSERT_EQ(out.trailers.size(), 1u);
    EXPECT_EQ(out.trailers[0].second, crc32c_b64(data));
  }
}

TEST(AwsChunkedDecoder, ManyChunksAllSplits) {
  std::mt19937_64 rng(3);
  std::vector<std::string> chunks;
  std::string payload;
  for (int i = 0; i < 20; ++i) {
    std::string chunk(1 + rng() % 3000, '\0');
    for (char& c : chunk) c = static_cast<char>(rng() & 0xFF);  // CR/LF bytes included
    payload += chunk;
    chunks.push_back(std::move(chunk));
  }
  for (bool is_signed : {true, false}) {
    const std::string body =
        is_signed
            ? signed_body(chunks, "x-amz-checksum-crc32c:" + crc32c_b64(payload) +
                                      "\r\nx-amz-trailer-signature:" + fake_signature(99) +
                                      "\r\n\r\n")
            : unsigned_body(chunks, "x-amz-checksum-crc32c:" + crc32c_b64(payload) + "\r\n\r\n");
    AwsChunkedOptions options = is_signed ? signed_trailer_options() : unsigned_trailer_options();
    options.decoded_length = payload.size();
    for (const auto& out : decode_all_ways(body, options)) {
      ASSERT_TRUE(out.status.ok()) << out.status.message;
      EXPECT_EQ(out.recorder.payload, payload);
      EXPECT_EQ(out.recorder.chunks.size(), chunks.size() + 1);
      for (std::size_t i = 0; i < chunks.size(); ++i) {
        EXPECT_EQ(out.recorder.chunks[i], chunks[i]);
        EXPECT_EQ(out.recorder.begins[i].second, is_signed ? fake_signature(i) : "");
      }
      EXPECT_EQ(out.trailers.front().second, crc32c_b64(payload));
    }
  }
}

TEST(AwsChunkedDecoder, EmptyPayload) {
  for (const auto& out : decode_all_ways(signed_body({}), signed_options())) {
    ASSERT_TRUE(out.status.ok()) << out.status.message;
    EXPECT_TRUE(out.done_before_finish);
    EXPECT_EQ(out.decoded, 0u);
    EXPECT_EQ(out.chunk_count, 1u);
    EXPECT_EQ(out.recorder.chunks, std::vector<std::string>{""});
    EXPECT_EQ(out.recorder.body_ends, 1);
  }
  // aws-sdk-js v3 without a checksum stops right after the final chunk line.
  const auto out = decode("0\r\n", unsigned_trailer_options());
  EXPECT_TRUE(out.status.ok()) << out.status.message;
  EXPECT_FALSE(out.done_before_finish);
  EXPECT_TRUE(out.done);
}

TEST(AwsChunkedDecoder, BareLfLineEndingsAndChunkExtensions) {
  auto out = decode("5;chunk-signature=" + fake_signature(0) +
                        "\nhello\r\n0;chunk-signature=" + fake_signature(1) + "\n\n",
                    signed_options());
  EXPECT_TRUE(out.status.ok()) << out.status.message;
  EXPECT_TRUE(out.done_before_finish);
  EXPECT_EQ(out.recorder.payload, "hello");

  out = decode("5;foo=bar\r\nhello\r\n000;chunk-signature=xyz\r\n\r\n", unsigned_trailer_options());
  EXPECT_TRUE(out.status.ok()) << out.status.message;
  EXPECT_EQ(out.recorder.payload, "hello");
  EXPECT_EQ(out.recorder.begins[1].second, "");

  out = decode("0000000000000000000000005\r\nhello\r\n0\r\n\r\n", unsigned_trailer_options());
  EXPECT_TRUE(out.status.ok()) << out.status.message;
}

TEST(AwsChunkedDecoder, TrailerNamesAnyCaseAndWhitespace) {
  const auto out = decode(unsigned_body({"abc"}, "X-Amz-Checksum-CRC32 : NSRBwg== \r\n\r\n"),
                          unsigned_trailer_options());
  ASSERT_TRUE(out.status.ok()) << out.status.message;
  ASSERT_EQ(out.trailers.size(), 1u);
  EXPECT_EQ(out.trailers[0],
            std::make_pair(std::string("x-amz-checksum-crc32"), std::string("NSRBwg==")));
}

AwsChunkedStatus first_error(std::string_view body, AwsChunkedOptions options) {
  // The verdict must not depend on how the bytes arrive.
  const auto whole = decode(body, options, Split::kWhole);
  const auto bytes = decode(body, options, Split::kBytes);
  EXPECT_EQ(whole.status.code, bytes.status.code)
      << whole.status.message << " / " << bytes.status.message;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    EXPECT_EQ(decode(body, options, Split::kRandom, seed).status.code, whole.status.code);
  }
  EXPECT_FALSE(whole.done);
  return whole.status;
}

TEST(AwsChunkedDecoder, BadChunkSize) {
  const std::string sig = ";chunk-signature=" + fake_signature(0) + "\r\n";
  EXPECT_EQ(first_error("zz" + sig + "hello\r\n", signed_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error("5g" + sig + "hello\r\n", signed_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error(sig, signed_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error(" 5\r\nhello\r\n", unsigned_trailer_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error("5 \r\nhello\r\n", unsigned_trailer_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error("-5\r\nhello\r\n", unsigned_trailer_options()).code, Errc::kBadChunkHeader);
  EXPECT_EQ(first_error("\r\n", unsigned_trailer_options()).code, Errc::kBadChunkHeader);
  // Too big to be a size at all, and merely above the configured cap.
  EXPECT_EQ(first_error("ffffffffffffffffffffffff" + sig, signed_options()).code,
            Errc::kChunkTooLarge);
  AwsChunkedOptions capped = signed_options();
  capped.max_chunk_size = 1 << 20;
  EXPECT_EQ(first_error("100001" + sig, capped).code, Errc::kChunkTooLarge);
  EXPECT_EQ(decode("100000" + sig, capped, Split::kWhole, 1, false).status.code, Errc::kOk);
}

TEST(AwsChunkedDecoder, BadChunkSignature) {
  const auto bad = [](std::string_view header) {
    return first_error(std::string(header) + "\r\nhello\r\n", signed_options()).code;
  };
  EXPECT_EQ(bad("5"), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signature=" + fake_signature(10).substr(1)), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signature=" + fake_signature(10) + "0"), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signature=" + std::string(64, 'A')), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signature=" + std::string(64, 'g')), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signatur=" + fake_signature(1)), Errc::kBadChunkSignature);
  EXPECT_EQ(bad("5;chunk-signature=" + fake_signature(1) + ";x=y"), Errc::kBadChunkSignature);
}

TEST(AwsChunkedDecoder, OversizedHeaderLineFailsBeforeItsEnd) {
  AwsChunkedOptions options = signed_options();
  const std::string long_line = "5;chunk-signature=" + std::string(5000, 'a');
  // No LF ever arrives: the cap, not the line end, must stop it.
  const auto out = decode(long_line, options, Split::kBytes, 1, false);
  EXPECT_EQ(out.status.code, Errc::kLineTooLong);
  EXPECT_EQ(first_error(long_line + "\r\n", options).code, Errc::kLineTooLong);
  // The cap counts the CRLF; a line exactly at it passes.
  AwsChunkedOptions tight = unsigned_trailer_options();
  tight.max_line_length = 20;
  EXPECT_EQ(first_error("000000000000000005\r\nhello\r\n", tight).code, Errc::kTruncated);
  EXPECT_EQ(first_error("0000000000000000005\r\nhello\r\n", tight).code, Errc::kLineTooLong);
}

TEST(AwsChunkedDecoder, DataNotFollowedByCrlf) {
  const std::string header = "5;chunk-signature=" + fake_signature(0) + "\r\n";
  const std::string last = "0;chunk-signature=" + fake_signature(1) + "\r\n\r\n";
  // Chunk longer than declared.
  auto status = first_error(header + "hello!\r\n" + last, signed_options());
  EXPECT_EQ(status.code, Errc::kMissingDataCrlf);
  EXPECT_EQ(status.chunk_index, 1u);
  // CRLF missing or half there.
  EXPECT_EQ(first_error(header + "hello" + last, signed_options()).code, Errc::kMissingDataCrlf);
  EXPECT_EQ(first_error(header + "hello\n" + last, signed_options()).code, Errc::kMissingDataCrlf);
  EXPECT_EQ(first_error(header + "hello\r" + last, signed_options()).code, Errc::kMissingDataCrlf);
  // Chunk shorter than declared swallows the framing and then finds no CRLF.
  EXPECT_EQ(first_error("7;chunk-signature=" + fake_signature(0) + "\r\nhello\r\n" + last,
                        signed_options())
                .code,
            Errc::kMissingDataCrlf);
}

TEST(AwsChunkedDecoder, TruncatedAtEveryOffset) {
  for (bool is_signed : {true, false}) {
    const std::string body =
        is_signed ? signed_body({"hello", "world!"})
                  : unsigned_body({"hello", "world!"}, "x-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    const AwsChunkedOptions options = is_signed ? signed_options() : unsigned_trailer_options();
    // Complete once the final chunk line is in: the rest is optional closing framing (or, for the
    // unsigned body, a whole trailer line).
    const std::size_t final_line_end =
        body.find(is_signed ? "\r\n0;" : "\r\n0\r\n") + 2 + (is_signed ? 18 + 64 + 2 : 3);
    const std::size_t trailer_end = body.size() - 2;
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
      const auto out =
          decode(std::string_view(body).substr(0, cut), options, Split::kWhole, 1, true);
      const bool tolerated = cut == final_line_end || (!is_signed && cut == trailer_end);
      if (tolerated) {
        EXPECT_TRUE(out.status.ok()) << cut << ": " << out.status.message;
      } else {
        EXPECT_EQ(out.status.code, Errc::kTruncated) << "cut at " << cut;
        EXPECT_FALSE(out.done);
      }
    }
  }
}

TEST(AwsChunkedDecoder, DecodedLengthMismatch) {
  AwsChunkedOptions options = signed_options();
  options.decoded_length = 10;
  // Longer: caught when the chunk is announced, before its data.
  auto status = first_error(signed_body({"hello", "world!"}), options);
  EXPECT_EQ(status.code, Errc::kLengthMismatch);
  EXPECT_EQ(status.chunk_index, 2u);
  // Shorter: caught at the final chunk.
  EXPECT_EQ(first_error(signed_body({"hello", "wor"}), options).code, Errc::kLengthMismatch);
  EXPECT_TRUE(decode(signed_body({"hello", "world"}), options).status.ok());
}

TEST(AwsChunkedDecoder, MinimumChunkSize) {
  AwsChunkedOptions options = unsigned_trailer_options();
  options.min_chunk_size = 8192;
  auto status =
      first_error(unsigned_body({std::string(1000, 'x'), std::string(1000, 'y')}), options);
  EXPECT_EQ(status.code, Errc::kChunkTooSmall);
  EXPECT_EQ(status.chunk_index, 1u);
  EXPECT_EQ(status.chunk_size, 1000u);
  EXPECT_EQ(recommended_s3_error(status.code), "InvalidChunkSizeError");
  // Only the last data chunk may be small.
  EXPECT_TRUE(
      decode(unsigned_body({std::string(8192, 'x'), std::string(10, 'y')}), options).status.ok());
  EXPECT_TRUE(decode(unsigned_body({std::string(10, 'y')}), options).status.ok());
  options.min_chunk_size = 0;
  EXPECT_TRUE(
      decode(unsigned_body({std::string(1000, 'x'), std::string(1000, 'y')}), options).status.ok());
}

TEST(AwsChunkedDecoder, TrailerErrors) {
  const auto unsigned_tail = [](std::string_view tail) {
    return first_error(unsigned_body({"abc"}, tail), unsigned_trailer_options()).code;
  };
  EXPECT_EQ(unsigned_tail("x-amz-checksum-crc32\r\n\r\n"), Errc::kBadTrailer);
  EXPECT_EQ(unsigned_tail(":NSRBwg==\r\n\r\n"), Errc::kBadTrailer);
  EXPECT_EQ(unsigned_tail("x amz:NSRBwg==\r\n\r\n"), Errc::kBadTrailer);
  EXPECT_EQ(unsigned_tail("x-amz-checksum-crc32:NSR\x01wg==\r\n\r\n"), Errc::kBadTrailer);
  EXPECT_EQ(unsigned_tail("x-amz-checksum-crc32:a\r\nX-Amz-Checksum-Crc32:b\r\n\r\n"),
            Errc::kBadTrailer);
  EXPECT_EQ(unsigned_tail("x-amz-checksum-crc32:NSRBwg=="), Errc::kTruncated);  // no line end
  EXPECT_EQ(unsigned_tail("x-amz-checksum-crc32:NSRBwg==\r\n\r\nmore"), Errc::kDataAfterEnd);

  // Signed trailers need a well-formed signature.
  const auto signed_tail = [](std::string_view tail) {
    return first_error(signed_body({"abc"}, tail), signed_trailer_options()).code;
  };
  EXPECT_EQ(signed_tail("x-amz-checksum-crc32:NSRBwg==\r\n\r\n"), Errc::kBadTrailer);
  EXPECT_EQ(signed_tail("x-amz-checksum-crc32:NSRBwg==\r\nx-amz-trailer-signature:abc\r\n\r\n"),
            Errc::kBadTrailer);

  // Trailers when none were declared.
  EXPECT_EQ(
      first_error(signed_body({"abc"}, "x-amz-checksum-crc32:NSRBwg==\r\n\r\n"), signed_options())
          .code,
      Errc::kUnexpectedTrailer);
  EXPECT_EQ(first_error(signed_body({"abc"}, "\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"),
                        signed_options())
                .code,
            Errc::kDataAfterEnd);

  // Caps.
  AwsChunkedOptions options = unsigned_trailer_options();
  options.max_trailers = 2;
  EXPECT_EQ(first_error(unsigned_body({"abc"}, "a:1\r\nb:2\r\nc:3\r\n\r\n"), options).code,
            Errc::kTrailerTooLarge);
  EXPECT_TRUE(decode(unsigned_body({"abc"}, "a:1\r\nb:2\r\n\r\n"), options).status.ok());
  EXPECT_EQ(unsigned_tail("x-amz-meta:" + std::string(20000, 'v') + "\r\n\r\n"),
            Errc::kTrailerTooLarge);
  // A trailer line that never ends is stopped by the cap too.
  EXPECT_EQ(decode(unsigned_body({"abc"}, "x:" + std::string(20000, 'v')),
                   unsigned_trailer_options(), Split::kBytes, 1, false)
                .status.code,
            Errc::kTrailerTooLarge);
}

TEST(AwsChunkedDecoder, ErrorsAreSticky) {
  Recorder recorder;
  AwsChunkedDecoder decoder(signed_options(), recorder);
  EXPECT_TRUE(decoder.feed(signed_body({"abc"})).ok());
  EXPECT_TRUE(decoder.done());
  const auto status = decoder.feed(std::string_view("x"));
  EXPECT_EQ(status.code, Errc::kDataAfterEnd);
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.feed(std::string_view("")).code, Errc::kDataAfterEnd);
  EXPECT_EQ(decoder.feed(signed_body({"abc"})).code, Errc::kDataAfterEnd);
  EXPECT_EQ(decoder.finish().code, Errc::kDataAfterEnd);
}

TEST(AwsChunkedDecoder, ObserverCanAbort) {
  {
    Recorder recorder;
    recorder.reject_chunk_end = 2;
    AwsChunkedDecoder decoder(signed_options(), recorder);
    const auto status = decoder.feed(signed_body({"hello", "world", "again"}));
    EXPECT_EQ(status.code, Errc::kAborted);
    EXPECT_EQ(recommended_s3_error(status.code), "");
    EXPECT_EQ(recorder.payload, "helloworld");  // stopped before the third chunk
  }
  {
    Recorder recorder;
    recorder.reject_body_end = true;
    AwsChunkedDecoder decoder(unsigned_trailer_options(), recorder);
    EXPECT_TRUE(decoder.feed(unsigned_body({"hello"}, "")).ok());
    EXPECT_EQ(decoder.finish().code, Errc::kAborted);
    EXPECT_FALSE(decoder.done());
  }
}

TEST(AwsChunkedDecoder, OptionsForContentSha256) {
  EXPECT_FALSE(aws_chunked_options_for("UNSIGNED-PAYLOAD"));
  EXPECT_FALSE(aws_chunked_options_for("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"));
  EXPECT_FALSE(aws_chunked_options_for("streaming-unsigned-payload-trailer"));
  EXPECT_FALSE(aws_chunked_options_for(std::string(64, 'a')));
  EXPECT_TRUE(signed_options().signed_chunks);
  EXPECT_FALSE(signed_options().expect_trailers);
  EXPECT_TRUE(signed_trailer_options().signed_chunks);
  EXPECT_TRUE(signed_trailer_options().expect_trailers);
  EXPECT_FALSE(unsigned_trailer_options().signed_chunks);
  EXPECT_TRUE(unsigned_trailer_options().expect_trailers);
  EXPECT_EQ(recommended_s3_error(Errc::kTruncated), "IncompleteBody");
  EXPECT_EQ(recommended_s3_error(Errc::kUnexpectedTrailer), "MalformedTrailerError");
}

}  // namespace
}  // namespace s3gw::http
