// The synthetic data set: every field is a pure function of (seed, kind,
// index) through splitmix64, plus the few objects touch() has edited.
#include "demo/dataset.h"

#include <algorithm>

namespace onramp::demo {

namespace {

// splitmix64 (Steele, Lea, Flood 2014): a fast, well-mixed 64-bit hash.
uint64_t splitmix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const char* const kAdjectives[] = {"Classic", "Sturdy", "Everyday", "Vintage", "Organic", "Compact",
                                   "Deluxe", "Rugged", "Minimal", "Bright", "Cozy", "Nordic"};
const char* const kMaterials[] = {"Canvas", "Linen", "Oak", "Ceramic", "Wool", "Leather",
                                  "Bamboo", "Copper", "Cotton", "Glass"};
const char* const kNouns[] = {"Tote", "Mug", "Lamp", "Blanket", "Notebook", "Planter", "Backpack",
                              "Candle", "Chair", "Scarf", "Bottle", "Clock"};
const char* const kVendors[] = {"Northwind", "Acme Goods", "Bluebird Co", "Harbor & Pine", "Maple Works"};
const char* const kTypes[] = {"Home", "Accessories", "Office", "Outdoor"};
const char* const kFirst[] = {"Ava", "Liam", "Mia", "Noah", "Zoe", "Ethan", "Lena", "Omar", "Priya", "Jonas",
                              "Sofia", "Mateo", "Hana", "Kofi", "Elena", "Ravi"};
const char* const kLast[] = {"Garcia", "Smith", "Nguyen", "Okafor", "Muller", "Rossi", "Khan", "Silva",
                             "Kowalski", "Tanaka", "Brown", "Haddad"};
const char* const kCompanies[] = {"Riverside Dental", "Summit Roofing", "Bright Smiles", "Oak Street Law",
                                  "Blue Harbor HVAC", "Greenleaf Landscaping", nullptr, nullptr};
const char* const kCities[] = {"Austin", "Denver", "Portland", "Raleigh", "Tampa", "Columbus"};
const char* const kStates[] = {"TX", "CO", "OR", "NC", "FL", "OH"};
const char* const kSizes[] = {"Small", "Medium", "Large"};

// One product is named in Romanian, Greek, Cyrillic and Vietnamese (UTF-8):
// a client's store is not always in English, and its titles must survive the
// sync and be drawn whole by the client (tests/browser/fonts.mjs).
constexpr int64_t kWorldTitle = 1;
const char* const kWorldTitleText = "Cafea românească ș ț · Καφές · Кофе · Cà phê sữa đá";

template <class T, size_t N>
const T& pick(const T (&a)[N], uint64_t h) {
    return a[h % N];
}

std::string phone(uint64_t h) {
    // 555-01xx numbers are reserved for fiction in the North American plan.
    return "+1" + std::to_string(200 + h % 800) + "55501" + std::to_string(10 + (h >> 16) % 90);
}

}  // namespace

Dataset::Dataset(int64_t products, uint64_t seed)
    : products_(std::clamp<int64_t>(products, 1, kMaxProducts)), seed_(seed) {}

int64_t Dataset::count(Kind k) const {
    switch (k) {
    case Kind::product: return products_;
    case Kind::order: return std::max<int64_t>(1, products_ / 2);
    case Kind::call: return products_;
    case Kind::contact: return products_;
    }
    return 0;
}

uint64_t Dataset::mix(Kind k, int64_t i, uint64_t salt) const {
    return splitmix(seed_ ^ splitmix((uint64_t(k) << 56) ^ uint64_t(i) ^ (salt << 40)));
}

int64_t Dataset::created_at(Kind k, int64_t i) const {
    // Spread over 2025 so that windows select a predictable share.
    return kEpoch + int64_t(mix(k, i, 1) % (300 * 86400));
}

int64_t Dataset::updated_at(Kind k, int64_t i) const {
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = touched_.find({int(k), i});
        if (it != touched_.end()) return it->second;
    }
    return created_at(k, i) + int64_t(mix(k, i, 2) % (60 * 86400));
}

void Dataset::touch(Kind k, int64_t i, int64_t when) {
    std::lock_guard<std::mutex> lock(mu_);
    touched_[{int(k), i}] = when;
}

