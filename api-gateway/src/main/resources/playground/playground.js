'use strict';
// The r-runner playground. Everything a script prints is inserted as text (textContent, text nodes), never as
// markup, so a script printing HTML shows the HTML. The token is kept in sessionStorage and sent as a header.

const TOKEN_KEY = 'rrunner.playground.token';
const EXAMPLES = {
  'Hello': 'cat("hello from R", R.version.string, "\\n")',
  'A plot': 'png("scatter.png", width = 640, height = 480)\nplot(mtcars$wt, mtcars$mpg, pch = 19,\n  xlab = "weight", ylab = "miles per gallon")\ninvisible(dev.off())\ncat("wrote scatter.png\\n")',
  'A model': 'fit <- lm(mpg ~ wt + hp, data = mtcars)\nprint(summary(fit))',
  'Streaming output': 'for (i in 1:3) {\n  cat("line", i, "\\n")\n  Sys.sleep(1)\n}',
  'A CSV file': 'write.csv(head(iris, 10), "iris-head.csv", row.names = FALSE)\ncat("wrote iris-head.csv\\n")',
  'Read an input file': '# attach a CSV under "Limits and input files" first\nfiles <- list.files(recursive = TRUE)\nprint(files)\nif (length(files)) print(head(read.csv(files[[1]])))',
  'An error': 'cat("about to fail\\n")\nstop("boom")',
};

const $ = (id) => document.getElementById(id);
const el = {
  token: $('token'), example: $('example'), environment: $('environment'), script: $('script'),
  timeout: $('timeout'), memory: $('memory'), cpus: $('cpus'), files: $('files'),
  run: $('run'), cancel: $('cancel'), status: $('status'), exitCode: $('exit-code'), jobId: $('job-id'),
  problem: $('problem'), stdout: $('stdout'), stderr: $('stderr'), plots: $('plots'),
  downloads: $('downloads'), timings: $('timings'),
};

let current = null; // {id, controller} of the job being followed
let objectUrls = [];

function authHeaders(extra) {
  return Object.assign({ Authorization: 'Bearer ' + el.token.value.trim() }, extra || {});
}

function setStatus(state, text) {
  el.status.dataset.state = state;
  el.status.textContent = text || state;
}

function showProblem(text) {
  el.problem.hidden = !text;
  el.problem.textContent = text || '';
}

async function problemText(response) {
  let detail = '';
  try {
    const problem = await response.json();
    detail = [problem.title, problem.detail].filter(Boolean).join(': ');
  } catch (notJson) {
    detail = response.statusText;
  }
  return response.status + ' ' + detail;
}

function clearOutput() {
  objectUrls.forEach((url) => URL.revokeObjectURL(url));
  objectUrls = [];
  for (const node of [el.stdout, el.stderr, el.plots, el.downloads, el.timings]) {
    node.replaceChildren();
  }
  el.exitCode.textContent = '';
  el.jobId.textContent = '';
  showProblem('');
}

function append(target, text) {
  target.appendChild(document.createTextNode(text));
  target.scrollTop = target.scrollHeight;
}

function base64ToBytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function bytesToBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function inputFiles() {
  const files = [];
  for (const file of el.files.files) {
    files.push({ path: file.name, content: bytesToBase64(await file.arrayBuffer()), encoding: 'base64' });
  }
  return files;
}

async function requestBody() {
  const body = { script: el.script.value };
  if (el.environment.value) {
    body.environment = el.environment.value;
  }
  const limits = {};
  if (el.timeout.value) limits.timeout_seconds = Number(el.timeout.value);
  if (el.memory.value) limits.memory_mb = Number(el.memory.value);
  if (el.cpus.value) limits.cpus = Number(el.cpus.value);
  if (Object.keys(limits).length) {
    body.limits = limits;
  }
  const files = await inputFiles();
  if (files.length) {
    body.files = files;
  }
  return body;
}

function showArtifacts(result) {
  for (const artifact of result.artifacts || []) {
    const bytes = artifact.encoding === 'base64' ? base64ToBytes(artifact.content) : artifact.content;
    const url = URL.createObjectURL(new Blob([bytes], { type: artifact.mime_type }));
    objectUrls.push(url);
    if (/^image\/(png|jpeg|gif|webp|svg\+xml)$/.test(artifact.mime_type)) {
      const figure = document.createElement('figure');
      const image = document.createElement('img');
      image.src = url;
      image.alt = artifact.filename;
      const caption = document.createElement('figcaption');
      caption.textContent = artifact.filename;
      figure.append(image, caption);
      el.plots.appendChild(figure);
    } else {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = url;
      link.download = artifact.filename.split('/').pop();
      link.textContent = artifact.filename + ' (' + artifact.mime_type + ')';
      item.appendChild(link);
      el.downloads.appendChild(item);
    }
  }
}

