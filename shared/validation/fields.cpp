// Fields (shared/validation/fields.h): typed reads of a parsed body.
#include "shared/validation/fields.h"

namespace onramp {

std::string trim(std::string s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool looks_like_email(const std::string& s) {
    size_t at = s.find('@');
    if (at == std::string::npos || at == 0 || at != s.rfind('@')) return false;
    size_t dot = s.find('.', at);
    if (dot == std::string::npos || dot == at + 1 || dot + 1 >= s.size()) return false;
    for (char c : s)
        if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20) return false;
    return s.size() <= 254;
}

void Fields::fail(const std::string& name, validation::Message message) {
    if (errors_.emplace(name, validation::render(message)).second) coded_.emplace(name, std::move(message));
}

Problem Fields::problem() const {
    // Coded messages carry their codes; a handler's own English ones (fail
    // with a string) only their text, as before.
    Problem p = validation::invalid_fields(coded_);
    p.errors = errors_;
    return p;
}

const nlohmann::json* Fields::get(const std::string& name) const {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) return nullptr;
    return &*it;
}

std::string Fields::text(const std::string& name, size_t max_len) {
    auto v = opt_text(name, max_len);
    if (!v && !errors_.count(name)) fail(name, validation::Message{"required", {}});
    return v.value_or("");
}

std::optional<std::string> Fields::opt_text(const std::string& name, size_t max_len) {
    const nlohmann::json* v = get(name);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        fail(name, validation::Message{"not_string", {}});
        return std::nullopt;
    }
    std::string s = trim(v->get<std::string>());
    if (s.empty()) {
        fail(name, validation::Message{"empty", {}});
        return std::nullopt;
    }
    if (s.size() > max_len) {
        fail(name, validation::Message{"max_chars", {{"max", std::to_string(max_len)}}});
        return std::nullopt;
    }
    return s;
}

std::optional<bool> Fields::opt_bool(const std::string& name) {
    const nlohmann::json* v = get(name);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        fail(name, validation::Message{"not_bool", {}});
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<int64_t> Fields::opt_int(const std::string& name, int64_t min, int64_t max) {
    const nlohmann::json* v = get(name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
        fail(name, validation::Message{"not_integer", {}});
        return std::nullopt;
    }
    int64_t n = v->get<int64_t>();
    if (n < min || n > max) {
        fail(name, validation::Message{"out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}}});
        return std::nullopt;
    }
    return n;
}

const nlohmann::json* Fields::opt_object(const std::string& name) {
    const nlohmann::json* v = get(name);
    if (!v) return nullptr;
    if (!v->is_object()) {
        fail(name, validation::Message{"not_object", {}});
        return nullptr;
    }
    return v;
}

std::string Fields::choice(const std::string& name, std::initializer_list<const char*> allowed) {
    auto v = opt_choice(name, allowed);
    if (!v && !errors_.count(name)) fail(name, validation::Message{"required", {}});
    return v.value_or("");
}

std::optional<std::string> Fields::opt_choice(const std::string& name, std::initializer_list<const char*> allowed) {
    auto v = opt_text(name, 100);
    if (!v) return std::nullopt;
    std::string list;
    for (const char* a : allowed) {
        if (*v == a) return v;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail(name, validation::Message{"not_choice", {{"values", list}}});
    return std::nullopt;
}

}  // namespace onramp
