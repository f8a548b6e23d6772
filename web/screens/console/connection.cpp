// One connection: its health and what an operator does with it (sync now,
// test again, replace the credentials, disconnect), then three tabs — sync
// history (a chart of items per run and the runs), the synced products
// (searched, sorted and paged by the server, so it works at 100,000
// products), webhooks (the secret and registration at the platform; the
// deliveries, dead letters replayed).
#include "screens/console/views.h"

#include <algorithm>

#include "i18n/i18n.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "shared/connectors/catalog.h"
#include "screens/console/widgets.h"
#include "screens/wizard/widgets.h"

static constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                               ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;

// --- sync history ------------------------------------------------------------

static ConsoleIntent draw_sync(const ConnectionState& s, const Ui& ui) {
    const auto& runs = s.runs;
    switch (panel_state(ui, "sync", runs.loading(), runs.loaded, runs.error, runs.value.empty(),
                        tr("No sync has run yet for this connection."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return {};
    case PanelShow::content: break;
    }
    // The chart reads left to right, oldest first; the reply is newest first.
    constexpr size_t kChartRuns = 20;
    std::vector<double> values;
    std::vector<StatusTone> tones;
    const size_t n = std::min(runs.value.size(), kChartRuns);
    for (size_t i = n; i-- > 0;) {
        values.push_back(double(runs.value[i].items));
        tones.push_back(status_tone(runs.value[i].state));
    }
    ui_muted_text(ui, tr("Items per run, oldest first"));
    bar_chart(ui, "sync.chart", values, tones, 7.0f);
    ui_vspace(ui, 0.5f);

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "sync", {{tr("Queued"), 1.4f}, {tr("State"), 1.0f}, {tr("Items"), 0.7f}, {tr("Kind"), 0.8f, false},
                                       {tr("Failed"), 0.6f, false}}))
        return {};
    for (size_t i = 0; i < runs.value.size(); ++i) {
        const SyncRunRow& r = runs.value[i];
        const std::string row = "sync.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.25f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(short_time(r.queued_at).c_str());
        ui_record(ui, row, "row", r.state + " " + std::to_string(r.items));
        ImGui::TableSetColumnIndex(1);
        status_pill(ui, row + ".state", state_word(r.state), status_tone(r.state));
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%lld", static_cast<long long>(r.items));
        if (!narrow) {
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(r.kind.c_str());
            ImGui::TableSetColumnIndex(4);
            ImGui::Text("%lld", static_cast<long long>(r.failed));
        }
    }
    ImGui::EndTable();
    return {};
}

// --- products ------------------------------------------------------------------

// The server's sort key of each column, in column order ("" = not sortable).
static const char* const kProductSort[] = {"title", "sku", "price", "", "updated_at"};

// The sort the table's headers ask for, or "" when unchanged.
static std::string requested_sort(const ConnectionState& s) {
    ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
    if (!specs || !specs->SpecsDirty) return {};
    specs->SpecsDirty = false;
    if (specs->SpecsCount < 1) return {};
    const ImGuiTableColumnSortSpecs& c = specs->Specs[0];
    if (c.ColumnIndex < 0 || c.ColumnIndex >= 5 || !*kProductSort[c.ColumnIndex]) return {};
    std::string sort = std::string(c.SortDirection == ImGuiSortDirection_Descending ? "-" : "") +
                       kProductSort[c.ColumnIndex];
    return sort == s.sort ? std::string() : sort;
}

// Previous and next under the table, with where the page is.
static ConsoleIntent draw_pager(const ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent;
    const ProductPage& p = s.products.value;
    const int64_t per = std::max<int64_t>(p.per_page, 1);
    const int64_t pages = std::max<int64_t>(1, (p.total + per - 1) / per);
    if (pages <= 1) return intent;
    ui_vspace(ui, 0.25f);
    const bool busy = s.products.loading();
    if (busy || p.page <= 1) ImGui::BeginDisabled();
    if (plain_button(ui, "products.prev", tr("\xE2\x86\x90 Previous")))
        intent = {ConsoleIntent::products_page, std::to_string(p.page - 1)};
    if (busy || p.page <= 1) ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    const std::string where =
        trf("Page {page} of {pages}", {{"page", std::to_string(p.page)}, {"pages", std::to_string(pages)}});
    ImGui::TextUnformatted(where.c_str());
    ui_record(ui, "products.page", "text", where);
    ImGui::SameLine();
    if (busy || p.page >= pages) ImGui::BeginDisabled();
    if (plain_button(ui, "products.next", tr("Next \xE2\x86\x92")))
        intent = {ConsoleIntent::products_page, std::to_string(p.page + 1)};
    if (busy || p.page >= pages) ImGui::EndDisabled();
    return intent;
}

