// Permission matching (auth/permissions.h) on long texts: a pathological glob, many stars
// against a key that almost matches, next to a one-star pattern over the same keys. Prints ns
// per match, the pathological/plain ratio and the growth per 10x longer key (10 for linear
// time, 100 for quadratic); asserts no speed. Exits 1 only when an answer is wrong.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "auth/permissions.h"

namespace {

using s3gw::auth::Permissions;
using Clock = std::chrono::steady_clock;

Permissions parse(std::string_view text) {
  auto parsed = Permissions::parse(text);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    std::fprintf(stderr, "permissions_bench: %s\n", why->c_str());
    std::exit(2);
  }
  return std::get<Permissions>(std::move(parsed));
}

bool failed = false;

// Mean ns of one allows() call, repeated for at least `seconds`; checks the answer each time.
double ns_per_match(const Permissions& p, const std::string& key, bool expected, double seconds) {
  const auto budget = std::chrono::duration<double>(seconds);
  long calls = 0;
  const auto start = Clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < 4; ++i) {
      if (p.allows("s3:GetObject", "b", key) != expected) failed = true;
    }
    calls += 4;
    elapsed = Clock::now() - start;
  } while (elapsed < budget);
  return elapsed.count() * 1e9 / static_cast<double>(calls);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  const Permissions plain = parse(R"({"s3:GetObject": ["b/*b"]})");
  const Permissions pathological = parse(R"({"s3:GetObject": ["b/*a*a*a*a*a*a*a*b"]})");

  std::printf("permission match, bucket-and-key pattern, %.1f s per figure\n", seconds);
  std::printf("%10s %14s %14s %8s %10s %10s\n", "key bytes", "plain ns", "patho ns", "ratio",
              "plain x10", "patho x10");
  double last_plain = 0;
  double last_patho = 0;
  for (std::size_t n = 1000; n <= 1000000; n *= 10) {
    const std::string miss(n, 'a');  // no final 'b': both patterns must scan all of it
    const double t_plain = ns_per_match(plain, miss, false, seconds);
    const double t_patho = ns_per_match(pathological, miss, false, seconds);
    std::printf("%10zu %14.0f %14.0f %8.2f", n, t_plain, t_patho, t_patho / t_plain);
    if (last_plain > 0) {
      std::printf(" %10.1f %10.1f\n", t_plain / last_plain, t_patho / last_patho);
    } else {
      std::printf(" %10s %10s\n", "-", "-");
    }
    last_plain = t_plain;
    last_patho = t_patho;
    // The matching key is answered too (and right).
    ns_per_match(pathological, miss + "b", true, seconds / 10);
  }
  if (failed) {
    std::fprintf(stderr, "permissions_bench: a match gave the wrong answer\n");
    return 1;
  }
  return 0;
}
