#include "placement/csv_reader.h"

#include "util/strings.h"

namespace s3gw::placement {

PlacementResult<std::vector<CsvRecord>> CsvReader::parse(std::string_view text) {
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  std::size_t line = 1;
  const auto fail = [&](std::size_t at_line, const std::string& why) {
    return PlacementError(PlacementErrc::kInvalidConfig,
                          "line " + std::to_string(at_line) + ": " + why);
  };
  while (i < text.size()) {
    // Start of a record: skip comments and blank lines.
    if (text[i] == '#' || text[i] == '\n' || text[i] == '\r') {
      const std::size_t nl = text.find('\n', i);
      i = nl == std::string_view::npos ? text.size() : nl + 1;
      ++line;
      continue;
    }
    CsvRecord record;
    record.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::size_t start = i;
      while (start < text.size() && util::is_ows(text[start])) ++start;
      std::string field;
      if (start < text.size() && text[start] == '"') {
        const std::size_t quote_line = line;
        i = start + 1;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            closed = true;
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (!closed) return fail(quote_line, "quoted field is not closed");
        while (i < text.size() && util::is_ows(text[i])) ++i;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return fail(line, "unexpected text after a closing quote");
        }
      } else {
        i = start;
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return fail(line,
                        "a quote inside an unquoted field (quote the whole field, "
                        "and write a quote as \"\")");
          }
          ++i;
        }
        field = std::string(util::trim_ows(text.substr(start, i - start)));
      }
      record.fields.push_back(std::move(field));
      if (i >= text.size()) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        end_of_record = true;
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace s3gw::placement
