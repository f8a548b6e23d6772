// What a screen asks the app to do. Screens only draw and return one of
// these; the app performs it (requests, navigation) in web/app.cpp.
#pragma once

enum class Action {
    None,
    SignIn,   // submit the sign-in form
    SignOut,
};
