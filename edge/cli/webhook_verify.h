// `onramp-edge webhook-verify`: checks one captured delivery with the same
// verifier the server runs (edge/webhooks/verify.h), for troubleshooting a
// connection whose deliveries are rejected.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "edge/cli/commands.h"

namespace onramp::cli {

// Reads the body from --body-file or stdin; prints "valid" (exit 0), or
// "invalid: <reason>" (exit 1); usage errors go to stderr (exit 2).
int webhook_verify(const Args& args);

// The same with its streams and clock supplied: `in` is read when there is
// no --body-file, `now_unix` is used when there is no --now.
int webhook_verify(const Args& args, std::istream& in, std::ostream& out, std::ostream& err,
                   int64_t now_unix);

}  // namespace onramp::cli
