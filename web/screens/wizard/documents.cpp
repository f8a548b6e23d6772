// Step 5, documents: the browser's file picker, upload progress, then the
// ingestion status of each document until it is done.
#include <nlohmann/json.hpp>

#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"
#include "shared/documents/accepted.h"

const char* const kDocumentCategories[] = {"sop", "training", "reference", "policy"};
static const char* const kCategoryLabels[] = {
    tr_noop("Standard operating procedure"), tr_noop("Training material"), tr_noop("Reference"), tr_noop("Policy")};

bool documents_ready(const DocumentsForm& f) {
    for (const DocumentRow& d : f.documents)
        if (d.status == "done") return true;
    return false;
}

static Tone status_tone(const std::string& status) {
    if (status == "done") return Tone::success;
    if (status == "failed") return Tone::danger;
    return Tone::info;
}

static const char* status_label(const std::string& status) {
    if (status == "done") return tr("Ready");
    if (status == "failed") return tr("Failed");
    if (status == "processing") return tr("Reading\xE2\x80\xA6");
    return tr("Queued");
}

static void document_row(const Ui& ui, const DocumentRow& d, size_t index) {
    const std::string id = "document." + std::to_string(index);
    ImGui::PushFont(ui.fonts.strong);
    ImGui::TextUnformatted(d.filename.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    const char* label = status_label(d.status);
    const float w = ImGui::CalcTextSize(label).x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() +
                         std::max(0.0f, ImGui::GetContentRegionAvail().x - w));
    ImGui::PushStyleColor(ImGuiCol_Text, wz_tone_color(ui, status_tone(d.status)));
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    if (ui.log)
        ui.log->items.push_back({id, "text", ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                 d.filename + ": " + d.status});
    if (!d.error.empty()) wz_field_error(ui, (id + ".error").c_str(), d.error);
}

Intent draw_documents(DocumentsForm& f, const Ui& ui) {
    // The edge's limit is 10 MiB (kMaxFileBytes in edge/api/documents.cpp).
    const std::string help = trf("Upload the documents your team works from: scripts, price lists, procedures. "
                                 "{kinds} up to 10 MB.",
                                 {{"kinds", tr_text(onramp::documents::kAcceptedKinds)}});
    wz_help(ui, help.c_str());
    ui_vspace(ui, 0.25f);
    wz_combo(ui, "category", tr("What kind of document?"), &f.category, kCategoryLabels, 4);
    const bool uploading = f.upload && !f.upload->done;
    nlohmann::json spec = {
        {"url", "/api/v1/onboarding/documents/upload"},
        {"bearer", f.bearer},
        {"org_id", f.org_id},
        {"accept", onramp::documents::accept_attribute()},
        {"fields", {{"category", kDocumentCategories[f.category]}}},
    };
    wz_button(ui, "choose_file", tr("Choose a file\xE2\x80\xA6"), uploading);
    if (!uploading) gesture_on_last_item("choose_file", GestureKind::pick_file, spec.dump());
    if (uploading) {
        const float fraction =
            f.upload->total > 0 ? static_cast<float>(f.upload->sent / f.upload->total) : -1.0f;
        wz_progress(ui, "upload.progress", fraction, trf("Uploading {file}", {{"file", f.upload->filename}}));
    }
    ui_error_box(ui, "documents.error", f.error);
    if (in_flight(f.list) && f.documents.empty())
        wz_loading(ui, "documents.loading", tr("Loading your documents\xE2\x80\xA6"));
    if (!f.documents.empty()) {
        ui_vspace(ui, 0.25f);
        ui_heading(ui, tr("Your documents"));
        for (size_t i = 0; i < f.documents.size(); ++i) document_row(ui, f.documents[i], i);
    } else if (!in_flight(f.list) && !uploading) {
        ui_muted_text(ui, tr("No documents yet."));
    }
    const bool ready = documents_ready(f);
    const int nav = wz_nav(ui, "continue", ready ? tr("Continue") : tr("Skip for now"), false, "", tr("Back"));
    if (nav == 1) return Intent::next;
    if (nav == 2) return Intent::back;
    return Intent::none;
}
