// The demo's synthetic data, shared by the mock platform server (edge/mock)
// and the browser's static demo (web/static_demo), so both show the same
// store; standard library only, no I/O. The mock platforms' synthetic data: products with three variants each,
// orders, calls and contacts, all computed from (seed, index) so that the
// same seed gives the same store on every run and every machine, and
// 100,000 products cost no memory until a page of them is asked for. One
// product's title mixes scripts (Romanian, Greek, Cyrillic, Vietnamese).
//
// Every platform mock renders the same objects in its own wire format and
// with its own id scheme (BigCommerce 1.., Shopify 7000000000.., Twilio
// CA…), so a sync from any platform sees the same catalogue.
//
// Timestamps are fixed offsets from 2025-01-01T00:00:00Z, not the clock:
// incremental windows select the same objects on every run. touch() moves
// one object's updated-at forward (a platform-side edit, for webhook and
// incremental-sync tests).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace onramp::demo {

inline constexpr int kVariantsPerProduct = 3;
inline constexpr int64_t kMaxProducts = 100000;
inline constexpr int64_t kEpoch = 1735689600;  // 2025-01-01T00:00:00Z

struct Variant {
    int k = 0;                 // 0..2 within its product
    std::string sku;
    std::string option_name;   // "Size"
    std::string option_value;  // "Small"
    int64_t price_cents = 0;
    int inventory = 0;
};

struct Product {
    int64_t index = 0;
    std::string title, sku, description, vendor, product_type;
    bool active = true;
    int64_t price_cents = 0;   // the first variant's price
    int64_t created_at = 0, updated_at = 0;  // Unix seconds
    std::vector<Variant> variants;
};

struct OrderLine {
    int64_t product = 0;  // product index
    int variant = 0;      // k
    int quantity = 0;
    int64_t price_cents = 0;
};

struct Order {
    int64_t index = 0;
    std::string email, status;  // status: "paid", "refunded", "pending"
    int64_t total_cents = 0;
    int64_t created_at = 0, updated_at = 0;
    std::vector<OrderLine> lines;
};

struct Call {
    int64_t index = 0;
    bool inbound = true;
    std::string from, to;       // E.164
    std::string status;         // "completed", "no-answer", "busy"
    int duration = 0;           // seconds; 0 unless completed
    int64_t started_at = 0, updated_at = 0;
    std::string customer_name, city, state;
};

struct Contact {
    int64_t index = 0;
    std::string name, email, phone, company;
    int64_t created_at = 0, updated_at = 0;
};

enum class Kind { product, order, call, contact };

class Dataset {
public:
    // `products` is clamped to 1..kMaxProducts; orders are half as many,
    // calls and contacts as many as products.
    Dataset(int64_t products, uint64_t seed);

    int64_t count(Kind k) const;
    uint64_t seed() const { return seed_; }

    Product product(int64_t i) const;
    Order order(int64_t i) const;
    Call call(int64_t i) const;
    Contact contact(int64_t i) const;
    // Just the change time, for window filters over many objects.
    int64_t updated_at(Kind k, int64_t i) const;

    // A platform-side edit: the object's updated-at becomes `when`.
    void touch(Kind k, int64_t i, int64_t when);

private:
    uint64_t mix(Kind k, int64_t i, uint64_t salt) const;
    int64_t created_at(Kind k, int64_t i) const;

    int64_t products_;
    uint64_t seed_;
    mutable std::mutex mu_;
    std::map<std::pair<int, int64_t>, int64_t> touched_;  // (kind, index) -> updated_at
};

}  // namespace onramp::demo
