// Permission documents: every matching rule of auth/permissions.h as a table, the validation
// refusals with the admin API's messages, and a pathological glob that must finish (its speed is
// measured by bench/micro, not asserted here).
#include "auth/permissions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace s3gw::auth {
namespace {

Permissions parse_ok(std::string_view text) {
  auto parsed = Permissions::parse(text);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << text << ": " << *why;
    return {};
  }
  return std::get<Permissions>(std::move(parsed));
}

std::string parse_error(std::string_view text) {
  auto parsed = Permissions::parse(text);
  if (auto* why = std::get_if<std::string>(&parsed)) return *why;
  return "(accepted)";
}

// One question asked of a document: bucket-level when `key` is absent.
struct Case {
  std::string_view action;
  std::string_view bucket;
  std::optional<std::string_view> key;
  bool allowed;
};

void check(std::string_view document, const std::vector<Case>& cases) {
  const Permissions p = parse_ok(document);
  for (const auto& c : cases) {
    const bool got = c.key ? p.allows(c.action, c.bucket, *c.key) : p.allows(c.action, c.bucket);
    EXPECT_EQ(got, c.allowed) << document << " " << c.action << " " << c.bucket
                              << (c.key ? " key=" + std::string(*c.key) : " (bucket-level)");
  }
}

TEST(PermissionsMatch, ExactBucket) {
  check(R"({"s3:GetObject": ["my-bucket"]})",
        {
            {"s3:GetObject", "my-bucket", std::nullopt, true},
            {"s3:GetObject", "my-bucket", "a", true},
            {"s3:GetObject", "my-bucket", "deep/path/x.jpg", true},
            {"s3:GetObject", "my-bucket2", "a", false},
            {"s3:GetObject", "my-bucke", "a", false},
            {"s3:GetObject", "My-Bucket", "a", false},  // bucket names are case-sensitive
            {"s3:PutObject", "my-bucket", "a", false},
        });
}

TEST(PermissionsMatch, PrefixStarBucket) {
  check(R"({"s3:GetObject": ["shared-*"]})",
        {
            {"s3:GetObject", "shared-", std::nullopt, true},
            {"s3:GetObject", "shared-photos", std::nullopt, true},
            {"s3:GetObject", "shared-photos", "x/y", true},
            {"s3:GetObject", "shared", "x", false},
            {"s3:GetObject", "unshared-photos", "x", false},
        });
}

TEST(PermissionsMatch, StarBucketMatchesEverything) {
  check(R"({"s3:GetObject": ["*"]})", {
                                          {"s3:GetObject", "a", std::nullopt, true},
                                          {"s3:GetObject", "any-bucket", "any/key", true},
                                          {"s3:PutObject", "a", "k", false},
                                      });
}

TEST(PermissionsMatch, InnerStarBucket) {
  check(R"({"s3:GetObject": ["logs-*-eu"]})", {
                                                  {"s3:GetObject", "logs-2024-eu", "k", true},
                                                  {"s3:GetObject", "logs--eu", "k", true},
                                                  {"s3:GetObject", "logs-2024-us", "k", false},
                                                  {"s3:GetObject", "logs-eu", "k", false},
                                              });
}

