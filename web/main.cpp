// Entry point of the web client: a GLFW window on the page's canvas, Dear
// ImGui drawing with WebGL2, and one App drawn per animation frame.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>

#include <tuple>
#include <utility>

#include "app.h"
#include "imgui.h"
#include "imgui_internal.h"  // ImHashData, the keyboard's focus (ImGuiContext's Nav*)
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform/page_file.h"
#include "platform/platform.h"
#include "test_hook.h"
#include "theme.h"

// The screen, wizard step, sign-in step and console view shown (the view's
// name is one of console_view_name's constants).
using Page = std::tuple<Screen, onramp::onboarding::WizardStep, SignInStep, const char*>;

struct Main {
    GLFWwindow* window = nullptr;
    App app;
    ImU32 drawn_hash = 0;  // of the picture on the canvas; 0: draw the next frame
    bool enter_was_down = false, enter_presses = false;  // enter_activates()
    Page page;  // page_of() the last frame
    // The second font subset: its two files' requests, made once the first
    // frame is drawn, then their bytes once both have arrived.
    std::shared_ptr<HttpReply> more_regular, more_semibold;
    MoreGlyphs more;
};

// An idle page produces the same draw data frame after frame. Skipping the
// GL work then leaves the last picture on the canvas (the browser keeps
// showing it) and spares the GPU, or the CPU when WebGL is software.
static ImU32 draw_data_hash(const ImDrawData* d) {
    ImU32 h = ImHashData(&d->DisplaySize, sizeof(d->DisplaySize), 1);
    for (int i = 0; i < d->CmdListsCount; ++i) {
        const ImDrawList* list = d->CmdLists[i];
        h = ImHashData(list->VtxBuffer.Data, list->VtxBuffer.size_in_bytes(), h);
        h = ImHashData(list->IdxBuffer.Data, list->IdxBuffer.size_in_bytes(), h);
        h = ImHashData(list->CmdBuffer.Data, list->CmdBuffer.size_in_bytes(), h);
    }
    return h;
}

// Loads the fonts for `dpr`. The caller uploads the atlas to the GPU.
static void set_scale(App& app, float dpr, const MoreGlyphs& more) {
    app.ui.fonts = theme_load_fonts(dpr, more);
    app.ui.dpr = dpr;
    app.ui.em = kBodyFontSize * dpr;
    app.style_dirty = true;
}

// ImGui 1.86 presses a button reached by Tab or the arrows with Space only;
// people press Enter. An Enter that went down while no text field was being
// edited (there it submits the form) presses the button, until it is let go.
static void enter_activates(Main& m) {
    ImGuiIO& io = ImGui::GetIO();
    const bool down = io.KeysDown[GLFW_KEY_ENTER] || io.KeysDown[GLFW_KEY_KP_ENTER];
    if (!down) m.enter_presses = false;
    else if (!m.enter_was_down) m.enter_presses = !io.WantTextInput;
    m.enter_was_down = down;
    if (m.enter_presses) io.NavInputs[ImGuiNavInput_Activate] = 1.0f;
}

// Tab and Shift+Tab move through every widget a keyboard can stand on, as
// on a web page; ImGui 1.86's own Tab reaches text fields only. ImGui never
// sees the key: the last frame's widgets, in drawing order, say where it
// goes (ui_tab_target), and the accessibility mirror's focus request moves
// it there, where a field starts editing and a button takes the highlight.
// The browser's own Tab through the mirror's elements would follow their
// order in the page, which forms and drop-down lists rearrange, and move
// the focus before ImGui had it, so the next keys would go to the old one.
static void tab_moves_focus(Main& m) {
    ImGuiIO& io = ImGui::GetIO();
    const bool tab = std::exchange(io.KeysDown[GLFW_KEY_TAB], false);
    if (!tab || io.KeyCtrl || io.KeyAlt) return;
    // An open drop-down closes, as a <select>'s list does.
    if (!GImGui->OpenPopupStack.empty()) ImGui::ClosePopupToLevel(0, true);
    const ImGuiWindow* window = GImGui->NavWindow;
    m.app.widgets.focus_request =
        ui_tab_target(m.app.widgets, io.KeyShift, window ? window->RootWindow->ID : 0);
}

static Page page_of(const App& app) {
    return {app.screen, app.wizard.step, app.sign_in.step, console_view_name(app.console)};
}

