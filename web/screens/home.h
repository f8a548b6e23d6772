#pragma once

#include "screens/action.h"

struct Session;
struct Ui;

// The signed-in landing card: who is signed in, and a way out.
Action draw_home(const Session& session, const Ui& ui);
