// The playground's browser client. Plain script, no build step: it runs as served.
/* global CodeMirror */
(function () {
  'use strict';

  var byId = function (id) { return document.getElementById(id); };
  var codeEl = byId('code');
  var runBtn = byId('run');
  var fmtBtn = byId('fmt');
  var importsBox = byId('imports');
  var shareBtn = byId('share');
  var shareURL = byId('shareURL');
  var examplesSel = byId('examples');
  var versionSel = byId('version');
  var outputEl = byId('output');
  var statusEl = byId('status');

  var SNIPPET_PATH = /^\/p\/([A-Za-z0-9_-]+)\/?$/;

  // The Go release, kept in the address as go.dev/play does (?v=goprev), so a link or a
  // reload keeps it; the default release has no parameter. A name the server does not list
  // falls back to the default.
  (function chooseVersion() {
    var wanted = new URLSearchParams(location.search).get('v') || '';
    var known = Array.prototype.some.call(versionSel.options, function (o) { return o.value === wanted; });
    versionSel.value = known ? wanted : '';
  })();
  function withVersion(path) {
    return versionSel.value ? path + '?v=' + encodeURIComponent(versionSel.value) : path;
  }
  function api(path) {
    return versionSel.value ? path + '?backend=' + encodeURIComponent(versionSel.value) : path;
  }

  // CodeMirror traps Tab for indentation, which would leave keyboard users stuck in the
  // editor; Esc arms a one-shot escape so the next Tab moves focus instead.
  var tabEscapeArmed = false;
  // The page carries its program (the hello example, or the shared snippet) in a textarea, so
  // that it shows without scripts; the editor takes it over from there.
  var sourceEl = byId('source');
  var initialCode = sourceEl ? sourceEl.value : '';
  if (sourceEl) sourceEl.remove();
  var editor = CodeMirror(codeEl, {
    value: initialCode,
    mode: 'text/x-go',
    lineNumbers: true,
    indentUnit: 4,
    tabSize: 4,
    indentWithTabs: true,
    matchBrackets: true,
    screenReaderLabel: 'Go source code',
    extraKeys: {
      'Shift-Enter': function () { run(); },
      'Shift-Tab': 'indentLess',
    },
  });
  editor.on('keydown', function (_cm, e) {
    if (e.key === 'Tab' && tabEscapeArmed) {
      // Flagged events are left entirely to the browser, which moves the focus. (Returning
      // CodeMirror.Pass from a binding would only fall through to the default Tab binding.)
      e.codemirrorIgnore = true;
    }
    // Holding Shift for Esc, Shift+Tab must not disarm it.
    if (!/^(Shift|Control|Alt|Meta)$/.test(e.key)) tabEscapeArmed = e.key === 'Escape';
  });
  editor.on('blur', function () { tabEscapeArmed = false; });

  // Shift+Enter should run from anywhere on the page, not only inside the editor. The
  // editor's own binding already handled (and default-prevented) presses made there.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.shiftKey && !e.defaultPrevented) {
      e.preventDefault();
      run();
    }
  });

  // ---- output ---------------------------------------------------------------------------

  function clearOutput() {
    outputEl.textContent = '';
  }

  function isScrolledToBottom() {
    return outputEl.scrollHeight - outputEl.scrollTop - outputEl.clientHeight < 8;
  }

  function appendText(text, cls) {
    if (!text) return;
    var last = outputEl.lastChild;
    // Coalescing into the previous span keeps chatty programs from creating a node per write.
    if (last && last.nodeName === 'SPAN' && last.className === cls) {
      last.textContent += text;
    } else {
      var span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      outputEl.appendChild(span);
    }
  }

  function appendImage(base64) {
    var img = document.createElement('img');
    img.alt = 'Image written by the program';
    img.src = 'data:image/png;base64,' + base64.trim();
    outputEl.appendChild(img);
  }

  function outputText() {
    return outputEl.textContent || '';
  }

  function write(text, cls) {
    var stick = isScrolledToBottom();
    appendText(text, cls);
    if (stick) outputEl.scrollTop = outputEl.scrollHeight;
  }

  // A closing line ("Program exited." etc.) goes on a line of its own, separated from the
  // program's output by a blank line, as the official client shows it.
  function writeClosing(text) {
    var current = outputText();
    var sep = '';
    if (current !== '' || outputEl.querySelector('img')) {
      sep = current.endsWith('\n') || current === '' ? '\n' : '\n\n';
    }
    write(sep + text, 'system');
  }

  function showError(text) {
    clearOutput();
    write(text, 'error');
  }

  function writeEvent(message, kind) {
    var stick = isScrolledToBottom();
    var ff = message.lastIndexOf('\f');
    if (ff >= 0) {
      clearOutput();
      message = message.slice(ff + 1);
    }
    var cls = kind === 'stderr' ? 'stderr' : 'stdout';
    // Writes that land at the same virtual instant arrive merged into one event, so an
    // image line is looked for at every line start, not only at the start of the event.
    var lines = message.split(/(?<=\n)/);
    var pending = '';
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line.startsWith('IMAGE:')) {
        appendText(pending, cls);
        pending = '';
        appendImage(line.slice('IMAGE:'.length));
      } else {
        pending += line;
      }
    }
    appendText(pending, cls);
    if (stick) outputEl.scrollTop = outputEl.scrollHeight;
  }

  // The playground's own errors are plain text ("Snippet is too large"); a framework-level
  // failure arrives as JSON, whose message reads better than the raw object.
  function httpErrorText(resp, text) {
    var body = (text || '').trim();
    if (!body) return 'Error: HTTP ' + resp.status + ' ' + resp.statusText;
    try {
      var parsed = JSON.parse(body);
      if (parsed && typeof parsed.message === 'string') return parsed.message + ' (HTTP ' + resp.status + ')';
    } catch (_e) {
      // not JSON: shown as it is
    }
    return body;
  }

  function setStatus(text) {
    statusEl.textContent = text || '';
  }

  // ---- run ------------------------------------------------------------------------------

  var compiling = false;
  var playbackTimer = null;

  function stopPlayback() {
    if (playbackTimer !== null) {
      clearTimeout(playbackTimer);
      playbackTimer = null;
    }
  }

  function pluralTests(n) {
    return n === 1 ? '1 test failed.' : n + ' tests failed.';
  }

  function closingLine(res) {
    var status = Number(res.Status) || 0;
    if (res.IsTest) {
      var failed = Number(res.TestsFailed) || 0;
      if (failed > 0) return pluralTests(failed);
      if (status === 0) return 'All tests passed.';
    }
    return status === 0 ? 'Program exited.' : 'Program exited: status ' + status + '.';
  }

  function playback(res) {
    var events = Array.isArray(res.Events) ? res.Events : [];
    var i = 0;
    function next() {
      if (i >= events.length) {
        playbackTimer = null;
        writeClosing(closingLine(res));
        return;
      }
      var ev = events[i++];
      var delayMs = Math.max(0, (Number(ev.Delay) || 0) / 1e6);
      playbackTimer = setTimeout(function () {
        writeEvent(String(ev.Message || ''), ev.Kind);
        next();
      }, delayMs);
    }
    next();
  }

  function formBody(fields) {
    return new URLSearchParams(fields).toString();
  }

  async function run() {
    if (compiling) return;
    compiling = true;
    stopPlayback();
    runBtn.disabled = true;
    runBtn.setAttribute('aria-busy', 'true');
    clearOutput();
    setStatus('');
    write('Waiting for remote server...', 'system');
    try {
      var resp = await fetch(api('/compile'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: formBody({ version: '2', body: editor.getValue(), withVet: 'true' }),
      });
      var text = await resp.text();
      if (!resp.ok) {
        showError(httpErrorText(resp, text));
        return;
      }
      var res;
      try {
        res = JSON.parse(text);
      } catch (_e) {
        showError('The server sent an answer that is not JSON:\n' + text);
        return;
      }
      var backend = resp.headers.get('X-Playground-Backend');
      setStatus(backend ? 'ran on ' + backend : '');
      clearOutput();
      if (res.Errors) {
        write(res.Errors, 'stderr');
        return;
      }
      if (res.VetErrors) {
        write(res.VetErrors, 'stderr');
        write('Go vet exited.\n\n', 'system');
      }
      playback(res);
    } catch (err) {
      showError('Error communicating with remote server: ' + (err && err.message ? err.message : err));
    } finally {
      compiling = false;
      runBtn.disabled = false;
      runBtn.removeAttribute('aria-busy');
    }
  }

  // ---- format ---------------------------------------------------------------------------

  var outputHoldsFmtError = false;

  async function format() {
    fmtBtn.disabled = true;
    try {
      var resp = await fetch(api('/fmt'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: formBody({ body: editor.getValue(), imports: importsBox.checked ? 'true' : '' }),
      });
      var text = await resp.text();
      if (!resp.ok) {
        stopPlayback();
        showError(httpErrorText(resp, text));
        outputHoldsFmtError = true;
        return;
      }
      var res = JSON.parse(text);
      if (res.Error) {
        stopPlayback();
        showError(res.Error);
        outputHoldsFmtError = true;
        return;
      }
      if (typeof res.Body === 'string' && res.Body !== editor.getValue()) {
        replaceKeepingView(res.Body);
      }
      // A stale formatting error would now be misleading; a run's output is left alone.
      if (outputHoldsFmtError) {
        clearOutput();
        outputHoldsFmtError = false;
      }
    } catch (err) {
      showError('Error communicating with remote server: ' + (err && err.message ? err.message : err));
      outputHoldsFmtError = true;
    } finally {
      fmtBtn.disabled = false;
    }
  }

  // Formatting rewrites the whole buffer; keeping cursor and scroll where they were stops
  // the view from jumping to the top each time. The change stays undoable.
  function replaceKeepingView(text) {
    var cursor = editor.getCursor();
    var scroll = editor.getScrollInfo();
    editor.setValue(text);
    editor.setCursor(cursor);
    editor.scrollTo(scroll.left, scroll.top);
  }

  // ---- share ----------------------------------------------------------------------------

  async function share() {
    shareBtn.disabled = true;
    try {
      var resp = await fetch(api('/share'), {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: editor.getValue(),
      });
      var text = await resp.text();
      if (!resp.ok) {
        stopPlayback();
        showError(httpErrorText(resp, text));
        return;
      }
      var id = text.trim();
      var path = '/p/' + encodeURIComponent(id);
      shareURL.value = location.origin + withVersion(path);
      shareURL.hidden = false;
      shareURL.focus();
      shareURL.select();
      if (location.pathname !== path) history.pushState({ snippet: id }, '', withVersion(path));
    } catch (err) {
      showError('Error communicating with remote server: ' + (err && err.message ? err.message : err));
    } finally {
      shareBtn.disabled = false;
    }
  }

  // ---- loading code ---------------------------------------------------------------------

  function loadCode(text) {
    stopPlayback();
    clearOutput();
    setStatus('');
    editor.setValue(text);
    editor.setCursor(0, 0);
  }

  async function fetchText(url) {
    var resp = await fetch(url, { headers: { Accept: 'text/plain' } });
    var text = await resp.text();
    if (!resp.ok) throw new Error(httpErrorText(resp, text));
    return text;
  }

  async function loadSnippet(id) {
    try {
      loadCode(await fetchText('/p/' + encodeURIComponent(id) + '.go'));
      examplesSel.value = '';
    } catch (err) {
      showError(err.message);
    }
  }

  async function loadExample(name) {
    try {
      loadCode(await fetchText('/doc/play/' + encodeURIComponent(name) + '.txt'));
      examplesSel.value = name;
      shareURL.hidden = true;
      // The address named a shared snippet; after an example replaced it, it no longer does.
      if (SNIPPET_PATH.test(location.pathname)) history.pushState(null, '', withVersion('/'));
    } catch (err) {
      showError(err.message);
    }
  }

  function loadFromLocation() {
    var m = SNIPPET_PATH.exec(location.pathname);
    if (initialCode !== '') {
      if (!m) examplesSel.value = 'hello'; // the page at / carries the hello example
      return;
    }
    if (m) return loadSnippet(m[1]);
    return loadExample('hello');
  }

  // Only snippet addresses are restored on back/forward: going back to "/" must not throw
  // away whatever the user has typed since.
  window.addEventListener('popstate', function () {
    var m = SNIPPET_PATH.exec(location.pathname);
    if (m) loadSnippet(m[1]);
  });

  runBtn.addEventListener('click', function () { run(); });
  fmtBtn.addEventListener('click', function () { format(); });
  shareBtn.addEventListener('click', function () { share(); });
  versionSel.addEventListener('change', function () {
    history.replaceState(history.state, '', withVersion(location.pathname));
  });
  examplesSel.addEventListener('change', function () {
    if (examplesSel.value) loadExample(examplesSel.value);
  });
  // The menu keeps naming the loaded example (so arrow keys on it step through the list)
  // until the code is edited; then it falls back to the placeholder, and choosing the same
  // example again reloads it.
  editor.on('change', function (_cm, change) {
    if (change.origin !== 'setValue') examplesSel.value = '';
  });

  loadFromLocation();
})();