// Which synced records the table shows: the kinds the connection's platform
// syncs (record_resources).
static ConsoleIntent draw_resources(const ConnectionState& s, const Ui& ui) {
    static const char* const kLabels[][2] = {
        {"products", tr_noop("Products")}, {"orders", tr_noop("Orders")},     {"contacts", tr_noop("Contacts")},
        {"calls", tr_noop("Calls")},       {"payments", tr_noop("Payments")}, {"refunds", tr_noop("Refunds")}};
    ConsoleIntent intent;
    const std::vector<std::string> resources = record_resources(s.connection.platform);
    for (size_t i = 0; i < resources.size(); ++i) {
        if (i) ImGui::SameLine(0, 0.25f * ui.em);
        const char* label = resources[i].c_str();
        for (const auto& l : kLabels)
            if (resources[i] == l[0]) label = tr_text(l[1]);
        const std::string id = "records." + resources[i];
        if (tab_button(ui, id.c_str(), label, s.resource == resources[i]))
            intent = {ConsoleIntent::products_resource, resources[i]};
    }
    return intent;
}

// Payments and refunds: what each is (a payment's description, the payment
// a refund returns), its amount in its currency, its state, a fifth fact
// (refunded so far, or why) and when it was made. The same five columns as
// products, so the header's sort keys line up (kProductSort: the first
// column sorts by the record's title, the last by its time).
static void draw_money_columns(const ConnectionState& s, const Ui& ui, ImGuiTableColumnFlags stretch, bool narrow) {
    const bool payments = s.resource == "payments";
    ImGui::TableSetupColumn(payments ? tr("Description") : tr("Payment"), stretch | ImGuiTableColumnFlags_DefaultSort,
                            narrow ? 14.0f * ui.em : 2.0f);
    ImGui::TableSetupColumn(tr("Amount"), stretch | ImGuiTableColumnFlags_NoSort, narrow ? 7.0f * ui.em : 1.0f);
    ImGui::TableSetupColumn(tr("Status"), stretch | ImGuiTableColumnFlags_NoSort, narrow ? 8.0f * ui.em : 1.0f);
    ImGui::TableSetupColumn(payments ? tr("Refunded") : tr("Reason"), stretch | ImGuiTableColumnFlags_NoSort,
                            narrow ? 7.0f * ui.em : 1.0f);
    ImGui::TableSetupColumn(tr("Created"), stretch, narrow ? 9.0f * ui.em : 1.2f);
}

