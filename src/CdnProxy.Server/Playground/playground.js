// The CdnProxy playground. Everything it knows about operations and their arguments comes from GET /api/v1/catalog,
// which the server builds from its own binders: nothing here lists operations, keys, ranges or defaults.

const $ = (id) => document.getElementById(id);

const state = {
  operations: new Map(), // name → the catalogue's description
  steps: [], // { operation, values: Map(key → text as typed) }
  manualPattern: null, // a pattern typed by hand that the form cannot show (presets, unknown operations)
  previewController: null,
  beforeController: null,
  beforeKey: null,
  previewObjectUrl: null,
  beforeObjectUrl: null,
  fileSizes: new Map(), // path → bytes of the listed file, to show beside what "original" serves
  timer: 0,
};

const DEBOUNCE_MS = 300;
const GALLERY_SIZE = 24;

// ---- start ---------------------------------------------------------------------------------------------------

async function main() {
  let catalog;
  let clouds;
  try {
    [catalog, clouds] = await Promise.all([getJson('/api/v1/catalog'), getJson('/api/v1/clouds')]);
  } catch (error) {
    showError({ code: 'playground', message: `The catalogue could not be loaded: ${error.message}` });
    return;
  }

  for (const operation of catalog.operations) {
    state.operations.set(operation.name, operation);
    $('add-step').append(new Option(operation.name, operation.name));
  }

  for (const cloud of clouds.clouds) {
    $('clouds').append(new Option(cloud));
  }
  $('cloud').value = clouds.clouds[0] ?? '';

  $('cloud').addEventListener('change', async () => { await loadFiles(); schedule(); });
  $('file').addEventListener('input', () => { markChosen(); schedule(); });
  $('add-step').addEventListener('change', () => {
    const operation = state.operations.get($('add-step').value);
    $('add-step').value = '';
    if (operation) {
      addStep(operation, new Map());
    }
  });
  $('pattern').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      loadPattern($('pattern').value.trim());
    }
  });
  $('f-auto').addEventListener('change', schedule);
  $('dpr').addEventListener('input', schedule);
  $('copy').addEventListener('click', copyUrl);

  await loadFiles();
  renderSteps();
  schedule();
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return response.json();
}

// ---- the source image ------------------------------------------------------------------------------------------

async function loadFiles() {
  const cloud = $('cloud').value.trim();
  const note = $('listing-note');
  $('files').replaceChildren();
  $('gallery').replaceChildren();
  note.hidden = true;
  if (!cloud) {
    return;
  }

  let listing;
  try {
    listing = await getJson(`/api/v1/clouds/${encodeURIComponent(cloud)}/files`);
  } catch {
    note.textContent = 'This cloud cannot be listed: type the path of one of its images.';
    note.hidden = false;
    return;
  }

  state.fileSizes = new Map(listing.files.map((file) => [file.path, file.bytes]));
  for (const file of listing.files) {
    $('files').append(new Option(file.path));
  }
  if (listing.truncated) {
    note.textContent = `Showing the first ${listing.files.length} images.`;
    note.hidden = false;
  }
  if (!listing.files.some((file) => file.path === $('file').value)) {
    $('file').value = listing.files[0]?.path ?? '';
  }

  for (const file of listing.files.slice(0, GALLERY_SIZE)) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'thumb';
    button.title = file.path;
    button.dataset.path = file.path;
    const image = document.createElement('img');
    image.loading = 'lazy';
    image.alt = file.path;
    image.src = imagePath(cloud, 't.resize(w:96,h:72,f:cover)', file.path);
    button.append(image);
    button.addEventListener('click', () => {
      $('file').value = file.path;
      markChosen();
      schedule();
    });
    $('gallery').append(button);
  }
  markChosen();
}

function markChosen() {
  for (const button of $('gallery').querySelectorAll('.thumb')) {
    button.setAttribute('aria-pressed', String(button.dataset.path === $('file').value.trim()));
  }
}

// ---- the chain -------------------------------------------------------------------------------------------------

function addStep(operation, values) {
  state.manualPattern = null;
  state.steps.push({ operation, values });
  renderSteps();
  schedule();
}

