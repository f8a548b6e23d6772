// Randomness from the OS CSPRNG (OpenSSL RAND_bytes). Every token, salt,
// nonce and id in Onramp comes from here.
#pragma once

#include <string>

namespace onramp::crypto {

std::string random_bytes(size_t n);  // aborts if the CSPRNG fails
// 256-bit token, base64url: what bearer tokens, refresh tokens, invitation
// and onboarding links are made of.
std::string random_token();
// "prefix_" + 16 random bytes in hex: ids that reveal neither order nor count.
std::string random_id(const std::string& prefix);
// "prefix_" + 16 bytes in hex, the first 7 the wall clock in microseconds
// and the other 9 random: ids made later sort later, and reveal only when
// they were made. For rows inserted at a high rate under a unique index on
// the id: a random id lands each insert on its own page of the index, and
// a group commit of N rows then writes N index pages instead of one or two.
std::string time_ordered_id(const std::string& prefix);

}  // namespace onramp::crypto
