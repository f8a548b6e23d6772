// SMTP through libcurl (smtp.h).
#include "edge/mail/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "edge/mail/message.h"

namespace onramp::mail {

namespace {

struct Reader {
    const std::string* data;
    size_t offset = 0;
};

size_t read_body(char* buffer, size_t size, size_t count, void* user) {
    Reader* r = static_cast<Reader*>(user);
    size_t n = std::min(size * count, r->data->size() - r->offset);
    std::memcpy(buffer, r->data->data() + r->offset, n);
    r->offset += n;
    return n;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SendOutcome send_smtp(const Config& config, const std::string& to, const std::string& wire, long timeout_s) {
    // curl_global_init before the first handle, once per process.
    static std::once_flag curl_ready;
    std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    SendOutcome out;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        out.error = "cannot start an SMTP session (curl_easy_init)";
        return out;
    }
    std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
    std::string from = "<" + address_of(config.mail_from) + ">";
    Reader reader{&wire};
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, config.smtp_url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(c, CURLOPT_READDATA, &reader);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker thread: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_s, 30L));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    if (!config.smtp_user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, config.smtp_user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, config.smtp_password.c_str());
        // Security: a password is never sent in the clear. smtp:// must
        // upgrade with STARTTLS, so a server (or a man in the middle) that
        // does not offer it gets no credentials.
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    } else {
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_TRY));
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        out.ok = true;
        return out;
    }
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    out.permanent = reply >= 500 && reply < 600;
    out.error = error[0] ? std::string(error) : std::string(curl_easy_strerror(rc));
    if (reply) out.error += " (SMTP " + std::to_string(reply) + ")";
    return out;
}

}  // namespace onramp::mail