TEST(PermissionsMatch, ObjectPatterns) {
  check(R"({"s3:GetObject": ["b/photos/*", "c/*.jpg", "d/exact.txt", "*-data/public/*"]})",
        {
            {"s3:GetObject", "b", "photos/a.jpg", true},
            {"s3:GetObject", "b", "photos/2024/06/a.jpg", true},  // `*` crosses `/`
            {"s3:GetObject", "b", "photos/", true},
            {"s3:GetObject", "b", "photos", false},
            {"s3:GetObject", "b", "other/a.jpg", false},
            {"s3:GetObject", "bb", "photos/a.jpg", false},
            {"s3:GetObject", "c", "x.jpg", true},
            {"s3:GetObject", "c", "dir/x.jpg", true},
            {"s3:GetObject", "c", "x.jpeg", false},
            {"s3:GetObject", "d", "exact.txt", true},
            {"s3:GetObject", "d", "exact.txt2", false},
            {"s3:GetObject", "d", "Exact.txt", false},  // keys are case-sensitive
            {"s3:GetObject", "x-data", "public/k", true},
            {"s3:GetObject", "x-data", "private/k", false},
        });
}

TEST(PermissionsMatch, ObjectPatternGrantsBucketLevelOnlyForSlashStar) {
  check(R"({"s3:ListBucket": ["b2/*", "b3/uploads/*", "b4/x", "b5/**"]})",
        {
            {"s3:ListBucket", "b2", std::nullopt, true},
            {"s3:ListBucket", "b3", std::nullopt, false},
            {"s3:ListBucket", "b4", std::nullopt, false},
            {"s3:ListBucket", "b5", std::nullopt, true},  // a run of stars is one star
            {"s3:ListBucket", "b1", std::nullopt, false},
        });
}

TEST(PermissionsMatch, ActionWildcards) {
  check(R"({"s3:*": ["scratch"], "s3:Get*": ["ro"], "s3:*Object": ["objs"]})",
        {
            {"s3:GetObject", "scratch", "k", true},
            {"s3:PutObject", "scratch", "k", true},
            {"s3:DeleteBucket", "scratch", std::nullopt, true},
            {"s3:GetObject", "ro", "k", true},
            {"s3:GetBucketLocation", "ro", std::nullopt, true},
            {"s3:PutObject", "ro", "k", false},
            {"s3:ListBucket", "ro", std::nullopt, false},
            {"s3:PutObject", "objs", "k", true},
            {"s3:DeleteObject", "objs", "k", true},
            {"s3:ListBucket", "objs", std::nullopt, false},
            {"s3:GetObjectAcl", "objs", "k", false},
        });
}

TEST(PermissionsMatch, ActionsCompareCaseInsensitively) {
  check(R"({"s3:getobject": ["a"], "s3:PUTOBJECT": ["b"], "s3:gEt*": ["c"]})",
        {
            {"s3:GetObject", "a", "k", true},
            {"S3:GETOBJECT", "a", "k", true},
            {"s3:putobject", "b", "k", true},
            {"s3:PutObject", "b", "k", true},
            {"s3:GetObjectTagging", "c", "k", true},
            {"s3:PutObject", "a", "k", false},
        });
}

TEST(PermissionsMatch, GrantsAddUpAcrossActionsAndPatterns) {
  check(R"({"s3:GetObject": ["a", "b/x/*"], "s3:*": ["b/y/*"]})",
        {
            {"s3:GetObject", "b", "x/1", true},
            {"s3:GetObject", "b", "y/1", true},
            {"s3:GetObject", "b", "z/1", false},
            {"s3:PutObject", "b", "x/1", false},
            {"s3:PutObject", "b", "y/1", true},
        });
}

TEST(PermissionsMatch, EmptyDocumentAllowsNothing) {
  for (std::string_view doc : {R"({})", R"({"s3:*": []})"}) {
    const Permissions p = parse_ok(doc);
    EXPECT_TRUE(p.empty()) << doc;
    EXPECT_FALSE(p.allows("s3:GetObject", "b")) << doc;
    EXPECT_FALSE(p.allows("s3:GetObject", "b", "k")) << doc;
    EXPECT_FALSE(p.allows_prefix("s3:ListBucket", "b", "")) << doc;
  }
  EXPECT_TRUE(Permissions{}.empty());
  EXPECT_FALSE(Permissions{}.allows("s3:GetObject", "b", "k"));
  EXPECT_FALSE(parse_ok(R"({"s3:GetObject": ["b"]})").empty());
}

TEST(PermissionsPrefix, Table) {
  const Permissions p = parse_ok(
      R"({"s3:ListBucket": ["whole", "team-*", "b/photos/*", "c/*", "d/a*b*", "e/*.jpg",
                            "f/exact", "*-logs/2024/*"]})");
  struct PrefixCase {
    std::string_view bucket;
    std::string_view prefix;
    bool allowed;
  };
  const std::vector<PrefixCase> cases = {
      {"whole", "", true},
      {"whole", "anything/", true},
      {"team-x", "p/", true},
      {"team", "p/", false},
      {"b", "photos/", true},
      {"b", "photos/2024/", true},
      {"b", "photos/2024/06/a.jpg", true},
      {"b", "", false},
      {"b", "ph", false},
      {"b", "photos", false},
      {"b", "other/", false},
      {"c", "", true},
      {"c", "x/", true},
      {"d", "a", false},  // a star inside the key pattern: not a literal prefix
      {"d", "ab", false},
      {"e", "", false},
      {"e", "x.jpg", false},
      {"f", "exact", false},  // one key, not every key under the prefix
      {"f", "", false},
      {"app-logs", "2024/", true},
      {"app-logs", "2024/01/", true},
      {"app-logs", "2023/", false},
      {"other", "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(p.allows_prefix("s3:ListBucket", c.bucket, c.prefix), c.allowed)
        << c.bucket << " prefix=" << c.prefix;
  }
  EXPECT_FALSE(p.allows_prefix("s3:GetObject", "whole", ""));
  EXPECT_TRUE(p.allows_prefix("S3:LISTBUCKET", "whole", ""));
}

TEST(PermissionsPrefix, EmptyPrefixAgreesWithBucketLevel) {
  const Permissions p = parse_ok(R"({"s3:ListBucket": ["a", "b/*", "c/x/*", "d/k"]})");
  for (std::string_view bucket : {"a", "b", "c", "d", "e"}) {
    EXPECT_EQ(p.allows_prefix("s3:ListBucket", bucket, ""), p.allows("s3:ListBucket", bucket))
        << bucket;
  }
}

// Exponential backtracking would never finish these: the test's ctest TIMEOUT fails it then.
TEST(PermissionsMatch, PathologicalPatternFinishes) {
  const std::string text(100000, 'a');
  const Permissions p = parse_ok(R"({"s3:GetObject": ["b/*a*a*a*a*a*a*a*b", "*a*a*a*a*a*a*a*b"],
                                      "s3:*a*a*a*a*a*a*a*b": ["*"]})");
  EXPECT_FALSE(p.allows("s3:GetObject", "b", text));
  EXPECT_FALSE(p.allows("s3:GetObject", text, "k"));
  EXPECT_FALSE(p.allows("s3:" + std::string(100000, 'a'), "b", "k"));
  EXPECT_TRUE(p.allows("s3:GetObject", "b", text + "b"));
}

// {"s3:Xaa": [], "s3:Xab": [], ...} with `n` distinct actions.
std::string actions_document(int n) {
  std::string doc = "{";
  for (int i = 0; i < n; ++i) {
    doc += i ? "," : "";
    doc += "\"s3:X";
    doc += static_cast<char>('a' + i / 26);
    doc += static_cast<char>('a' + i % 26);
    doc += "\": []";
  }
  return doc + "}";
}

TEST(PermissionsParse, AcceptsTheLimits) {
  EXPECT_EQ(parse_error(actions_document(100)), "(accepted)");

  std::string patterns = "[";
  for (int i = 0; i < 1000; ++i) patterns += (i ? ",\"b" : "\"b") + std::to_string(i) + "\"";
  patterns += "]";
  EXPECT_EQ(parse_error(R"({"s3:GetObject":)" + patterns + "}"), "(accepted)");

  EXPECT_EQ(parse_error(R"({"s3:)" + std::string(61, 'a') + R"(": ["b"]})"), "(accepted)");
  EXPECT_EQ(parse_error(R"({"s3:GetObject": [")" + std::string(1088, 'p') + R"("]})"),
            "(accepted)");
  EXPECT_EQ(parse_error(R"({"s3:GetObject": ["b/é ~"]})"), "(accepted)");
}

TEST(PermissionsParse, Refusals) {
  const std::string kNotObject = "permissions must be a JSON object";
  const std::string kBadKey =
      "permission keys must be actions such as \"s3:GetObject\" or \"s3:*\"";
  const std::string kBadPatterns = "the patterns of s3:GetObject must be non-empty strings";

  const std::string many_actions = actions_document(101);
  std::string many_patterns = R"({"s3:GetObject": [)";
  for (int i = 0; i < 1001; ++i) many_patterns += i ? ",\"b\"" : "\"b\"";
  many_patterns += "]}";

  struct Refusal {
    std::string document;
    std::string error;
  };
  const std::vector<Refusal> refusals = {
      {"", "permissions are not valid JSON"},
      {"{", "permissions are not valid JSON"},
      {R"({"s3:GetObject": ["a"]} x)", "permissions are not valid JSON"},
      {"[]", kNotObject},
      {R"(["s3:*"])", kNotObject},
      {R"("s3:*")", kNotObject},
      {"null", kNotObject},
      {"1", kNotObject},
      {many_actions, "permissions may name at most 100 actions"},
      {R"({"GetObject": ["a"]})", kBadKey},
      {R"({"s3:": ["a"]})", kBadKey},
      {R"({"s3": ["a"]})", kBadKey},
      {R"({"": ["a"]})", kBadKey},
      {R"({"S3:GetObject": ["a"]})", kBadKey},
      {R"({"iam:GetUser": ["a"]})", kBadKey},
      {R"({"s3:Get Object": ["a"]})", kBadKey},
      {R"({"s3:Get-Object": ["a"]})", kBadKey},
      {R"({"s3:GetObject1": ["a"]})", kBadKey},
      {R"({"s3:?": ["a"]})", kBadKey},
      {R"({"s3:)" + std::string(62, 'a') + R"(": ["a"]})", kBadKey},  // 65 characters
      {R"({"s3:GetObject": "a"})", "the patterns of s3:GetObject must be an array"},
      {R"({"s3:GetObject": {"a": 1}})", "the patterns of s3:GetObject must be an array"},
      {R"({"s3:GetObject": null})", "the patterns of s3:GetObject must be an array"},
      {many_patterns, "at most 1000 patterns per action"},
      {R"({"s3:GetObject": [1]})", kBadPatterns},
      {R"({"s3:GetObject": [""]})", kBadPatterns},
      {R"({"s3:GetObject": [null]})", kBadPatterns},
      {R"({"s3:GetObject": [["a"]]})", kBadPatterns},
      {R"({"s3:GetObject": ["a\u0000b"]})", kBadPatterns},
      {R"({"s3:GetObject": ["a\nb"]})", kBadPatterns},
      {R"({"s3:GetObject": ["a\tb"]})", kBadPatterns},
      {R"({"s3:GetObject": ["a\u007fb"]})", kBadPatterns},
      {R"({"s3:GetObject": [")" + std::string(1089, 'p') + R"("]})", kBadPatterns},
      {R"({"s3:GetObject": ["ok", 2]})", kBadPatterns},
  };
  for (const auto& r : refusals) {
    EXPECT_EQ(parse_error(r.document), r.error) << r.document.substr(0, 120);
  }
}

TEST(Permissions, AllowsSomeObjectOfABucket) {
  auto parsed =
      Permissions::parse(R"({"s3:DeleteObject": ["b/tmp/*", "logs-*"], "s3:GetObject": ["*"]})");
  ASSERT_TRUE(std::holds_alternative<Permissions>(parsed));
  const auto& p = std::get<Permissions>(parsed);
  EXPECT_TRUE(p.allows_some("s3:DeleteObject", "b"));
  EXPECT_TRUE(p.allows_some("s3:DeleteObject", "logs-2026"));
  EXPECT_FALSE(p.allows_some("s3:DeleteObject", "c"));
  EXPECT_FALSE(p.allows_some("s3:DeleteObjectVersion", "b"));
  EXPECT_TRUE(p.allows_some("s3:GetObject", "anything"));
  EXPECT_FALSE(Permissions().allows_some("s3:DeleteObject", "b"));
}

}  // namespace
}  // namespace s3gw::auth
