#pragma once
// A small RFC 4180 reader for configuration files: fields separated by ',', records by LF or
// CRLF; a field in double quotes may hold ',', '"' (written "") and line breaks. Two
// conveniences for hand-edited files: a record that starts with '#' is a comment and blank
// lines are skipped; blanks around an unquoted field are trimmed (inside quotes they stay).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "placement/placement_result.h"

namespace s3gw::placement {

struct CsvRecord {
  std::size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  // Errors (kInvalidConfig): a quote inside an unquoted field, text after a closing quote, an
  // unterminated quoted field; the message names the line.
  static PlacementResult<std::vector<CsvRecord>> parse(std::string_view text);
};

}  // namespace s3gw::placement
