// The client onboarding wizard: company basics → connect platforms →
// initial sync → webhooks → documents → goals → team → verify → done.
//
// Progress lives on the server. Opening the wizard asks GET
// /api/v1/onboarding/status, the organization's connections and the newest
// connection's sync, and resumes at the step shared/onboarding/state.h's
// wizard_step() names, so a reload lands where the client left off.
//
// The steps draw (web/screens/wizard/<step>.cpp) and return an Intent;
// this file sends the requests, reads the replies and moves between steps.
#pragma once

#include <string>

#include "screens/wizard/steps.h"
#include "shared/onboarding/state.h"

struct Session;
struct Ui;

struct Wizard {
    onramp::onboarding::WizardStep step = onramp::onboarding::WizardStep::company;
    onramp::onboarding::Progress progress;
    int resume_stage = 0;     // 0 asking status and connections, 1 the sync, 2 resumed
    std::string error;        // the resume failed: shown with a retry button
    Reply status, connections, resume_sync;
    bool webhooks_seen = false;
    int drawn_step = -1;      // the step drawn last frame: scroll to the top on a change
    // The furthest step opened so far (the resume step at least): a step's
    // address opens no step beyond it.
    onramp::onboarding::WizardStep furthest = onramp::onboarding::WizardStep::company;
    // The step just opened was not the client's choice but handed on by one
    // with nothing to do: its address replaces the last one in the history.
    bool handed_on = false;

    CompanyForm company;
    PlatformsForm platforms;
    SyncView sync;
    WebhooksView webhooks;
    DocumentsForm documents;
    GoalsForm goals;
    TeamForm team;
    VerifyView verify;
};

// Starts over for `session` and asks the server where to resume.
void wizard_open(Wizard& wizard, const Session& session);

// Whether the wizard shows a step: it resumed, without an error.
bool wizard_resumed(const Wizard& wizard);

// Opens `step` (a page address's, web/route.h), or the furthest step the
// client has reached when `step` lies beyond it (an earlier step is not
// done). What the client typed on each step stays.
void wizard_go(Wizard& wizard, const Session& session, onramp::onboarding::WizardStep step);

// Draws the wizard and carries out what its steps ask. Returns true when
// the client signs out.
bool wizard_frame(Wizard& wizard, const Session& session, const Ui& ui);