static void draw_money_row(const ConnectionState& s, const Ui& ui, const ProductRow& p, size_t i) {
    const bool payments = s.resource == "payments";
    const char* dash = "\xE2\x80\x94";
    ImGui::TableSetColumnIndex(0);
    ImGui::AlignTextToFramePadding();
    const std::string what = payments ? (p.description.empty() ? p.id : p.description)
                                      : (p.payment_id.empty() ? p.id : p.payment_id);
    ImGui::TextUnformatted(what.c_str());
    const std::string amount = p.amount < 0 ? dash : minor_amount(p.amount, p.currency);
    ui_record(ui, "products.row." + std::to_string(i), "row", what + " " + amount);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(amount.c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(p.status.empty() ? dash : state_word(p.status).c_str());
    ImGui::TableSetColumnIndex(3);
    if (payments) ImGui::TextUnformatted(p.refunded <= 0 ? dash : minor_amount(p.refunded, p.currency).c_str());
    else ImGui::TextUnformatted(p.reason.empty() ? dash : state_word(p.reason).c_str());
    ImGui::TableSetColumnIndex(4);
    ImGui::TextUnformatted(short_time(p.created_at.empty() ? p.updated_at : p.created_at).c_str());
}

static ConsoleIntent draw_products(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent = draw_resources(s, ui);
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 24.0f * ui.em));
    const std::string before = s.search;
    if (ImGui::InputTextWithHint("##search", tr("Search titles and SKUs"), &s.search,
                                 ImGuiInputTextFlags_EnterReturnsTrue))
        intent = {ConsoleIntent::search_products, ""};
    ui_record(ui, "products.search", "input", s.search, tr("Search titles and SKUs"));
    if (s.search != before) s.search_typed_at = ImGui::GetTime();

    const auto& products = s.products;
    if (products.loaded) {
        const auto shown = products.value.rows.size();
        if (!narrow_layout(ui)) {
            ImGui::SameLine();
            ImGui::AlignTextToFramePadding();
        }
        const int64_t first = (products.value.page - 1) * products.value.per_page;
        const TrArgs n = {{"first", std::to_string(first + 1)}, {"last", std::to_string(first + int64_t(shown))},
                          {"total", std::to_string(products.value.total)}};
        std::string count = shown == 0 ? trf("Showing 0 of {total}", n) : trf("Showing {first}\xE2\x80\x93{last} of {total}", n);
        ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
        ImGui::TextUnformatted(count.c_str());
        ImGui::PopStyleColor();
        ui_record(ui, "products.count", "text", count);
    }
    const char* empty = !s.searched.empty() ? tr("Nothing matches this search.")
                        : s.resource == "products" ? tr("No products synced from this connection yet.")
                                                   : tr("None synced from this connection yet.");
    switch (panel_state(ui, "products", products.loading(), products.loaded, products.error,
                        products.value.rows.empty(), empty)) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }

    const bool narrow = narrow_layout(ui);
    // On a phone the table scrolls sideways rather than squeezing columns.
    ImGuiTableFlags flags = kTableFlags | ImGuiTableFlags_Sortable;
    if (narrow) flags = (flags & ~ImGuiTableFlags_SizingStretchProp) | ImGuiTableFlags_ScrollX |
                        ImGuiTableFlags_SizingFixedFit;
    // Tall enough for every row, so only the page scrolls vertically.
    const float row_h = 2.25f * ui.em + 2.0f * ImGui::GetStyle().CellPadding.y;
    const float rows_h = float(products.value.rows.size() + 1) * row_h + 2.0f * ui.em;
    if (!ImGui::BeginTable("##products", 5, flags, ImVec2(0, narrow ? rows_h : 0))) return intent;
    const ImGuiTableColumnFlags stretch = narrow ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch;
    const bool money = s.resource == "payments" || s.resource == "refunds";
    if (money) {
        draw_money_columns(s, ui, stretch, narrow);
    } else {
        ImGui::TableSetupColumn(tr("Title"), stretch | ImGuiTableColumnFlags_DefaultSort, narrow ? 14.0f * ui.em : 2.4f);
        ImGui::TableSetupColumn(tr("SKU"), stretch, narrow ? 8.0f * ui.em : 1.1f);
        // Only products sort by price (the records route has no such key).
        ImGui::TableSetupColumn(tr("Price"), stretch | (s.resource == "products" ? 0 : ImGuiTableColumnFlags_NoSort),
                                narrow ? 5.0f * ui.em : 0.7f);
        ImGui::TableSetupColumn(tr("Stock"), stretch | ImGuiTableColumnFlags_NoSort, narrow ? 4.0f * ui.em : 0.6f);
        ImGui::TableSetupColumn(tr("Updated"), stretch, narrow ? 9.0f * ui.em : 1.2f);
    }
    ImGui::TableSetupScrollFreeze(1, 1);
    std::string sort = requested_sort(s);
    if (!sort.empty()) intent = {ConsoleIntent::sort_products, sort};
    table_headers(ui, "products");
    for (size_t i = 0; i < products.value.rows.size(); ++i) {
        const ProductRow& p = products.value.rows[i];
        ImGui::TableNextRow(0, 2.25f * ui.em);
        if (money) {
            draw_money_row(s, ui, p, i);
            continue;
        }
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(p.title.c_str());
        ui_record(ui, "products.row." + std::to_string(i), "row", p.title);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(p.sku.c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(p.price.empty() ? "\xE2\x80\x94" : (p.price + (p.currency.empty() ? "" : " " + p.currency)).c_str());
        ImGui::TableSetColumnIndex(3);
        if (p.inventory >= 0) ImGui::Text("%lld", static_cast<long long>(p.inventory));
        else ImGui::TextUnformatted("\xE2\x80\x94");
        ImGui::TableSetColumnIndex(4);
        ImGui::TextUnformatted(short_time(p.updated_at).c_str());
    }
    ImGui::EndTable();
    ConsoleIntent page = draw_pager(s, ui);
    return page.kind != ConsoleIntent::none ? page : intent;
}

