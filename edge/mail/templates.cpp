// Texts of the e-mails the edge sends (templates.h).
#include "edge/mail/templates.h"

#include <ctime>

#include "edge/http/html.h"

namespace onramp::mail {

namespace {

using http::escape_html;

// "15 January 2030, 08:00 UTC": a date a reader need not convert.
std::string readable_time(int64_t unix_seconds) {
    std::time_t t = std::time_t(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%d %B %Y, %H:%M UTC", &tm);
    return buf;
}

// One HTML document around paragraphs (already escaped) and an optional
// button-like link in the brand's accent, with the vendor's footer when the
// brand is not the vendor's. The accent was checked when it was saved
// (branding::valid_accent), so it cannot break out of the style attribute.
std::string html_page(const Brand& brand, const std::string& title, const std::string& paragraphs,
                      const std::string& link, const std::string& link_label) {
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape_html(title) +
                      "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5\">\n" + paragraphs;
    std::string colour = branding::valid_accent(brand.accent) ? " style=\"color:" + brand.accent + "\"" : "";
    if (!link.empty())
        out += "<p><a href=\"" + escape_html(link) + "\"" + colour + ">" + escape_html(link_label) +
               "</a></p>\n<p>" + escape_html(link) + "</p>\n";
    if (brand.name != branding::kVendorName)
        out += "<p style=\"font-size:0.8em;color:#666\">Powered by " + std::string(branding::kVendorName) +
               "</p>\n";
    out += "</body></html>\n";
    return out;
}

// The plain-text part's counterpart of the HTML footer.
std::string text_footer(const Brand& brand) {
    return brand.name == branding::kVendorName ? "" : "\n-- \nPowered by " + std::string(branding::kVendorName) + "\n";
}

std::string p(const std::string& text) { return "<p>" + escape_html(text) + "</p>\n"; }

}  // namespace

Message invitation(const Invitation& in) {
    Message m;
    m.to = in.to;
    m.kind = "invitation";
    m.org_id = in.org_id;
    m.subject = in.inviter + " invited you to " + in.org_name + " on " + in.brand.name;
    std::string expires = "The invitation expires on " + readable_time(in.expires_at) + ".";
    m.text = in.inviter + " invited you to join " + in.org_name + " on " + in.brand.name + ".\n\nAccept the invitation:\n" +
             in.link + "\n\n" + expires + "\nIf you did not expect it, ignore this e-mail.\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p(in.inviter + " invited you to join " + in.org_name + " on " + in.brand.name + ".") + p(expires) +
                           p("If you did not expect it, ignore this e-mail."),
                       in.link, "Accept the invitation");
    return m;
}

Message onboarding_link(const OnboardingLink& in) {
    Message m;
    m.to = in.to;
    m.kind = "onboarding_link";
    m.org_id = in.org_id;
    m.subject = "Connect your accounts to " + in.org_name;
    std::string expires = "The link works until " + readable_time(in.expires_at) +
                          ": open it again, on any device, to carry on where you left off.";
    std::string keep = "Do not forward it: anyone who opens it can onboard for you.";
    m.text = in.org_name + " asks you to connect your accounts through " + in.brand.name + ". No sign-up is needed.\n\n" +
             "Start here:\n" + in.link + "\n\n" + expires + " " + keep + "\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p(in.org_name + " asks you to connect your accounts through " + in.brand.name + ". No sign-up is needed.") +
                           p(expires + " " + keep),
                       in.link, "Start onboarding");
    return m;
}

