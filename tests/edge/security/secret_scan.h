// The secrets a test sent to or received from the edge, and a byte-wise
// search for them in files and logs: the tool of the whole-API secrets scan
// (secrets_scan_test.cpp).
//
// A secret is looked for as it was sent and in the encodings a careless
// write would give it: base64 and base64url (at each of the three byte
// alignments, so that it is found inside a longer encoded text such as an
// HTTP Basic header), hex in both cases, and URL-encoded. A hit names the
// secret's kind, the encoding and the place, never the secret itself.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "edge/connectors/wire.h"
#include "edge/crypto/encoding.h"

namespace onramp::testing {

struct Secret {
    std::string kind;   // "refresh token", "webhook secret", ...
    std::string value;
};

struct SecretForm {
    std::string encoding;  // "as sent", "base64", ...
    std::string bytes;
};

// A shorter value could occur by chance in a large file.
inline constexpr size_t kMinSecretLength = 12;

// The middle of base64(pad + value) for pad = 0, 1, 2 bytes: the characters
// that depend on the value's bytes only, so that the value is found at
// any position within a longer encoded text.
inline std::vector<std::string> aligned_base64(const std::string& value, bool url) {
    std::vector<std::string> out;
    for (size_t pad = 0; pad < 3; ++pad) {
        std::string text = url ? crypto::base64url_encode(std::string(pad, '\0') + value)
                               : crypto::base64_encode(std::string(pad, '\0') + value);
        text.erase(std::find(text.begin(), text.end(), '='), text.end());
        size_t lead = pad == 0 ? 0 : pad + 1;  // characters holding pad bits
        size_t trail = (pad + value.size()) % 3 == 0 ? 0 : 1;  // the last, mixed with what follows
        if (text.size() > lead + trail) out.push_back(text.substr(lead, text.size() - lead - trail));
    }
    return out;
}

inline std::vector<SecretForm> forms_of(const std::string& value) {
    std::vector<SecretForm> forms = {{"as sent", value}};
    for (const std::string& b : aligned_base64(value, false)) forms.push_back({"base64", b});
    for (const std::string& b : aligned_base64(value, true))
        if (b.find_first_of("-_") != std::string::npos) forms.push_back({"base64url", b});
    std::string hex = crypto::hex_encode(value);
    forms.push_back({"hex", hex});
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    forms.push_back({"HEX", hex});
    std::string url = connectors::wire::url_encode(value);
    if (url != value) forms.push_back({"URL-encoded", url});
    return forms;
}

class SecretSet {
public:
    // Values shorter than kMinSecretLength are refused: the caller's test
    // would then prove nothing about them.
    bool add(const std::string& kind, const std::string& value) {
        if (value.size() < kMinSecretLength) return false;
        for (const Secret& s : secrets_)
            if (s.value == value) return true;
        secrets_.push_back({kind, value});
        return true;
    }
    const std::vector<Secret>& all() const { return secrets_; }

    // The kinds held, each once, in the order first added.
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const Secret& s : secrets_)
            if (std::find(out.begin(), out.end(), s.kind) == out.end()) out.push_back(s.kind);
        return out;
    }

    // `text` with every secret replaced by its kind, for failure messages.
    std::string redact(std::string text) const {
        for (const Secret& s : secrets_)
            for (size_t at = text.find(s.value); at != std::string::npos; at = text.find(s.value, at))
                text.replace(at, s.value.size(), "[" + s.kind + "]");
        return text;
    }

    // One line per secret found in `bytes` (a file's or a log's content),
    // naming where, the kind and the encoding; `allowed_kind` is a kind that
    // belongs in this place (the master key in its own file).
    std::vector<std::string> find_in(const std::string& where, const std::string& bytes,
                                     const std::string& allowed_kind = "") const {
        std::vector<std::string> hits;
        for (const Secret& s : secrets_) {
            if (s.kind == allowed_kind) continue;
            for (const SecretForm& f : forms_of(s.value)) {
                size_t at = bytes.find(f.bytes);
                if (at == std::string::npos) continue;
                hits.push_back(where + ": " + s.kind + " (" + f.encoding + ") at byte " + std::to_string(at));
                break;
            }
        }
        return hits;
    }

private:
    std::vector<Secret> secrets_;
};

}  // namespace onramp::testing
