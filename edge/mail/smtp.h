// Hands one rendered message to the SMTP server named by --smtp-url,
// through libcurl (smtp:// with STARTTLS when offered, required when
// credentials are sent; smtps:// is TLS from the start). One curl handle
// per message: nothing is kept between sends, so an idle edge holds no
// connection and no buffer for mail.
#pragma once

#include <string>

#include "edge/config.h"

namespace onramp::mail {

struct SendOutcome {
    bool ok = false;
    // The server refused for good (an SMTP 5yz reply, RFC 5321 §4.2.1):
    // retrying the same message would be refused again.
    bool permanent = false;
    std::string error;  // curl's account of what failed; never a credential
};

SendOutcome send_smtp(const Config& config, const std::string& to, const std::string& wire, long timeout_s);

}  // namespace onramp::mail
