#include "s3/xml_writer.h"

#include <cstdio>

namespace s3gw::s3 {

void XmlWriter::open(std::string_view name, std::string_view ns) {
  out_ += '<';
  out_ += name;
  if (!ns.empty()) {
    out_ += R"( xmlns=")";
    out_ += ns;
    out_ += '"';
  }
  out_ += '>';
}

void XmlWriter::close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void XmlWriter::element(std::string_view name, std::string_view text) {
  open(name);
  append_xml_escaped(out_, text);
  close(name);
}

void XmlWriter::element(std::string_view name, std::int64_t value) {
  element(name, std::to_string(value));
}

void XmlWriter::element_bool(std::string_view name, bool value) {
  element(name, value ? std::string_view("true") : std::string_view("false"));
}

void append_xml_escaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t') {
          // Keys may hold control characters; emit them as character references so the
          // document stays parseable (\n and \r would otherwise be normalized away).
          char buf[8];
          std::snprintf(buf, sizeof buf, "&#x%X;", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_xml_escaped(out, text);
  return out;
}

}  // namespace s3gw::s3
