// Tests that need an outside tool (moto_server, python3 with botocore): skipped on a machine
// without it, but failed when CI is set, so that CI cannot pass without running them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace s3gw_test {

// CI=true (any value but "", 0, false, no), as tests/integration/harness.py reads it.
inline bool in_ci() {
  const char* v = std::getenv("CI");
  if (v == nullptr) return false;
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !(s.empty() || s == "0" || s == "false" || s == "no");
}

}  // namespace s3gw_test

// In a function returning void (a test body, SetUp): when `available` is false, fails (CI) or
// skips the test, with `what` (what is missing and how to install it) as the message.
#define S3GW_REQUIRE_TOOL(available, what)                                           \
  do {                                                                               \
    if (!(available)) {                                                              \
      if (::s3gw_test::in_ci()) {                                                    \
        FAIL() << what << " (CI is set: the tests that need it must run, not skip)"; \
      }                                                                              \
      GTEST_SKIP() << what << " (with CI=true this is a failure)";                   \
    }                                                                                \
  } while (false)
