// Step 3, the initial sync: a live progress bar and counts while the edge
// copies the new connection's data.
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"
#include "shared/connectors/catalog.h"

bool sync_finished(const SyncView& v) {
    return v.state == "succeeded" || v.state == "failed" || v.unavailable;
}

Intent draw_sync(SyncView& v, const Ui& ui) {
    const onramp::connectors::Connector* c = onramp::connectors::find_connector(v.connection.platform);
    const std::string platform = c ? std::string(c->name) : v.connection.platform;
    wz_help(ui, trf("Onramp is copying your data from {platform}. You can keep going: the sync carries on in the "
                    "background.",
                    {{"platform", platform}})
                    .c_str());
    ui_vspace(ui, 0.25f);
    const long done = v.created + v.updated;
    if (v.unavailable) {
        wz_notice(ui, "sync.state", Tone::info, tr("The sync runs in the background"),
                  tr("This server does not report sync progress; the products appear when it is done."));
    } else if (v.state.empty()) {
        wz_loading(ui, "sync.loading", tr("Starting the sync\xE2\x80\xA6"));
    } else {
        float fraction = -1.0f;
        if (v.state == "succeeded" || v.state == "failed") fraction = 1.0f;
        else if (v.percent >= 0) fraction = static_cast<float>(v.percent) / 100.0f;
        std::string label = v.state == "succeeded" ? tr("Sync complete")
                            : v.state == "failed"  ? tr("Sync stopped")
                            : v.state == "queued"  ? tr("Waiting to start\xE2\x80\xA6")
                                                   : tr("Syncing\xE2\x80\xA6");
        wz_progress(ui, "sync.progress", fraction, label);
        // The total counts what the platform announced, which can be fewer
        // resources than the run copies: shown only while it holds.
        const bool of_total = v.total >= done && v.state != "succeeded";
        const TrArgs n = {{"done", std::to_string(done)}, {"total", std::to_string(v.total)},
                          {"created", std::to_string(v.created)}, {"updated", std::to_string(v.updated)},
                          {"failed", std::to_string(v.failed)}};
        std::string counts = of_total ? trf("{done} of {total} items \xC2\xB7 {created} new \xC2\xB7 {updated} updated", n)
                                      : trf("{done} items \xC2\xB7 {created} new \xC2\xB7 {updated} updated", n);
        if (v.failed > 0) counts += trf(" \xC2\xB7 {failed} failed", n);
        wz_value(ui, "sync.counts", counts);
        wz_value(ui, "sync.state", v.state);
        if (v.state == "failed")
            wz_notice(ui, "sync.error", Tone::danger, tr("The sync did not finish"),
                      v.error.empty() ? tr("Onramp will try again at the next scheduled sync.") : v.error);
    }
    const bool finished = sync_finished(v);
    const int nav = wz_nav(ui, "continue", finished ? tr("Continue") : tr("Continue while it syncs"), false, "",
                           tr("Back"));
    if (nav == 1) return Intent::next;
    if (nav == 2) return Intent::back;
    return Intent::none;
}
