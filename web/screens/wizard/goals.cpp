// Step 6, goals and preferences: the form sent to POST /onboarding/goals.
#include <cstdlib>

#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

const char* const kGoals[kGoalCount] = {
    tr_noop("Increase conversion rate"), tr_noop("Reduce response time"), tr_noop("Improve customer satisfaction"),
    tr_noop("Keep product data in sync"), tr_noop("Grow repeat business"),
};

static bool is_number(const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

static bool is_clock(const std::string& s) {
    return s.size() == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
           s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
           (s[0] < '2' || s[1] <= '3');
}

bool check_goals(GoalsForm& f) {
    f.errors.clear();
    bool any = false;
    for (bool g : f.goals) any |= g;
    if (!any) f.errors["goals"] = tr("Choose at least one goal.");
    if (!is_number(f.conversion_rate)) f.errors["conversion_rate"] = tr("Enter a percentage, like 25.");
    if (!is_number(f.response_hours)) f.errors["response_hours"] = tr("Enter a number of hours, like 2.");
    if (!is_number(f.satisfaction)) f.errors["satisfaction"] = tr("Enter a score from 1 to 5, like 4.5.");
    if (!is_clock(f.quiet_start)) f.errors["quiet_start"] = tr("Use 24-hour time, like 20:00.");
    if (!is_clock(f.quiet_end)) f.errors["quiet_end"] = tr("Use 24-hour time, like 08:00.");
    return f.errors.empty();
}

static bool field(const Ui& ui, GoalsForm& f, const char* id, const char* label, std::string* v,
                  const char* hint) {
    FieldOptions o;
    o.hint = hint;
    o.disabled = in_flight(f.save);
    const bool enter = ui_text_field(ui, id, label, v, o);
    if (f.errors.count(id)) wz_field_error(ui, (std::string(id) + ".error").c_str(), f.errors[id]);
    return enter;
}

Intent draw_goals(GoalsForm& f, const Ui& ui) {
    wz_help(ui, tr("What should Onramp help you with? This shapes your dashboard and alerts."));
    ui_vspace(ui, 0.25f);
    ui_heading(ui, tr("Goals"));
    for (int i = 0; i < kGoalCount; ++i)
        wz_checkbox(ui, ("goal." + std::to_string(i)).c_str(), tr_text(kGoals[i]), &f.goals[i]);
    if (f.errors.count("goals")) wz_field_error(ui, "goals.error", f.errors["goals"]);
    ui_vspace(ui, 0.25f);
    bool enter = field(ui, f, "conversion_rate", tr("Target conversion rate (%)"), &f.conversion_rate, "25");
    enter |= field(ui, f, "response_hours", tr("Target response time (hours)"), &f.response_hours, "2");
    enter |= field(ui, f, "satisfaction", tr("Target satisfaction score (1\xE2\x80\x93" "5)"), &f.satisfaction, "4.5");
    ui_heading(ui, tr("Notify me by"));
    wz_checkbox(ui, "notify.email", tr("Email"), &f.email);
    wz_checkbox(ui, "notify.sms", tr("Text message"), &f.sms);
    wz_checkbox(ui, "notify.in_app", tr("In the app"), &f.in_app);
    enter |= field(ui, f, "quiet_start", tr("Quiet hours start"), &f.quiet_start, "20:00");
    enter |= field(ui, f, "quiet_end", tr("Quiet hours end"), &f.quiet_end, "08:00");
    ui_error_box(ui, "goals.server_error", f.error);
    const bool busy = in_flight(f.save);
    const int nav = wz_nav(ui, "continue", tr("Save and continue"), busy, tr("Saving\xE2\x80\xA6"), tr("Back"));
    if (busy) return Intent::none;
    if (nav == 1 || enter) return Intent::submit;
    if (nav == 2) return Intent::back;
    return Intent::none;
}
