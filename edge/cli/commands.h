// The subcommands of onramp-edge. Each takes the arguments after its name
// and returns the process exit code: 0 success, 1 failure, 2 usage error.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace onramp::cli {

using Args = std::vector<std::string>;

int dispatch(int argc, char** argv);

int serve(const Args& args);
int create_admin(const Args& args);
// Prints a one-time password-reset link for an account (no e-mail needed).
int reset_password(const Args& args);
// One archive of the data directory (edge/backup/archive.h); restore
// unpacks one into a new data directory after checking it.
int backup(const Args& args);
int restore(const Args& args);
// Moves the credential vault to a new master key (see edge/vault.h).
int rotate_key(const Args& args);
// Checks one captured webhook delivery with the server's verifier. Reads
// the body from --body-file or stdin; prints "valid" (exit 0) or
// "invalid: <reason>" (exit 1).
int webhook_verify(const Args& args);
// The same with its streams and clock supplied (tests): `in` is read when
// there is no --body-file, `now_unix` is used when there is no --now.
int webhook_verify(const Args& args, std::istream& in, std::ostream& out, std::ostream& err,
                   int64_t now_unix);
// The mock platform server as a process: demos, manual tests, benchmarks.
int mock_platforms(const Args& args);

}  // namespace onramp::cli
