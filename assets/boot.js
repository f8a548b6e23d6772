// The page's own script, loaded before the module: the loading status, the
// clipboard bridge, and what the module tells an embedding page. A file, not
// an inline <script>, so the page's Content-Security-Policy can allow
// scripts from this origin only (edge/http/page_headers.cpp).
var statusBox = document.getElementById('status');
var ready = false;

function showError(message) {
  statusBox.classList.remove('hidden');
  statusBox.classList.add('error');
  document.getElementById('status-text').textContent = message;
}

document.getElementById('canvas').addEventListener('contextmenu', function (e) { e.preventDefault(); });

var Module = {
  canvas: document.getElementById('canvas'),
  onRuntimeInitialized: function () { ready = true; },
  onFirstFrame: function () { statusBox.classList.add('hidden'); },
  onAbort: function () { showError('Onramp stopped unexpectedly. Reload the page to try again.'); },
  // A WebGL context lost on a GPU reset cannot be recovered by the module.
  preRun: [function () {
    Module.canvas.addEventListener('webglcontextlost', function (e) {
      e.preventDefault();
      showError('The graphics context was lost. Reload the page to continue.');
    });
  }]
};

// Clipboard bridge. The module has no access to the system clipboard, so
// paste hands it the text, and copy/cut ask it for the selected text while
// the user's gesture is still running (browsers allow clipboard writes
// only then).
document.addEventListener('paste', function (e) {
  if (!ready || !e.clipboardData) return;
  var text = e.clipboardData.getData('text/plain');
  if (!text) return;
  e.preventDefault();
  Module.ccall('onramp_paste', null, ['string'], [text]);
});
function copySelection(e) {
  if (!ready || !e.clipboardData) return;
  var text = Module.ccall('onramp_copy_selection', 'string', [], []);
  if (!text) return;
  e.clipboardData.setData('text/plain', text);
  e.preventDefault();
}
document.addEventListener('copy', copySelection);
document.addEventListener('cut', copySelection);

if (typeof WebAssembly !== 'object') {
  showError('This browser does not support WebAssembly.');
} else if (!window.WebGL2RenderingContext) {
  showError('This browser does not support WebGL2, which Onramp needs to draw.');
} else {
  var script = document.createElement('script');
  script.src = 'onramp.js';
  script.onerror = function () { showError('Onramp could not be loaded. Check your connection and reload.'); };
  document.body.appendChild(script);
}

// Embedding: an agency's own app may show this page in an iframe, from the
// origins its branding lists (the server's frame-ancestors refuses every
// other; docs/branding.md). The module tells the parent where the client
// is: onramp:step, onramp:completed and onramp:closed. Each message is
// addressed to one listed origin, so a parent page of any other origin
// never receives it.
function onrampTellParent(type, detailJson, originsJson) {
  if (window.parent === window) return;
  var message = Object.assign({ source: 'onramp', type: type }, JSON.parse(detailJson));
  JSON.parse(originsJson).forEach(function (origin) { window.parent.postMessage(message, origin); });
}
