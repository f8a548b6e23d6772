// The SP-API operations Onramp calls, each with its token bucket as the
// SP-API models document it (rate per second, burst): the connector names
// the operation of every call so the connection's RateBudget keeps one
// bucket per operation, and the mock enforces the same buckets. Sources:
// docs/platforms/amazon_sp_api.md.
#pragma once

#include "edge/connectors/rate_budget.h"

namespace onramp::platforms::amazon_sp_api {

using connectors::OperationLimit;

inline constexpr OperationLimit kGetMarketplaceParticipations{"getMarketplaceParticipations", 0.016, 15};
inline constexpr OperationLimit kSearchListingsItems{"searchListingsItems", 5, 5};
inline constexpr OperationLimit kGetListingsItem{"getListingsItem", 5, 10};
inline constexpr OperationLimit kGetOrders{"getOrders", 0.0167, 20};
inline constexpr OperationLimit kGetOrder{"getOrder", 0.5, 30};
inline constexpr OperationLimit kGetOrderItems{"getOrderItems", 0.5, 30};

}  // namespace onramp::platforms::amazon_sp_api
