// xml_reader (CreateBucketConfiguration), XmlWriter escaping and error_xml.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>

#include "s3/error.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"

namespace s3gw::s3 {
namespace {

constexpr std::string_view kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

struct CbcCase {
  std::string name;
  std::string body;
  std::optional<std::string> constraint;  // nullopt: an error
  ErrorCode code = ErrorCode::kMalformedXML;
};

void PrintTo(const CbcCase& c, std::ostream* os) {
  *os << c.name;
}

class CreateBucketConfigurationTest : public ::testing::TestWithParam<CbcCase> {};

TEST_P(CreateBucketConfigurationTest, Parses) {
  const CbcCase& c = GetParam();
  const auto result = parse_create_bucket_configuration(c.body);
  if (c.constraint) {
    const auto* config = std::get_if<CreateBucketConfiguration>(&result);
    ASSERT_NE(config, nullptr) << std::get<S3Error>(result).effective_message();
    EXPECT_EQ(config->location_constraint, *c.constraint);
  } else {
    const auto* err = std::get_if<S3Error>(&result);
    ASSERT_NE(err, nullptr) << std::get<CreateBucketConfiguration>(result).location_constraint;
    EXPECT_EQ(err->code, c.code);
  }
}

const std::string kNs = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";

CbcCase ok(std::string name, std::string body, std::string constraint) {
  return {std::move(name), std::move(body), std::move(constraint)};
}
CbcCase bad(std::string name, std::string body, ErrorCode code = ErrorCode::kMalformedXML) {
  return {std::move(name), std::move(body), std::nullopt, code};
}

INSTANTIATE_TEST_SUITE_P(
    Table, CreateBucketConfigurationTest,
    ::testing::Values(
        ok("empty body", "", ""), ok("blank body", " \r\n\t ", ""),
        ok("with namespace",
           "<CreateBucketConfiguration" + kNs +
               "><LocationConstraint>fi-hel</LocationConstraint></CreateBucketConfiguration>",
           "fi-hel"),
        ok("without namespace",
           "<CreateBucketConfiguration><LocationConstraint>eu-fi</LocationConstraint>"
           "</CreateBucketConfiguration>",
           "eu-fi"),
        ok("with declaration",
           std::string(kDecl) + "\n<CreateBucketConfiguration" + kNs +
               ">\n  <LocationConstraint>fi</LocationConstraint>\n</CreateBucketConfiguration>\n",
           "fi"),
        ok("prefixed namespace",
           R"(<s3:CreateBucketConfiguration xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">)"
           "<s3:LocationConstraint>de</s3:LocationConstraint></s3:CreateBucketConfiguration>",
           "de"),
        ok("child resets default namespace",
           "<CreateBucketConfiguration" + kNs +
               R"(><LocationConstraint xmlns="">de</LocationConstraint>)"
               "</CreateBucketConfiguration>",
           "de"),
        ok("self-closing root", "<CreateBucketConfiguration/>", ""),
        ok("empty root", "<CreateBucketConfiguration" + kNs + "></CreateBucketConfiguration>", ""),
        ok("empty constraint",
           "<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>", ""),
        ok("trimmed",
           "<CreateBucketConfiguration><LocationConstraint>\n  fi-hel \n</LocationConstraint>"
           "</CreateBucketConfiguration>",
           "fi-hel"),
        ok("escapes",
           "<CreateBucketConfiguration><LocationConstraint>a&amp;b&#x41;</LocationConstraint>"
           "</CreateBucketConfiguration>",
           "a&bA"),
        ok("cdata",
           "<CreateBucketConfiguration><LocationConstraint>f<![CDATA[i-h]]>el"
           "</LocationConstraint></CreateBucketConfiguration>",
           "fi-hel"),
        ok("comments",
           "<!-- a --><CreateBucketConfiguration><!-- b --><LocationConstraint>fi"
           "</LocationConstraint></CreateBucketConfiguration><!-- c -->",
           "fi"),
        ok("attributes ignored",
           R"(<CreateBucketConfiguration foo="1"><LocationConstraint bar="2">fi)"
           "</LocationConstraint></CreateBucketConfiguration>",
           "fi"),
        ok("utf-8",
           "<CreateBucketConfiguration><LocationConstraint>\xc3\xa9</LocationConstraint>"
           "</CreateBucketConfiguration>",
           "\xc3\xa9"),
        // Not XML, or not this document.
        bad("text", "fi-hel"), bad("json", R"({"LocationConstraint":"fi"})"),
        bad("unclosed", "<CreateBucketConfiguration><LocationConstraint>fi"),
        bad("mismatched",
            "<CreateBucketConfiguration><LocationConstraint>fi</Location></"
            "CreateBucketConfiguration>"),
        bad("wrong root", "<Foo><LocationConstraint>fi</LocationConstraint></Foo>"),
        bad("wrong root case", "<createbucketconfiguration/>"),
        bad("constraint as root", "<LocationConstraint>fi</LocationConstraint>"),
        bad("two roots", "<CreateBucketConfiguration/><CreateBucketConfiguration/>"),
        bad("text after root", "<CreateBucketConfiguration/>junk"),
        bad("text before root", "junk<CreateBucketConfiguration/>"),
        bad("text in root", "<CreateBucketConfiguration>junk</CreateBucketConfiguration>"),
        bad("only a declaration", std::string(kDecl)), bad("only a comment", "<!-- nothing -->"),
        bad("other namespace", R"(<CreateBucketConfiguration xmlns="urn:other"/>)"),
        bad("child in other namespace",
            "<CreateBucketConfiguration><LocationConstraint xmlns=\"urn:other\">fi"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("unbound prefix", "<s3:CreateBucketConfiguration/>"),
        bad("prefix bound elsewhere", R"(<s3:CreateBucketConfiguration xmlns:s3="urn:other"/>)"),
        bad("unknown element",
            "<CreateBucketConfiguration><Region>fi</Region></CreateBucketConfiguration>"),
        bad("repeated constraint",
            "<CreateBucketConfiguration><LocationConstraint>fi</LocationConstraint>"
            "<LocationConstraint>de</LocationConstraint></CreateBucketConfiguration>"),
        bad("element inside constraint",
            "<CreateBucketConfiguration><LocationConstraint><b>fi</b></LocationConstraint>"
            "</CreateBucketConfiguration>"),
        bad("bad escape",
            "<CreateBucketConfiguration><LocationConstraint>&#xZZ;"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("unknown entity",
            "<CreateBucketConfiguration><LocationConstraint>&nbsp;"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("bare ampersand",
            "<CreateBucketConfiguration><LocationConstraint>a & b"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("unterminated reference",
            "<CreateBucketConfiguration><LocationConstraint>&amp"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("NUL reference",
            "<CreateBucketConfiguration><LocationConstraint>a&#0;b"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("reference too large",
            "<CreateBucketConfiguration><LocationConstraint>&#x110000;"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("empty reference",
            "<CreateBucketConfiguration><LocationConstraint>&#;"
            "</LocationConstraint></CreateBucketConfiguration>"),
        bad("bad reference in attribute", R"(<CreateBucketConfiguration a="&x;"/>)"),
        ok("ampersand in cdata and comment",
           "<!-- & --><CreateBucketConfiguration><LocationConstraint><![CDATA[a & b]]>"
           "</LocationConstraint></CreateBucketConfiguration>",
           "a & b"),
        ok("every legal reference",
           "<CreateBucketConfiguration><LocationConstraint>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;"
           "&#x10FFFF;</LocationConstraint></CreateBucketConfiguration>",
           "&<>\"'AB\xf4\x8f\xbf\xbf"),
        // DOCTYPE is refused outright, entity declarations or not.
        bad("doctype", "<!DOCTYPE CreateBucketConfiguration><CreateBucketConfiguration/>"),
        bad("billion laughs",
            R"(<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>)"
            "<CreateBucketConfiguration><LocationConstraint>&b;</LocationConstraint>"
            "</CreateBucketConfiguration>"),
        bad("external entity",
            R"(<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
            "<CreateBucketConfiguration><LocationConstraint>&x;</LocationConstraint>"
            "</CreateBucketConfiguration>"),
        // Elements AWS defines that the gateway does not support.
        bad("directory bucket location",
            "<CreateBucketConfiguration><Location><Type>AvailabilityZone</Type></Location>"
            "</CreateBucketConfiguration>",
            ErrorCode::kNotImplemented),
        bad("directory bucket info",
            "<CreateBucketConfiguration><Bucket><Type>Directory</Type></Bucket>"
            "</CreateBucketConfiguration>",
            ErrorCode::kNotImplemented),
        bad("tags",
            "<CreateBucketConfiguration><LocationConstraint>fi</LocationConstraint><Tags/>"
            "</CreateBucketConfiguration>",
            ErrorCode::kNotImplemented)));

TEST(CreateBucketConfigurationTest, NotImplementedNamesTheElement) {
  const auto result = parse_create_bucket_configuration(
      "<CreateBucketConfiguration><Tags/></CreateBucketConfiguration>");
  ASSERT_TRUE(std::holds_alternative<S3Error>(result));
  EXPECT_NE(std::get<S3Error>(result).message.find("<Tags>"), std::string::npos);
}

TEST(CreateBucketConfigurationTest, DeepNestingIsRejectedNotCrashing) {
  std::string body = "<CreateBucketConfiguration><LocationConstraint>";
  for (int i = 0; i < 20000; ++i) body += "<a>";
  for (int i = 0; i < 20000; ++i) body += "</a>";
  body += "</LocationConstraint></CreateBucketConfiguration>";
  const auto result = parse_create_bucket_configuration(body);
  ASSERT_TRUE(std::holds_alternative<S3Error>(result));
  EXPECT_EQ(std::get<S3Error>(result).code, ErrorCode::kMalformedXML);
}

TEST(CreateBucketConfigurationTest, BinaryGarbage) {
  const std::string body("\x00\xff\xfe<\x01>", 6);
  const auto result = parse_create_bucket_configuration(body);
  ASSERT_TRUE(std::holds_alternative<S3Error>(result));
  EXPECT_EQ(std::get<S3Error>(result).code, ErrorCode::kMalformedXML);
}

// XmlWriter

struct EscapeCase {
  std::string text;
  std::string escaped;
};

void PrintTo(const EscapeCase& c, std::ostream* os) {
  *os << c.escaped;
}

class XmlEscapeTest : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(XmlEscapeTest, Escapes) {
  EXPECT_EQ(xml_escape(GetParam().text), GetParam().escaped);
  std::string out = "x";
  append_xml_escaped(out, GetParam().text);
  EXPECT_EQ(out, "x" + GetParam().escaped);
}

INSTANTIATE_TEST_SUITE_P(
    Table, XmlEscapeTest,
    ::testing::Values(EscapeCase{"", ""}, EscapeCase{"plain key.txt", "plain key.txt"},
                      EscapeCase{"a&b", "a&amp;b"}, EscapeCase{"<tag>", "&lt;tag&gt;"},
                      EscapeCase{"\"q\"", "&quot;q&quot;"}, EscapeCase{"it's", "it&apos;s"},
                      EscapeCase{"&amp;", "&amp;amp;"}, EscapeCase{"tab\there", "tab\there"},
                      EscapeCase{"a\nb", "a&#xA;b"}, EscapeCase{"a\rb", "a&#xD;b"},
                      EscapeCase{"\x01\x1f", "&#x1;&#x1F;"},
                      EscapeCase{std::string("\0", 1), "&#x0;"},
                      EscapeCase{"caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80"},
                      EscapeCase{"]]>", "]]&gt;"}));

TEST(XmlWriterTest, BuildsDocument) {
  XmlWriter w;
  w.open("ListBucketResult", kS3Namespace);
  w.element("Name", "b&b");
  w.element("MaxKeys", std::int64_t{1000});
  w.element("Size", std::int64_t{-1});
  w.element_bool("IsTruncated", false);
  w.element_bool("Flag", true);
  w.raw("<Raw/>");
  w.close("ListBucketResult");
  EXPECT_EQ(w.take(), std::string(kDecl) +
                          R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
                          "<Name>b&amp;b</Name><MaxKeys>1000</MaxKeys><Size>-1</Size>"
                          "<IsTruncated>false</IsTruncated><Flag>true</Flag><Raw/>"
                          "</ListBucketResult>");
}

TEST(XmlWriterTest, WriterOutputParsesBack) {
  // What we write for CreateBucketConfiguration (e.g. when forwarding) reads back the same.
  XmlWriter w;
  w.open("CreateBucketConfiguration", kS3Namespace);
  w.element("LocationConstraint", "fi<&>\"'");
  w.close("CreateBucketConfiguration");
  const auto result = parse_create_bucket_configuration(w.take());
  ASSERT_TRUE(std::holds_alternative<CreateBucketConfiguration>(result));
  EXPECT_EQ(std::get<CreateBucketConfiguration>(result).location_constraint, "fi<&>\"'");
}

// error_xml

TEST(ErrorXmlTest, DefaultMessageAndResource) {
  const S3Error err(ErrorCode::kNoSuchKey);
  EXPECT_EQ(error_xml(err, "/bucket/key", "req-1"),
            std::string(kDecl) +
                "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist."
                "</Message><Resource>/bucket/key</Resource><RequestId>req-1</RequestId></Error>");
}

TEST(ErrorXmlTest, CustomMessageResourceAndExtra) {
  S3Error err(ErrorCode::kInvalidBucketName, "bucket name must not contain two adjacent dots");
  err.resource = "/a..b";
  err.extra_xml = "<BucketName>a..b</BucketName>";
  EXPECT_EQ(error_xml(err, "/ignored", "id"),
            std::string(kDecl) +
                "<Error><Code>InvalidBucketName</Code>"
                "<Message>bucket name must not contain two adjacent dots</Message>"
                "<Resource>/a..b</Resource><RequestId>id</RequestId>"
                "<BucketName>a..b</BucketName></Error>");
  EXPECT_EQ(err.http_status(), 400);
}

TEST(ErrorXmlTest, EscapesEverything) {
  const S3Error err(ErrorCode::kInvalidArgument, "bad <value> & \"quote\"");
  const std::string xml = error_xml(err, "/b/k<&>\n", "r&");
  EXPECT_NE(xml.find("<Message>bad &lt;value&gt; &amp; &quot;quote&quot;</Message>"),
            std::string::npos);
  EXPECT_NE(xml.find("<Resource>/b/k&lt;&amp;&gt;&#xA;</Resource>"), std::string::npos);
  EXPECT_NE(xml.find("<RequestId>r&amp;</RequestId>"), std::string::npos);
}

TEST(ErrorXmlTest, StatusAndCodes) {
  EXPECT_EQ(S3Error(ErrorCode::kInvalidRange).http_status(), 416);
  EXPECT_EQ(S3Error(ErrorCode::kInvalidRange).aws_code(), "InvalidRange");
  EXPECT_EQ(S3Error(ErrorCode::kPreconditionFailed).http_status(), 412);
  EXPECT_EQ(S3Error(ErrorCode::kNotModified).http_status(), 304);
  EXPECT_EQ(S3Error(ErrorCode::kMalformedXML).aws_code(), "MalformedXML");
  EXPECT_EQ(S3Error(ErrorCode::kKeyTooLongError).aws_code(), "KeyTooLongError");
  EXPECT_EQ(S3Error(ErrorCode::kInvalidBucketName).http_status(), 400);
}

}  // namespace
}  // namespace s3gw::s3