// A new page starts with nothing focused, as a web page does: the first Tab
// reaches its first widget. ImGui would keep the focus on a widget of the
// last page with the same id (the next step's Continue), and a window that
// appears would focus its first widget (the wizard's Sign out, while it
// loads). Only a root window's own start is cancelled: an arrow key pressed
// with nothing focused, and a drop-down opening on its choice, keep theirs.
static void start_pages_unfocused(Main& m) {
    ImGuiContext& g = *GImGui;
    if (g.NavInitResultId != 0 && !g.NavInitRequestFromMove && g.NavWindow &&
        !(g.NavWindow->Flags & ImGuiWindowFlags_Popup))
        g.NavInitResultId = 0;
    const Page page = page_of(m.app);
    if (page == m.page) return;
    m.page = page;
    if (!g.NavWindow || g.ActiveId != 0) return;
    ImGui::SetNavID(0, ImGuiNavLayer_Main, 0, ImRect());
    m.app.widgets.nav.clear();
}

// Asks for the second font subset's files (web/CMakeLists.txt), which hold
// the rest of Latin, Greek and Cyrillic. Only once the first frame is on the
// canvas: they are ~110 KB gzipped and the first frame must not wait.
static void fetch_more_fonts(Main& m) {
    m.more_regular = platform_fetch_page_file("inter-more-regular.otf");
    m.more_semibold = platform_fetch_page_file("inter-more-semibold.otf");
}

// True once, when both files have arrived as fonts: the atlas is then built
// again with their glyphs. When either fails, the embedded subset stays and
// what it lacks is drawn as a white square.
static bool more_fonts_arrived(Main& m) {
    if (!m.more_regular || !m.more_regular->done || !m.more_semibold->done) return false;
    const auto usable = [](const HttpReply& r) { return r.status == 200 && theme_is_font(r.body); };
    if (usable(*m.more_regular) && usable(*m.more_semibold))
        m.more = {std::move(m.more_regular->body), std::move(m.more_semibold->body)};
    m.more_regular.reset();
    m.more_semibold.reset();
    return !m.more.regular.empty();
}

static void frame(void* arg) {
    Main& m = *static_cast<Main*>(arg);
    // An idle page skips whole frames, not just their GL work: ImGui's frame
    // costs the CPU even when the picture is the same.
    if (m.app.frames > 0 && !platform_frame_due(ImGui::GetIO().WantTextInput)) return;
    // Moving the window to another screen, or zooming, changes the ratio:
    // rasterize the fonts again rather than stretch them. The second font
    // subset's arrival adds its glyphs the same way.
    const float dpr = platform_begin_frame(m.window);
    const bool more_fonts = more_fonts_arrived(m);
    if (dpr != m.app.ui.dpr || more_fonts) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        set_scale(m.app, dpr, m.more);
        ImGui_ImplOpenGL3_CreateFontsTexture();
        m.drawn_hash = 0;
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    enter_activates(m);
    start_pages_unfocused(m);
    tab_moves_focus(m);
    ImGui::NewFrame();
    app_frame(m.app);
    ImGui::Render();
    platform_update_cursor();

    const ImU32 hash = draw_data_hash(ImGui::GetDrawData());
    if (hash == m.drawn_hash) return;
    m.drawn_hash = hash;
    int w = 0, h = 0;
    glfwGetFramebufferSize(m.window, &w, &h);
    glViewport(0, 0, w, h);
    const ImVec4& bg = m.app.ui.palette->page;
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (m.app.frames == 1) {
        platform_first_frame_drawn();
        fetch_more_fonts(m);
    }
}

int main() {
    if (!glfwInit()) return 1;
    // ImGui antialiases its own shapes and uses no depth or stencil; an opaque
    // canvas without them is cheaper to draw and to composite.
    glfwWindowHint(GLFW_SAMPLES, 0);
    glfwWindowHint(GLFW_ALPHA_BITS, 0);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(1280, 800, "Onramp", nullptr, nullptr);
    if (!window) return 1;
    glfwMakeContextCurrent(window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    platform_init(window);  // after the GLFW backend, which sets clipboard hooks too
    ImGui_ImplOpenGL3_Init("#version 300 es");

    // Lives as long as the page: the main loop below never returns.
    Main* m = new Main;
    m->window = window;
    m->app.theme = platform_prefers_dark() ? ThemeMode::Dark : ThemeMode::Light;
    language_start(m->app.language);
    set_scale(m->app, platform_begin_frame(window), m->more);
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // shaders, and the fonts just loaded
    test_hook_attach(&m->app);

    emscripten_set_main_loop_arg(frame, m, 0, true);
    return 0;
}