function renderSteps() {
  const list = $('steps');
  list.replaceChildren(...state.steps.map(renderStep));
  $('no-steps').hidden = state.steps.length > 0 || state.manualPattern !== null;
  $('pattern').value = currentPattern();
}

function renderStep(step, index) {
  const item = document.createElement('li');
  item.className = 'step';
  item.dataset.operation = step.operation.name;

  const header = document.createElement('div');
  header.className = 'step-header';
  const title = document.createElement('code');
  title.textContent = step.operation.name;
  header.append(title,
    stepButton('↑', `Move ${step.operation.name} up`, index === 0, () => moveStep(index, -1)),
    stepButton('↓', `Move ${step.operation.name} down`, index === state.steps.length - 1, () => moveStep(index, 1)),
    stepButton('✕', `Remove ${step.operation.name}`, false, () => removeStep(index)));
  item.append(header);

  if (step.operation.arguments.length > 0) {
    const fields = document.createElement('div');
    fields.className = 'fields';
    for (const argument of step.operation.arguments) {
      fields.append(renderField(step, argument, index));
    }
    item.append(fields);
  }
  return item;
}

function stepButton(text, label, disabled, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = text;
  button.title = label;
  button.setAttribute('aria-label', label);
  button.disabled = disabled;
  button.addEventListener('click', action);
  return button;
}

function moveStep(index, by) {
  const [step] = state.steps.splice(index, 1);
  state.steps.splice(index + by, 0, step);
  renderSteps();
  schedule();
}

function removeStep(index) {
  state.steps.splice(index, 1);
  renderSteps();
  schedule();
}

/** One argument's field, made from its description: type, range, choices and default. */
function renderField(step, argument, index) {
  const id = `step-${index}-${argument.key}`;
  const field = document.createElement('div');
  field.className = 'field';
  field.dataset.key = argument.key;

  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = argument.key;
  label.title = describe(argument);
  const hint = document.createElement('small');
  hint.textContent = hintOf(argument);

  const input = inputFor(argument);
  input.id = id;
  input.name = argument.key;
  input.value = step.values.get(argument.key) ?? '';
  input.title = describe(argument);
  const message = document.createElement('small');
  message.className = 'field-error';

  const changed = () => {
    const value = input.value.trim();
    if (value === '') {
      step.values.delete(argument.key);
    } else {
      step.values.set(argument.key, value);
    }
    validateField(input, argument);
    state.manualPattern = null;
    $('pattern').value = currentPattern();
    schedule();
  };
  input.addEventListener('input', changed);
  input.addEventListener('change', changed);

  field.append(label, hint, input);
  if (argument.type === 'colour') {
    field.append(colourPicker(input, changed));
  }
  field.append(message);
  return field;
}

function inputFor(argument) {
  if (argument.type === 'choice' || argument.type === 'boolean') {
    const select = document.createElement('select');
    select.append(new Option(`default (${argument.default})`, ''));
    for (const choice of argument.choices) {
      select.append(new Option(choice, choice));
    }
    return select;
  }

  const input = document.createElement('input');
  input.autocomplete = 'off';
  input.spellcheck = false;
  if (argument.type === 'integer' || argument.type === 'number') {
    input.type = 'number';
    input.min = String(argument.min);
    input.max = String(argument.max);
    input.step = argument.type === 'integer' ? '1' : 'any';
  } else if (argument.type === 'colour') {
    input.pattern = '[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?';
  } else if (argument.type === 'quality') {
    input.pattern = `(\\d{1,3}|${Object.keys(argument.words).join('|')})`;
  }
  input.placeholder = placeholderOf(argument);
  return input;
}

