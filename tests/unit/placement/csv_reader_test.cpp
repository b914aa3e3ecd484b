#include "placement/csv_reader.h"

#include <gtest/gtest.h>

namespace s3gw::placement {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvReader, ReadsRecordsWithLineNumbers) {
  const auto r = CsvReader::parse("a,b,c\n# comment, \"not parsed\n\n1, 2 ,3\r\nx,,\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ((*r)[0].line, 1u);
  EXPECT_EQ((*r)[1].fields, (Fields{"1", "2", "3"}));  // blanks around unquoted fields trimmed
  EXPECT_EQ((*r)[1].line, 4u);
  EXPECT_EQ((*r)[2].fields, (Fields{"x", "", ""}));
  EXPECT_EQ((*r)[2].line, 5u);
}

TEST(CsvReader, QuotedFields) {
  struct Case {
    std::string text;
    Fields fields;
  };
  const Case cases[] = {
      {R"("a,b",c)", {"a,b", "c"}},
      {R"("say ""hi""",x)", {"say \"hi\"", "x"}},
      {R"("",x)", {"", "x"}},
      {R"(" keep blanks ",x)", {" keep blanks ", "x"}},
      {"  \"q\"  ,x", {"q", "x"}},
      {"\"two\nlines\",x", {"two\nlines", "x"}},
      {"\"#not a comment\"", {"#not a comment"}},
      {"last,\"\"", {"last", ""}},
  };
  for (const Case& c : cases) {
    const auto r = CsvReader::parse(c.text);
    ASSERT_TRUE(r) << c.text << ": " << r.error().message;
    ASSERT_EQ(r->size(), 1u) << c.text;
    EXPECT_EQ(r->front().fields, c.fields) << c.text;
  }
}

TEST(CsvReader, LineNumbersCountLineBreaksInsideQuotes) {
  const auto r = CsvReader::parse("\"a\nb\",c\nd\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].line, 3u);
}

TEST(CsvReader, Refusals) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"a,b\n\"open,c\n", "line 2: quoted field is not closed"},
      {"a,\"x\"y\n", "line 1: unexpected text after a closing quote"},
      {"a\nb\"c\n", "line 2: a quote inside an unquoted field"},
  };
  for (const Case& c : cases) {
    const auto r = CsvReader::parse(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, PlacementErrc::kInvalidConfig);
    EXPECT_EQ(r.error().message.rfind(c.message, 0), 0u) << r.error().message;
  }
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  const auto r = CsvReader::parse("# only a comment\n\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace s3gw::placement
