// Telegram bots as one module (edge/platforms/module.h): the connector
// (connector.cpp), the webhook scheme (webhook.cpp), the mock that stands
// in for the Bot API (mock.cpp) and the mock's demo bot. Wire facts and
// sources: docs/platforms/telegram.md.
//
// No hook API (Module::hooks): webhooks::HookApi describes platforms that
// list, create and update hook objects over REST, while a Telegram bot has
// one webhook set by setWebhook; the operator sets it (Scheme::manual_steps).
// The static demo does not show Telegram, so the demo bot's token lives
// here rather than in demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& telegram_platform();
}
namespace onramp::mock {
void add_telegram(http::Router& r, State& s);
}

namespace onramp::platforms::telegram {

// A made-up token in Telegram's shape ("<bot id>:<35 characters>"); only
// the mock accepts it.
const char* demo_bot_token() { return "7000000001:AAHdemoOnrampTelegramBot-token_0001"; }

const Module& module() {
    static const Module m{
        .id = "telegram",
        .connector = connectors::telegram_platform,
        .mock_routes = mock::add_telegram,
        .demo_credentials = [] { return nlohmann::json({{"bot_token", demo_bot_token()}}); },
        .mock_base_urls = {{"telegram", "/telegram"}},
    };
    return m;
}

}  // namespace onramp::platforms::telegram
