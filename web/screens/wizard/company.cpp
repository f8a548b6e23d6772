// Step 1, company basics: the form sent to POST /onboarding/company-basics.
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

const char* const kIndustries[] = {
    tr_noop("roofing"),   tr_noop("hvac"),   tr_noop("plumbing"),   tr_noop("electrical"), tr_noop("solar"),
    tr_noop("landscaping"), tr_noop("home services"), tr_noop("retail"), tr_noop("e-commerce"), tr_noop("other"),
};
const int kIndustryCount = sizeof(kIndustries) / sizeof(kIndustries[0]);

bool check_company(CompanyForm& f) {
    f.errors.clear();
    if (f.company_name.empty()) f.errors["company_name"] = tr("Enter your company's name.");
    size_t digits = 0;
    for (char c : f.company_phone) digits += (c >= '0' && c <= '9');
    if (digits < 7) f.errors["company_phone"] = tr("Enter a phone number, like +1-555-123-4567.");
    if (!f.company_email.empty() && f.company_email.find('@') == std::string::npos)
        f.errors["company_email"] = tr("That doesn't look like an email address.");
    if (f.industry < 0) f.errors["industry"] = tr("Choose the industry closest to yours.");
    if (f.timezone.empty()) f.errors["timezone"] = tr("Enter a time zone, like America/New_York.");
    for (char c : f.team_size)
        if (c < '0' || c > '9') {
            f.errors["team_size"] = tr("Enter the number of people, like 15.");
            break;
        }
    return f.errors.empty();
}

static bool field(const Ui& ui, CompanyForm& f, const char* id, const char* label,
                  std::string* value, const char* hint, bool busy,
                  Keyboard keyboard = Keyboard::text, const char* autocomplete = nullptr) {
    FieldOptions o;
    o.hint = hint;
    o.disabled = busy;
    o.keyboard = keyboard;
    o.autocomplete = autocomplete;
    const bool enter = ui_text_field(ui, id, label, value, o);
    auto it = f.errors.find(id);
    if (it != f.errors.end()) wz_field_error(ui, (std::string(id) + ".error").c_str(), it->second);
    return enter;
}

Intent draw_company(CompanyForm& f, const Ui& ui) {
    const bool busy = in_flight(f.save);
    wz_help(ui, tr("Tell us who you are. This is what your team and Onramp's support will see."));
    ui_vspace(ui, 0.25f);
    bool enter = field(ui, f, "company_name", tr("Company name"), &f.company_name, "Acme Roofing Co", busy,
                       Keyboard::text, "organization");
    enter |= field(ui, f, "company_phone", tr("Phone"), &f.company_phone, "+1-555-123-4567", busy, Keyboard::phone);
    enter |= field(ui, f, "company_email", tr("Company email (optional)"), &f.company_email,
                   "info@acmeroofing.com", busy, Keyboard::email);
    enter |= field(ui, f, "company_domain", tr("Website (optional)"), &f.company_domain,
                   "acmeroofing.com", busy, Keyboard::url);
    wz_combo(ui, "industry", tr("Industry"), &f.industry, kIndustries, kIndustryCount);
    if (f.errors.count("industry")) wz_field_error(ui, "industry.error", f.errors["industry"]);
    enter |= field(ui, f, "timezone", tr("Time zone"), &f.timezone, "America/New_York", busy);
    enter |= field(ui, f, "team_size", tr("Team size (optional)"), &f.team_size, "15", busy, Keyboard::number);
    enter |= field(ui, f, "admin_name", tr("Your name (optional)"), &f.admin_name, "Jane Doe", busy,
                   Keyboard::text, "name");
    ui_error_box(ui, "company.error", f.error);
    const int nav = wz_nav(ui, "continue", tr("Save and continue"), busy, tr("Saving\xE2\x80\xA6"), nullptr);
    if (busy) return Intent::none;
    if (nav == 1 || enter) return Intent::submit;
    return Intent::none;
}