Message link_code(const LinkCode& in) {
    Message m;
    m.to = in.to;
    m.kind = "link_code";
    m.org_id = in.org_id;
    m.subject = in.code + " is your code to continue onboarding with " + in.org_name;
    std::string why = "Someone opened your onboarding link for " + in.org_name + " on " +
                      (in.device.empty() ? "a new device" : in.device) + ". To continue there, type this code:";
    std::string expires = "It works until " + readable_time(in.expires_at) + ".";
    std::string not_you = "If it was not you, do not share the code, and tell " + in.org_name + ".";
    m.text = why + "\n\n    " + in.code + "\n\n" + expires + "\n" + not_you + "\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p(why) + "<p style=\"font-size:1.6em;letter-spacing:0.2em\"><b>" + escape_html(in.code) +
                           "</b></p>\n" + p(expires) + p(not_you),
                       "", "");
    return m;
}

Message password_reset(const PasswordReset& in) {
    Message m;
    m.to = in.to;
    m.kind = "password_reset";
    m.subject = "Reset your " + in.brand.name + " password";
    std::string expires = "The link works once, until " + readable_time(in.expires_at) + ".";
    m.text = "Someone asked to reset the password of your " + in.brand.name + " account.\n\nChoose a new password:\n" + in.link +
             "\n\n" + expires + "\nIf it was not you, ignore this e-mail: your password stays as it is.\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p("Someone asked to reset the password of your " + in.brand.name + " account.") + p(expires) +
                           p("If it was not you, ignore this e-mail: your password stays as it is."),
                       in.link, "Choose a new password");
    return m;
}

Message invitation_proof(const InvitationProof& in) {
    Message m;
    m.to = in.to;
    m.kind = "invitation_proof";
    m.org_id = in.org_id;
    m.subject = "Your code to join " + in.org_name + " on " + in.brand.name;
    std::string expires = "It works once, until " + readable_time(in.expires_at) + ".";
    m.text = "Enter this code on the invitation page to join " + in.org_name + " on " + in.brand.name + ":\n\n    " + in.code +
             "\n\n" + expires + "\nIf you did not ask for it, ignore this e-mail: nothing changes without it.\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p("Enter this code on the invitation page to join " + in.org_name + " on " + in.brand.name + ":") +
                           "<p style=\"font-size:1.5em;letter-spacing:0.2em\"><strong>" + escape_html(in.code) +
                           "</strong></p>\n" + p(expires) +
                           p("If you did not ask for it, ignore this e-mail: nothing changes without it."),
                       "", "");
    return m;
}

Message alert(const Alert& in) {
    Message m;
    m.to = in.to;
    m.kind = "alert";
    m.org_id = in.org_id;
    std::string what, todo;
    std::string conn = in.connection_name + " (" + in.platform + ")";
    switch (in.kind) {
        case AlertKind::credentials_rejected:
            m.subject = in.org_name + ": the credentials of " + conn + " stopped working";
            what = "The platform refused the stored credentials of " + conn + ".";
            todo = "Enter new credentials for the connection; until then it does not sync.";
            break;
        case AlertKind::sync_failed_twice:
            m.subject = in.org_name + ": syncing " + conn + " failed twice in a row";
            what = "The last two syncs of " + conn + " failed.";
            todo = "Look at the connection's sync history, then test the connection.";
            break;
        case AlertKind::webhook_dead_lettered:
            m.subject = in.org_name + ": a webhook delivery for " + conn + " was given up";
            what = "A webhook delivery for " + conn + " failed every retry and was set aside.";
            todo = "Look at the connection's webhook deliveries; once the cause is fixed, replay it.";
            break;
    }
    std::string detail = in.detail.empty() ? "" : "Error: " + in.detail;
    m.text = what + "\n" + (detail.empty() ? "" : detail + "\n") + "\n" + todo + "\n" +
             (in.console_url.empty() ? "" : "\n" + in.console_url + "\n") +
             "\nYou receive this as a manager of " + in.org_name + ".\n" +
             text_footer(in.brand);
    m.html = html_page(in.brand, m.subject,
                       p(what) + (detail.empty() ? "" : p(detail)) + p(todo) +
                           p("You receive this as a manager of " + in.org_name + "."),
                       in.console_url, "Open " + in.brand.name);
    return m;
}

}  // namespace onramp::mail