// --- webhook deliveries ----------------------------------------------------------

// The operator's part of webhooks: the signing secret (typed, or generated
// by the edge where the platform takes one) and registration at the platform.
static ConsoleIntent draw_webhook_setup(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent;
    ui_heading(ui, tr("Setup"));
    const bool busy = s.action.busy();
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 24.0f * ui.em));
    ImGui::InputTextWithHint("##webhook_secret", tr("The platform's signing secret (empty: generate one)"),
                             &s.webhook_secret, ImGuiInputTextFlags_Password);
    ui_record(ui, "webhooks.secret", "input", s.webhook_secret,
              tr("The platform's signing secret (empty: generate one)"));
    if (ui.log) ui.log->items.back().keyboard = Keyboard::secret;
    same_line_if_fits(tr("Set secret"));
    if (busy) ImGui::BeginDisabled();
    if (plain_button(ui, "webhooks.set_secret", tr("Set secret"))) intent = {ConsoleIntent::set_webhook_secret, ""};
    same_line_if_fits(tr("Register at the platform"));
    if (plain_button(ui, "webhooks.register", tr("Register at the platform"))) intent = {ConsoleIntent::register_webhooks, ""};
    if (busy) ImGui::EndDisabled();
    ui_vspace(ui, 0.5f);
    ui_heading(ui, tr("Deliveries"));
    return intent;
}