function colourPicker(input, changed) {
  const picker = document.createElement('input');
  picker.type = 'color';
  picker.title = 'Pick a colour (its alpha stays as typed)';
  const sync = () => {
    const text = input.value || input.placeholder;
    if (/^[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/.test(text)) {
      picker.value = `#${text.slice(0, 6).toLowerCase()}`;
    }
  };
  sync();
  input.addEventListener('input', sync);
  picker.addEventListener('input', () => {
    input.value = picker.value.slice(1) + input.value.slice(6, 8);
    changed();
  });
  return picker;
}

function placeholderOf(argument) {
  switch (argument.type) {
    case 'fileId': return 'path/of/an/image.png (sent as base64)';
    case 'pattern': return 't.resize(w:100)~t.flip() (sent as base64)';
    case 'boundingBox': return 'top_left_height_width';
    case 'boundingBoxList': return '[[top_left_height_width]_...]';
    case 'polygonList': return '[[[x_y]_[x_y]_[x_y]]_...]';
    default: return argument.default ?? '';
  }
}

function hintOf(argument) {
  switch (argument.type) {
    case 'integer':
    case 'number':
      return `${argument.min} to ${argument.max}${argument.modulo ? ` (mod ${argument.modulo})` : ''}`;
    case 'quality':
      return `${argument.min} to ${argument.max} or ${Object.keys(argument.words).join(', ')}`;
    case 'colour':
      return 'RRGGBB or RRGGBBAA';
    default:
      return argument.type;
  }
}

function describe(argument) {
  const parts = [`${argument.key}: ${argument.type}`];
  if (argument.min !== undefined) parts.push(`from ${argument.min} to ${argument.max}`);
  if (argument.choices) parts.push(`one of ${argument.choices.join(', ')}`);
  if (argument.words) parts.push(`or ${Object.keys(argument.words).join(', ')}`);
  parts.push(argument.default !== undefined ? `default ${argument.default}` : 'no default');
  return parts.join(', ');
}

/** Client-side checks from the catalogue; the server checks again and its message is shown in place too. */
function validateField(input, argument) {
  let message = '';
  const value = input.value.trim();
  if (argument.type === 'quality' && /^\d+$/.test(value) && (Number(value) < argument.min || Number(value) > argument.max)) {
    message = `must be from ${argument.min} to ${argument.max}`;
  }
  input.setCustomValidity(message);
  markField(input.closest('.field'), input.checkValidity() ? '' : (message || input.validationMessage));
}

/** Marks a field: 'invalid' (the browser's check; the preview waits for a fix) or 'rejected' (the server's answer). */
function markField(field, message, kind = 'invalid') {
  if (!field) return;
  field.classList.remove('invalid', 'rejected');
  if (message !== '') field.classList.add(kind);
  field.querySelector('.field-error').textContent = message;
}

// ---- pattern text ------------------------------------------------------------------------------------------------

function stepText(step) {
  const parts = [];
  for (const argument of step.operation.arguments) {
    const value = step.values.get(argument.key);
    if (value !== undefined) {
      const encoded = argument.type === 'fileId' || argument.type === 'pattern' ? base64Url(value) : value;
      parts.push(`${argument.key}:${encoded}`);
    }
  }
  return `${step.operation.name}(${parts.join(',')})`;
}

function currentPattern() {
  if (state.manualPattern !== null) {
    return state.manualPattern;
  }
  return state.steps.length === 0 ? 'original' : state.steps.map(stepText).join('~');
}

/** Loads a typed pattern into the form; what the form cannot show (presets, unknown names) is used as typed. */
function loadPattern(text) {
  const note = $('pattern-note');
  note.hidden = true;
  try {
    state.steps = parsePattern(text);
    state.manualPattern = null;
  } catch (error) {
    state.steps = [];
    state.manualPattern = text;
    note.textContent = `Used as typed (${error.message}).`;
    note.hidden = false;
  }
  renderSteps();
  schedule();
}

function parsePattern(text) {
  if (text === '' || text === 'original') {
    return [];
  }
  return text.split('~').map((call) => {
    const match = /^([A-Za-z][\w]*\.[A-Za-z][\w]*)\((.*)\)$/.exec(call);
    const operation = match && state.operations.get(match[1]);
    if (!operation) {
      throw new Error(`the form has no operation for "${call}"`);
    }
    const values = new Map();
    for (const pair of match[2] === '' ? [] : match[2].split(',')) {
      const colon = pair.indexOf(':');
      const key = pair.slice(0, colon);
      const argument = operation.arguments.find((a) => a.key === key);
      if (colon < 1 || !argument) {
        throw new Error(`${operation.name} has no argument "${key}"`);
      }
      const value = pair.slice(colon + 1);
      values.set(key, argument.type === 'fileId' || argument.type === 'pattern' ? fromBase64Url(value) : value);
    }
    return { operation, values };
  });
}

function base64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

// ---- URLs and preview ----------------------------------------------------------------------------------------------

function imagePath(cloud, pattern, file, query = '') {
  // The pattern stays one readable path segment; ':' and ',' need no escaping there.
  const segment = encodeURIComponent(pattern).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `/v2/${encodeURIComponent(cloud)}/${segment}/${path}${query}`;
}

function queryString() {
  const query = new URLSearchParams();
  if ($('f-auto').checked) query.set('f_auto', 'true');
  if ($('dpr').value.trim() !== '') query.set('dpr', $('dpr').value.trim());
  const text = query.toString();
  return text ? `?${text}` : '';
}

function schedule() {
  clearTimeout(state.timer);
  // The preview in flight answers for what the page showed before this change: its error must not mark a field
  // the browser has just marked itself (a late "t.resize: 'w' ..." turned a fresh "invalid" into "rejected").
  state.previewController?.abort();
  state.timer = setTimeout(refresh, DEBOUNCE_MS);
}

async function refresh() {
  const cloud = $('cloud').value.trim();
  const file = $('file').value.trim().replace(/^\/+/, '');
  const pattern = currentPattern();
  $('pattern').value = pattern;
  if (!cloud || !file) {
    showError({ code: 'playground', message: 'Choose a cloud and an image.' });
    return;
  }

  const invalid = document.querySelector('#steps .field.invalid');
  if (invalid) {
    showError({ code: 'invalid_argument', message: `Fix ${invalid.closest('.step').dataset.operation} ${invalid.dataset.key} first.` });
    return;
  }

  const path = imagePath(cloud, pattern, file, queryString());
  $('url').value = new URL(path, location.origin).href;
  $('open').href = path;
  refreshBefore(cloud, file);

  state.previewController?.abort();
  const controller = new AbortController();
  state.previewController = controller;
  $('after').classList.add('loading');
  markPending($('preview'));
  try {
    const result = await fetchImage(path, controller.signal);
    if (controller.signal.aborted) return;
    showTimings(result.timings, result.roundTrip);
    if (!result.ok) {
      showError(result.error);
      return;
    }
    hideError();
    state.previewObjectUrl = swapImage($('preview'), result.blob, state.previewObjectUrl, (image) => {
      $('after-facts').textContent = facts(result, image);
    });
  } catch (error) {
    if (error.name !== 'AbortError') {
      showError({ code: 'network', message: error.message });
    }
  } finally {
    if (state.previewController === controller) {
      $('after').classList.remove('loading');
    }
  }
}

async function refreshBefore(cloud, file) {
  const key = `${cloud}\n${file}`;
  if (state.beforeKey === key) return;
  state.beforeKey = key;
  state.beforeController?.abort();
  const controller = new AbortController();
  state.beforeController = controller;
  markPending($('before-image'));
  try {
    const result = await fetchImage(imagePath(cloud, 'original', file), controller.signal);
    if (controller.signal.aborted) return;
    if (!result.ok) {
      $('before-image').removeAttribute('src');
      $('before-facts').textContent = `${result.error.code}: ${result.error.message}`;
      state.beforeKey = null;
      return;
    }
    state.beforeObjectUrl = swapImage($('before-image'), result.blob, state.beforeObjectUrl, (image) => {
      const stored = state.fileSizes.get(file);
      $('before-facts').textContent = facts(result, image) + (stored === undefined ? '' : ` (the stored file: ${formatBytes(stored)})`);
    });
  } catch (error) {
    if (error.name !== 'AbortError') {
      $('before-facts').textContent = error.message;
      state.beforeKey = null;
    }
  }
}

async function fetchImage(path, signal) {
  const started = performance.now();
  const response = await fetch(path, { signal });
  const timings = parseServerTiming(response.headers.get('Server-Timing'));
  if (!response.ok) {
    let error = { code: `http_${response.status}`, message: response.statusText || 'The request failed' };
    try {
      error = (await response.json()).error ?? error;
    } catch {
      // Not a JSON error body: the status says enough.
    }
    return { ok: false, status: response.status, error, timings, roundTrip: performance.now() - started };
  }
  const blob = await response.blob();
  return {
    ok: true,
    blob,
    type: response.headers.get('Content-Type') ?? blob.type,
    bytes: blob.size,
    timings,
    roundTrip: performance.now() - started,
  };
}

/**
 * The image on screen is the previous request's until the new one has loaded: a load of the previous one still under
 * way must not mark the new one loaded (nor write its facts).
 */
function markPending(image) {
  image.onload = null;
  image.onerror = null;
  image.dataset.loaded = 'pending';
}

function swapImage(image, blob, previousUrl, onLoad) {
  const url = URL.createObjectURL(blob);
  image.onload = () => {
    image.dataset.loaded = 'true';
    onLoad(image);
  };
  image.onerror = () => {
    image.dataset.loaded = 'false';
    onLoad(image);
  };
  image.dataset.loaded = 'pending';
  image.src = url;
  if (previousUrl) URL.revokeObjectURL(previousUrl);
  return url;
}

function facts(result, image) {
  const size = image.naturalWidth > 0 ? `${image.naturalWidth}×${image.naturalHeight}, ` : 'not displayable here, ';
  return `${size}${result.type}, ${formatBytes(result.bytes)}`;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

// ---- Server-Timing ---------------------------------------------------------------------------------------------------

/** "cache;dur=0.2, fetch;dur=3.1" → [{ name, ms }] */
function parseServerTiming(header) {
  if (!header) return [];
  return header.split(',').map((entry) => {
    const [name, ...parameters] = entry.trim().split(';');
    const duration = parameters.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    return { name: name.trim(), ms: duration ? Number(duration.slice(4)) : 0 };
  }).filter((timing) => timing.name !== '');
}

function showTimings(timings, roundTrip) {
  const total = timings.reduce((sum, timing) => sum + timing.ms, 0);
  const bar = $('timing-bar');
  const list = $('timing-list');
  bar.replaceChildren();
  list.replaceChildren();
  timings.forEach((timing, index) => {
    const segment = document.createElement('span');
    segment.className = `segment stage-${index % 8}`;
    segment.dataset.stage = timing.name;
    segment.style.flexGrow = String(Math.max(timing.ms, total / 200));
    segment.title = `${timing.name}: ${timing.ms.toFixed(1)} ms`;
    segment.textContent = timing.name;
    bar.append(segment);

    const item = document.createElement('li');
    item.dataset.stage = timing.name;
    item.dataset.ms = String(timing.ms);
    const swatch = document.createElement('span');
    swatch.className = `swatch stage-${index % 8}`;
    item.append(swatch, `${timing.name} ${timing.ms.toFixed(1)} ms`);
    list.append(item);
  });
  $('timing-total').textContent = timings.length === 0
    ? 'No Server-Timing header on this answer.'
    : `Stages ${total.toFixed(1)} ms; round trip in the browser ${roundTrip.toFixed(1)} ms.`;
}

// ---- errors and the URL -------------------------------------------------------------------------------------------

function showError(error) {
  const box = $('error');
  box.replaceChildren();
  const code = document.createElement('code');
  code.textContent = error.code;
  box.append(code, ` ${error.message}`);
  if (error.column) {
    box.append(` (column ${error.column} of the pattern)`);
  }
  box.hidden = false;
  $('after').classList.add('failed');
  $('preview').removeAttribute('src');
  $('preview').dataset.loaded = 'false';
  $('after-facts').textContent = 'no image';

  // An argument error names its operation and key ("t.resize: 'w' must be ..."): mark those fields as well.
  const named = /^(\w+\.\w+): '(\w+)'/.exec(error.message ?? '');
  if (named) {
    for (const field of document.querySelectorAll(`#steps .step[data-operation="${CSS.escape(named[1])}"] .field[data-key="${CSS.escape(named[2])}"]`)) {
      markField(field, error.message.slice(named[1].length + 2), 'rejected');
    }
  }
}

function hideError() {
  $('error').hidden = true;
  $('after').classList.remove('failed');
  for (const field of document.querySelectorAll('#steps .field.rejected')) {
    markField(field, '');
  }
}

async function copyUrl() {
  const url = $('url');
  try {
    await navigator.clipboard.writeText(url.value);
  } catch {
    url.select();
    document.execCommand('copy');
  }
  $('copy').textContent = 'Copied';
  setTimeout(() => { $('copy').textContent = 'Copy'; }, 1500);
}

main();
