#include "s3/conditional.h"

#include <gtest/gtest.h>

#include <string>

namespace s3gw::s3 {
namespace {

using std::chrono::system_clock;
using P = Precondition;

const system_clock::time_point kModified =
    system_clock::time_point(std::chrono::seconds(784111777)) +
    std::chrono::milliseconds(500);  // Sun, 06 Nov 1994 08:49:37.5 GMT
constexpr std::string_view kEtag = "\"abc123\"";

constexpr const char* kAtModified = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr const char* kBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr const char* kAfter = "Sun, 06 Nov 1994 08:49:38 GMT";
constexpr const char* kBadDate = "not a date";

struct EtagCase {
  std::string header;
  bool match;
};

void PrintTo(const EtagCase& c, std::ostream* os) {
  *os << c.header;
}

class EtagMatchTest : public ::testing::TestWithParam<EtagCase> {};

TEST_P(EtagMatchTest, Matches) {
  EXPECT_EQ(etag_matches(GetParam().header, kEtag), GetParam().match);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EtagMatchTest,
    ::testing::Values(
        EtagCase{"\"abc123\"", true}, EtagCase{"abc123", true}, EtagCase{"*", true},
        EtagCase{" * ", true}, EtagCase{"W/\"abc123\"", true}, EtagCase{"w/\"abc123\"", true},
        EtagCase{"W/abc123", true}, EtagCase{"  \"abc123\"  ", true},
        EtagCase{"\"x\", \"abc123\"", true}, EtagCase{"\"x\",\"abc123\",\"y\"", true},
        EtagCase{"x,abc123", true}, EtagCase{"\"x\", *", true}, EtagCase{",,\"abc123\",", true},
        EtagCase{"\"a,b\", \"abc123\"", true},  // a comma inside a quoted tag is not a separator
        EtagCase{"\"abc1234\"", false}, EtagCase{"\"ABC123\"", false},  // case-sensitive
        EtagCase{"\"abc\"", false}, EtagCase{"\"x\", \"y\"", false}, EtagCase{"", false},
        EtagCase{",", false}, EtagCase{"\"\"", false}, EtagCase{"**", false},
        EtagCase{"\"abc123", false}, EtagCase{"\"abc,123\"", false}, EtagCase{"abc 123", false}));

TEST(EtagMatchTest, StoredEtagMayBeUnquotedOrWeak) {
  EXPECT_TRUE(etag_matches("\"abc\"", "abc"));
  EXPECT_TRUE(etag_matches("abc", "abc"));
  EXPECT_TRUE(etag_matches("\"abc\"", "W/\"abc\""));
  EXPECT_TRUE(etag_matches("\"d41d8cd98f00b204e9800998ecf8427e-2\"",
                           "\"d41d8cd98f00b204e9800998ecf8427e-2\""));
}

struct CondCase {
  const char* name;
  ConditionalHeaders headers;
  P read;   // GET/HEAD
  P write;  // conditional write
};

void PrintTo(const CondCase& c, std::ostream* os) {
  *os << c.name;
}

class PreconditionTest : public ::testing::TestWithParam<CondCase> {};

TEST_P(PreconditionTest, Evaluates) {
  const CondCase& c = GetParam();
  EXPECT_EQ(evaluate_preconditions(c.headers, kEtag, kModified), c.read) << "read";
  EXPECT_EQ(evaluate_preconditions(c.headers, kEtag, kModified, RequestKind::kRead), c.read);
  EXPECT_EQ(evaluate_preconditions(c.headers, kEtag, kModified, RequestKind::kWrite), c.write)
      << "write";
}

ConditionalHeaders H(std::optional<std::string_view> if_match,
                     std::optional<std::string_view> if_none_match,
                     std::optional<std::string_view> if_modified_since,
                     std::optional<std::string_view> if_unmodified_since) {
  return {if_match, if_none_match, if_modified_since, if_unmodified_since};
}

const auto none = std::nullopt;

INSTANTIATE_TEST_SUITE_P(
    Table, PreconditionTest,
    ::testing::Values(
        CondCase{"no headers", H(none, none, none, none), P::kProceed, P::kProceed},
        // If-Match alone.
        CondCase{"if-match hit", H(kEtag, none, none, none), P::kProceed, P::kProceed},
        CondCase{"if-match star", H("*", none, none, none), P::kProceed, P::kProceed},
        CondCase{"if-match miss", H("\"zzz\"", none, none, none), P::kPreconditionFailed,
                 P::kPreconditionFailed},
        CondCase{"if-match blank is no condition", H("  ", none, none, none), P::kProceed,
                 P::kProceed},
        // If-Unmodified-Since alone: true when not modified after the date.
        CondCase{"ius at", H(none, none, none, kAtModified), P::kProceed, P::kProceed},
        CondCase{"ius after", H(none, none, none, kAfter), P::kProceed, P::kProceed},
        CondCase{"ius before", H(none, none, none, kBefore), P::kPreconditionFailed,
                 P::kPreconditionFailed},
        CondCase{"ius 1994-10", H(none, none, none, "Sat, 29 Oct 1994 19:43:31 GMT"),
                 P::kPreconditionFailed, P::kPreconditionFailed},
        CondCase{"ius bad date ignored", H(none, none, none, kBadDate), P::kProceed, P::kProceed},
        // If-None-Match alone.
        CondCase{"inm hit", H(none, kEtag, none, none), P::kNotModified, P::kPreconditionFailed},
        CondCase{"inm star", H(none, "*", none, none), P::kNotModified, P::kPreconditionFailed},
        CondCase{"inm weak hit", H(none, "W/\"abc123\"", none, none), P::kNotModified,
                 P::kPreconditionFailed},
        CondCase{"inm miss", H(none, "\"zzz\"", none, none), P::kProceed, P::kProceed},
        CondCase{"inm list hit", H(none, "\"a\", \"abc123\"", none, none), P::kNotModified,
                 P::kPreconditionFailed},
        // If-Modified-Since alone (reads only).
        CondCase{"ims at", H(none, none, kAtModified, none), P::kNotModified, P::kProceed},
        CondCase{"ims after", H(none, none, kAfter, none), P::kNotModified, P::kProceed},
        CondCase{"ims before", H(none, none, kBefore, none), P::kProceed, P::kProceed},
        CondCase{"ims 1994-10", H(none, none, "Sat, 29 Oct 1994 19:43:31 GMT", none), P::kProceed,
                 P::kProceed},
        CondCase{"ims bad date ignored", H(none, none, kBadDate, none), P::kProceed, P::kProceed},
        CondCase{"ims rfc850", H(none, none, "Sunday, 06-Nov-94 08:49:37 GMT", none),
                 P::kNotModified, P::kProceed},
        CondCase{"ims asctime", H(none, none, "Sun Nov  6 08:49:37 1994", none), P::kNotModified,
                 P::kProceed},
        // S3's documented pairs.
        CondCase{"if-match true + ius false -> proceed", H(kEtag, none, none, kBefore), P::kProceed,
                 P::kProceed},
        CondCase{"if-match false + ius true -> 412", H("\"zzz\"", none, none, kAfter),
                 P::kPreconditionFailed, P::kPreconditionFailed},
        CondCase{"inm false + ims true -> 304", H(none, kEtag, kBefore, none), P::kNotModified,
                 P::kPreconditionFailed},
        CondCase{"inm true + ims false -> proceed", H(none, "\"zzz\"", kAfter, none), P::kProceed,
                 P::kProceed},
        CondCase{"inm true + ims true -> proceed", H(none, "\"zzz\"", kBefore, none), P::kProceed,
                 P::kProceed},
        // Across the groups: the 412 checks come first.
        CondCase{"if-match false + inm false -> 412", H("\"zzz\"", kEtag, none, none),
                 P::kPreconditionFailed, P::kPreconditionFailed},
        CondCase{"if-match true + inm false -> 304", H(kEtag, kEtag, none, none), P::kNotModified,
                 P::kPreconditionFailed},
        CondCase{"ius false + ims false -> 412", H(none, none, kAfter, kBefore),
                 P::kPreconditionFailed, P::kPreconditionFailed},
        CondCase{"ius true + ims false -> 304", H(none, none, kAfter, kAfter), P::kNotModified,
                 P::kProceed},
        CondCase{"all true", H(kEtag, "\"zzz\"", kBefore, kAfter), P::kProceed, P::kProceed},
        CondCase{"if-match true + ius false + ims false -> 304", H(kEtag, none, kAfter, kBefore),
                 P::kNotModified, P::kProceed},
        CondCase{"blank inm lets ims decide", H(none, "", kAfter, none), P::kNotModified,
                 P::kProceed}));

TEST(PreconditionTest, ComparesWholeSeconds) {
  // Last-Modified carries no fraction, so 08:49:37.5 is "at" 08:49:37: not modified since then.
  const ConditionalHeaders ims{std::nullopt, std::nullopt, kAtModified, std::nullopt};
  EXPECT_EQ(evaluate_preconditions(ims, kEtag, kModified), P::kNotModified);
  const ConditionalHeaders ius{std::nullopt, std::nullopt, std::nullopt, kAtModified};
  EXPECT_EQ(evaluate_preconditions(ius, kEtag, kModified), P::kProceed);
}

TEST(PreconditionTest, UnquotedStoredEtag) {
  const ConditionalHeaders h{"\"abc123\"", std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(evaluate_preconditions(h, "abc123", kModified), P::kProceed);
}

}  // namespace
}  // namespace s3gw::s3