Product Dataset::product(int64_t i) const {
    Product p;
    p.index = i;
    uint64_t h = mix(Kind::product, i, 0);
    p.title = i == kWorldTitle ? std::string(kWorldTitleText)
                               : std::string(pick(kAdjectives, h)) + " " + pick(kMaterials, h >> 8) + " " + pick(kNouns, h >> 16);
    p.sku = "ONR-" + std::to_string(100000 + i);
    p.vendor = pick(kVendors, h >> 24);
    p.product_type = pick(kTypes, h >> 28);
    p.description = "<p>A " + p.title + " from " + p.vendor + ".</p>";
    p.active = (h >> 32) % 10 != 0;  // one in ten is a draft
    int64_t base = 500 + int64_t((h >> 36) % 9500);  // $5.00 .. $99.99
    p.created_at = created_at(Kind::product, i);
    p.updated_at = updated_at(Kind::product, i);
    for (int k = 0; k < kVariantsPerProduct; ++k) {
        Variant v;
        v.k = k;
        v.sku = p.sku + "-" + std::string(1, "SML"[k]);
        v.option_name = "Size";
        v.option_value = kSizes[k];
        v.price_cents = base + k * 250;
        v.inventory = int(mix(Kind::product, i, 10 + uint64_t(k)) % 120);
        p.variants.push_back(v);
    }
    p.price_cents = p.variants[0].price_cents;
    return p;
}

Order Dataset::order(int64_t i) const {
    Order o;
    o.index = i;
    uint64_t h = mix(Kind::order, i, 0);
    Contact c = contact(int64_t(h % uint64_t(count(Kind::contact))));
    o.email = c.email;
    static const char* const kStatus[] = {"paid", "paid", "paid", "pending", "refunded"};
    o.status = pick(kStatus, h >> 8);
    int lines = 1 + int((h >> 12) % 3);
    for (int l = 0; l < lines; ++l) {
        uint64_t lh = mix(Kind::order, i, 20 + uint64_t(l));
        OrderLine line;
        line.product = int64_t(lh % uint64_t(products_));
        line.variant = int((lh >> 20) % kVariantsPerProduct);
        line.quantity = 1 + int((lh >> 24) % 3);
        line.price_cents = product(line.product).variants[size_t(line.variant)].price_cents;
        o.total_cents += line.price_cents * line.quantity;
        o.lines.push_back(line);
    }
    o.created_at = created_at(Kind::order, i);
    o.updated_at = updated_at(Kind::order, i);
    return o;
}

Call Dataset::call(int64_t i) const {
    Call c;
    c.index = i;
    uint64_t h = mix(Kind::call, i, 0);
    c.inbound = h % 4 != 0;
    std::string customer = phone(h >> 8);
    std::string business = "+15125550100";
    c.from = c.inbound ? customer : business;
    c.to = c.inbound ? business : customer;
    static const char* const kStatus[] = {"completed", "completed", "completed", "no-answer", "busy"};
    c.status = pick(kStatus, h >> 24);
    c.duration = c.status == "completed" ? 20 + int((h >> 32) % 900) : 0;
    c.started_at = created_at(Kind::call, i);
    c.updated_at = updated_at(Kind::call, i);
    c.customer_name = std::string(pick(kFirst, h >> 40)) + " " + pick(kLast, h >> 44);
    size_t city = (h >> 48) % 6;
    c.city = kCities[city];
    c.state = kStates[city];
    return c;
}

Contact Dataset::contact(int64_t i) const {
    Contact c;
    c.index = i;
    uint64_t h = mix(Kind::contact, i, 0);
    std::string first = pick(kFirst, h), last = pick(kLast, h >> 8);
    c.name = first + " " + last;
    std::string local = first + "." + last + std::to_string(i);
    for (char& ch : local) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    c.email = local + "@example.com";
    c.phone = phone(h >> 16);
    const char* company = pick(kCompanies, h >> 32);
    c.company = company ? company : "";
    c.created_at = created_at(Kind::contact, i);
    c.updated_at = updated_at(Kind::contact, i);
    return c;
}

}  // namespace onramp::demo