/** "queue;dur=12.3, acquire;dur=4.0;desc="warm"" as rows of the timings list. */
function showTimings(header) {
  if (!header) {
    return;
  }
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    const desc = params.find((p) => p.startsWith('desc='));
    const term = document.createElement('dt');
    term.textContent = name;
    const value = document.createElement('dd');
    value.textContent = (dur ? dur.slice(4) + ' ms' : '') + (desc ? ' ' + desc.slice(5).replace(/"/g, '') : '');
    el.timings.append(term, value);
  }
}

function handleEvent(type, data) {
  if (type === 'stdout') {
    append(el.stdout, data.data);
  } else if (type === 'stderr') {
    append(el.stderr, data.data);
  } else if (type === 'started') {
    setStatus('running');
  } else if (type === 'queued') {
    if (data.data === 'retry') {
      // a failed attempt's output is not the result's: the retry's events start over
      el.stdout.replaceChildren();
      el.stderr.replaceChildren();
    }
    setStatus('queued', data.data === 'retry' ? 'queued (retry)' : 'queued');
  } else if (type === 'error') {
    setStatus('error');
    showProblem(data.status + ' ' + (data.detail || ''));
  }
}

/** Reads the job's events as Server-Sent Events through fetch: EventSource can't send the token. */
async function follow(id, signal) {
  const response = await fetch('/jobs/' + encodeURIComponent(id) + '/events',
    { headers: authHeaders({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) {
    throw new Error(await problemText(response));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) {
        handleEvent(type, JSON.parse(data.join('\n')));
        if (type === 'result' || type === 'error') {
          return;
        }
      }
    }
  }
}

async function finish(id) {
  const response = await fetch('/jobs/' + encodeURIComponent(id), { headers: authHeaders() });
  if (!response.ok) {
    throw new Error(await problemText(response));
  }
  const job = await response.json();
  setStatus(job.status);
  if (job.result) {
    el.exitCode.textContent = 'exit code ' + job.result.exit_code;
    showArtifacts(job.result);
  }
  showTimings(response.headers.get('Server-Timing'));
}

async function run() {
  if (current) {
    return;
  }
  clearOutput();
  sessionStorage.setItem(TOKEN_KEY, el.token.value.trim());
  el.run.disabled = true;
  setStatus('queued', 'submitting');
  const controller = new AbortController();
  try {
    const response = await fetch('/jobs', {
      method: 'POST', headers: authHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(await requestBody()),
    });
    if (!response.ok) {
      setStatus('error', 'refused');
      showProblem(await problemText(response));
      return;
    }
    const job = await response.json();
    current = { id: job.id, controller };
    el.jobId.textContent = job.id;
    el.cancel.disabled = false;
    setStatus(job.status);
    await follow(job.id, controller.signal);
    await finish(job.id);
  } catch (error) {
    setStatus('error');
    showProblem(String(error.message || error));
  } finally {
    current = null;
    el.run.disabled = false;
    el.cancel.disabled = true;
  }
}

async function cancel() {
  if (!current) {
    return;
  }
  el.cancel.disabled = true;
  const response = await fetch('/jobs/' + encodeURIComponent(current.id), { method: 'DELETE', headers: authHeaders() });
  if (response.ok) {
    setStatus((await response.json()).status);
  } else {
    showProblem(await problemText(response));
  }
}

/** Tab indents (Shift-Tab outdents) the line or selection by two spaces; Ctrl/Cmd-Enter runs. */
function onEditorKey(event) {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    event.preventDefault();
    run();
    return;
  }
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  event.preventDefault();
  const area = el.script;
  const { selectionStart: start, selectionEnd: end, value } = area;
  const lineStart = value.lastIndexOf('\n', start - 1) + 1;
  if (!event.shiftKey && start === end) {
    area.setRangeText('  ', start, end, 'end');
    return;
  }
  const block = value.slice(lineStart, end);
  const changed = event.shiftKey ? block.replace(/^ {1,2}/gm, '') : block.replace(/^/gm, '  ');
  area.setRangeText(changed, lineStart, end, 'select');
}

async function loadEnvironments() {
  if (!el.token.value.trim()) {
    return;
  }
  try {
    const response = await fetch('/environments', { headers: authHeaders() });
    if (!response.ok) {
      return;
    }
    const listing = await response.json();
    const environments = Array.isArray(listing) ? listing : listing.environments || [];
    const options = [new Option('default', '')];
    for (const environment of environments) {
      options.push(new Option(environment.name + (environment.status ? ' (' + environment.status + ')' : ''),
        environment.name));
    }
    el.environment.replaceChildren(...options);
  } catch (unreachable) {
    // the picker keeps "default": runs still work without it
  }
}

function init() {
  for (const name of Object.keys(EXAMPLES)) {
    el.example.appendChild(new Option(name, name));
  }
  el.example.addEventListener('change', () => { el.script.value = EXAMPLES[el.example.value]; });
  el.script.value = EXAMPLES.Hello;
  el.token.value = sessionStorage.getItem(TOKEN_KEY) || '';
  // why input, not change: a token pasted and run at once never blurs the field, and the picker would stay on
  // "default"; the pause keeps a typed token from asking once per keystroke
  let typing;
  el.token.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      sessionStorage.setItem(TOKEN_KEY, el.token.value.trim());
      loadEnvironments();
    }, 300);
  });
  el.script.addEventListener('keydown', onEditorKey);
  el.run.addEventListener('click', run);
  el.cancel.addEventListener('click', cancel);
  loadEnvironments();
}

init();