static ConsoleIntent draw_deliveries(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent = draw_webhook_setup(s, ui);
    const auto& deliveries = s.deliveries;
    if (!s.replay_message.empty()) ui_muted_text(ui, s.replay_message.c_str());
    switch (panel_state(ui, "deliveries", deliveries.loading(), deliveries.loaded, deliveries.error,
                        deliveries.value.empty(), tr("No webhook deliveries received for this connection yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "deliveries", {{tr("Received"), 1.2f}, {tr("State"), 0.9f}, {tr("Topic"), 1.3f, false},
                                             {tr("Attempts"), 0.6f, false}, {"##action", 0.8f}}))
        return intent;
    for (size_t i = 0; i < deliveries.value.size(); ++i) {
        const DeliveryRow& d = deliveries.value[i];
        const std::string row = "deliveries.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.25f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(d.id.c_str());
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(short_time(d.received_at).c_str());
        ui_record(ui, row, "row", d.topic + " " + d.state);
        if (!d.last_error.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.last_error.c_str());
        ImGui::TableSetColumnIndex(1);
        status_pill(ui, row + ".state", state_word(d.state), status_tone(d.state));
        int col = 2;
        if (!narrow) {
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(d.topic.c_str());
            ImGui::TableSetColumnIndex(col++);
            ImGui::Text("%lld", static_cast<long long>(d.attempts));
        }
        ImGui::TableSetColumnIndex(col);
        // Only dead letters wait for a person; the others retry by themselves.
        if (d.state == "dead") {
            if (s.replay.loading()) ImGui::BeginDisabled();
            if (plain_button(ui, (row + ".replay").c_str(), tr("Replay"))) intent = {ConsoleIntent::replay_delivery, d.id};
            if (s.replay.loading()) ImGui::EndDisabled();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}

// --- what an operator does with it ------------------------------------------------

// A credential's label as the wizard shows it: the catalog's, in the
// client's language, else made from its name.
static std::string credential_label(const std::string& platform, const std::string& field) {
    if (const onramp::connectors::Connector* c = onramp::connectors::find_connector(platform))
        for (const onramp::connectors::Field& f : c->fields)
            if (f.name == field) return tr_catalog(f.label);
    return step_label(field);
}

static ConsoleIntent draw_credentials_form(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent;
    if (!begin_form(ui, "##credentials", 30.0f)) return intent;
    wz_help(ui, tr("Enter every field. The new values are tested with the platform first; the stored ones stay "
                   "if the test fails."));
    for (const std::string& field : s.connection.credential_fields) {
        FieldOptions o;
        o.password = true;
        ui_text_field(ui, ("credentials." + field).c_str(), credential_label(s.connection.platform, field).c_str(),
                      &s.credentials[field], o);
    }
    ui_vspace(ui, 0.25f);
    if (ui_primary_button(ui, "credentials.save", tr("Test and replace"), s.action.busy(), tr("Testing\xE2\x80\xA6")))
        intent = {ConsoleIntent::replace_credentials, ""};
    end_form();
    return intent;
}

static ConsoleIntent draw_actions(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent;
    const bool busy = s.action.busy();
    if (busy) ImGui::BeginDisabled();
    if (plain_button(ui, "connection.sync", tr("Sync now"))) intent = {ConsoleIntent::sync_now, ""};
    same_line_if_fits(tr("Test again"));
    if (plain_button(ui, "connection.test", tr("Test again"))) intent = {ConsoleIntent::test_connection, ""};
    const char* replace = s.replacing ? tr("Keep the credentials") : tr("Replace credentials");
    same_line_if_fits(replace);
    if (plain_button(ui, "connection.replace", replace)) s.replacing = !s.replacing;
    same_line_if_fits(tr("Disconnect"));
    if (plain_button(ui, "connection.disconnect", tr("Disconnect"))) s.confirm_disconnect = true;
    if (busy) ImGui::EndDisabled();
    if (s.confirm_disconnect) {
        ui_error_box(ui, "connection.confirm", tr("Disconnect deletes the connection: its stored credentials, its sync "
                                                  "history and its synced records. Nothing changes at the platform."));
        if (plain_button(ui, "connection.disconnect.confirm", tr("Disconnect now"))) intent = {ConsoleIntent::disconnect, ""};
        ImGui::SameLine();
        if (plain_button(ui, "connection.disconnect.cancel", tr("Cancel"))) s.confirm_disconnect = false;
    }
    if (s.replacing) {
        ConsoleIntent form = draw_credentials_form(s, ui);
        if (form.kind != ConsoleIntent::none) intent = form;
    }
    return intent;
}

// --- the view -------------------------------------------------------------------

ConsoleIntent draw_connection(ConnectionState& s, const Ui& ui) {
    ConsoleIntent intent;
    const std::string back = "\xE2\x86\x90 " + s.org.name;
    if (ui_link_button(ui, "back", back.c_str())) intent = {ConsoleIntent::back, ""};
    const ClientConnection& c = s.connection;
    const std::string title = c.name.empty() ? c.platform : c.name;
    std::string subtitle = trf("{platform} \xC2\xB7 syncs {frequency}", {{"platform", c.platform}, {"frequency", c.sync_frequency}});
    page_title(ui, title.c_str(), subtitle);
    const char* health = connection_health(c);
    status_pill(ui, "connection.health", state_word(health), status_tone(health));
    if (!c.last_error.empty()) ui_error_box(ui, "connection.last_error", c.last_error);
    ui_vspace(ui, 0.25f);
    outcome_line(ui, "connection.outcome", s.action.message, s.action.ok);
    if (s.disconnected) return intent;
    ConsoleIntent act = draw_actions(s, ui);
    if (act.kind != ConsoleIntent::none) intent = act;
    ui_vspace(ui, 0.25f);

    struct Tab {
        ConnectionTab tab;
        const char* id;
        const char* label;
        const char* arg;
    };
    static const Tab kTabs[] = {{ConnectionTab::sync, "connection.tab.sync", tr_noop("Sync history"), "sync"},
                                {ConnectionTab::products, "connection.tab.products", tr_noop("Records"), "products"},
                                {ConnectionTab::webhooks, "connection.tab.webhooks", tr_noop("Webhooks"), "webhooks"}};
    for (size_t i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine(0, 0.25f * ui.em);
        if (tab_button(ui, kTabs[i].id, tr_text(kTabs[i].label), s.tab == kTabs[i].tab))
            intent = {ConsoleIntent::open_connection_tab, kTabs[i].arg};
    }
    ImGui::Separator();
    ui_vspace(ui, 0.25f);

    ConsoleIntent inner;
    switch (s.tab) {
    case ConnectionTab::sync: inner = draw_sync(s, ui); break;
    case ConnectionTab::products: inner = draw_products(s, ui); break;
    case ConnectionTab::webhooks: inner = draw_deliveries(s, ui); break;
    }
    return inner.kind != ConsoleIntent::none ? inner : intent;
}
