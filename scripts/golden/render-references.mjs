#!/usr/bin/env node
// Renders the golden references of tests/golden/cases.json with sharp, the library Pixelbin's t.* operations
// mirror. The mapping from each Pixelbin operation to sharp calls below is written from the URL spec
// (docs/pixelbin-url-spec.md §3) and sharp's documentation, independently of CdnProxy's C# code.
//
//   node scripts/golden/render-references.mjs            # installs sharp (npm ci), renders every case
//   node scripts/golden/render-references.mjs --inputs   # also re-derives tests/golden/inputs/ from the originals
//   node scripts/golden/render-references.mjs NAME...    # renders only the named cases (the manifest keeps the rest)
//
// Output: tests/golden/refs/<case>.png (decoded pixels, lossless) and tests/golden/refs/manifest.json (format,
// size, channels, alpha and density of sharp's encoded output for each case).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const goldenDir = path.join(root, 'tests', 'golden');
const inputsDir = path.join(goldenDir, 'inputs');
const refsDir = path.join(goldenDir, 'refs');

function installSharp() {
  const pinned = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies.sharp;
  const installed = path.join(here, 'node_modules', 'sharp', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === pinned) return;
  console.error(`[golden] npm ci (sharp ${pinned}) in scripts/golden`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: here, stdio: 'inherit' });
}

installSharp();
const sharp = createRequire(import.meta.url)('sharp');
sharp.cache(false);
sharp.concurrency(1);

// ------------------------------------------------------------------------------------------------ inputs
// Small images derived from the committed permissive originals (see tests/golden/inputs/LICENSES.md).
const inputRecipes = {
  'photo.png': () => sharp(path.join(root, 'samples/photo-3mp-flower.jpg')).resize({ width: 120 }).png(),
  'photo.jpg': () => sharp(path.join(root, 'samples/photo-3mp-flower.jpg')).resize({ width: 120 }).jpeg({ quality: 90 }),
  'tulips.png': () => sharp(path.join(root, 'samples/alpha-500-tulips.png')).resize({ width: 100 }).png(),
  'rose.webp': () => sharp(path.join(root, 'samples/rose-lossy-alpha.webp')).resize({ width: 160 }).webp({ quality: 90 }),
  'badge.png': () => sharp(path.join(root, 'samples/alpha-500-tulips.png')).resize({ width: 48 }).png(),
  // Copied byte for byte: these test the decoder's colour handling, so they must stay as they are.
  'grey.jpg': 'tests/assets/images/edge/gray.jpeg',
  'cmyk.jpg': 'samples/cmyk-video001.jpeg',
  // The greyscale JPEG as three equal sRGB bands, for references where sharp would keep a greyscale input grey.
  'grey-rgb.png': () => sharp(path.join(root, 'tests/assets/images/edge/gray.jpeg')).toColourspace('srgb').png(),
  // A photo inside a flat off-white frame of uneven width, for t.trim.
  'framed.png': () => sharp(path.join(root, 'samples/photo-3mp-flower.jpg')).resize({ width: 100 })
    .extend({ top: 12, left: 20, bottom: 7, right: 15, background: '#f4f1ea' }).png(),
};

async function deriveInputs() {
  mkdirSync(inputsDir, { recursive: true });
  for (const [name, recipe] of Object.entries(inputRecipes)) {
    const target = path.join(inputsDir, name);
    if (typeof recipe === 'string') {
      writeFileSync(target, readFileSync(path.join(root, recipe)));
    } else {
      await recipe().toFile(target);
    }
    console.error(`[golden] input ${name}`);
  }
}

// ------------------------------------------------------------------------------------------------ pattern
/** `t.resize(w:10,h:20)~t.flip()` → [{ op: 'resize', args: { w: '10', h: '20' } }, { op: 'flip', args: {} }] */
function parsePattern(pattern) {
  return pattern.split('~').map((call) => {
    const m = /^t\.(\w+)\((.*)\)$/.exec(call);
    if (!m) throw new Error(`not a t.* call: ${call}`);
    const args = {};
    let depth = 0;
    let current = '';
    const flush = () => {
      if (!current) return;
      const at = current.indexOf(':');
      args[current.slice(0, at)] = current.slice(at + 1);
      current = '';
    };
    for (const ch of m[2]) {
      if (ch === '[') depth++;
      if (ch === ']') depth--;
      if (ch === ',' && depth === 0) flush(); else current += ch;
    }
    flush();
    return { op: m[1], args };
  });
}

const num = (args, key, fallback) => (args[key] === undefined ? fallback : Number(args[key]));

/** RRGGBB or RRGGBBAA → sharp colour object. */
function colour(hex) {
  const v = (i) => parseInt(hex.slice(i, i + 2), 16);
  return { r: v(0), g: v(2), b: v(4), alpha: hex.length === 8 ? v(6) / 255 : 1 };
}

const positions = {
  center: 'centre', top: 'top', bottom: 'bottom', left: 'left', right: 'right',
  right_top: 'right top', right_bottom: 'right bottom', left_top: 'left top', left_bottom: 'left bottom',
};
const borders = { constant: 'background', replicate: 'copy', reflect: 'mirror', wrap: 'repeat' };
const qualityWords = { best: 90, good: 80, eco: 65, low: 50 };

/** Splits `[[a_b_c_d]_[e_f_g_h]]` into [[a,b,c,d],[e,f,g,h]] (numbers), one level of nesting per call. */
function splitList(text) {
  const inner = text.trim().slice(1, -1);
  const items = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '[') { if (depth === 0) start = i; depth++; }
    if (inner[i] === ']') { depth--; if (depth === 0) items.push(inner.slice(start, i + 1)); }
  }
  return items;
}

// ------------------------------------------------------------------------------------------------ operations
// Every step starts a fresh sharp pipeline (sharp reorders the operations of one pipeline; Pixelbin applies
// a chain left to right). A step returns a sharp instance; `state` carries the output format, quality and density.
const operations = {
  resize(img, a, s) {
    const dpr = num(a, 'dpr', 1) * s.dpr;
    const size = (key) => (num(a, key, 0) > 0 ? Math.round(num(a, key, 0) * dpr) : undefined);
    const [width, height] = [size('w'), size('h')];
    // Spec §3.1: with one side only, the other keeps the aspect ratio and `f` does not matter. sharp agrees for
    // every fit but `fill`, where its code keeps the other side's size (its docs say it auto-scales), so `fit`
    // is passed only with both sides.
    const fit = width !== undefined && height !== undefined ? a.f ?? 'cover' : undefined;
    return img.resize({
      width, height, fit, position: positions[a.p ?? 'center'],
      kernel: a.k ?? 'lanczos3', background: colour(a.b ?? '000000'),
    });
  },
  flip: (img) => img.flip(),
  flop: (img) => img.flop(),
  rotate: (img, a) => img.rotate(num(a, 'a', 0), { background: colour(a.b ?? '000000') }),
  extract(img, a) {
    const [top, left, height, width] = a.bbox
      ? a.bbox.split('_').map(Number)
      : [num(a, 't', 10), num(a, 'l', 10), num(a, 'h', 50), num(a, 'w', 20)];
    return img.extract({ left, top, width, height });
  },
  extend(img, a, s) {
    const dpr = num(a, 'dpr', 1) * s.dpr;
    const pad = (key) => Math.round(num(a, key, 10) * dpr);
    return img.extend({
      top: pad('t'), left: pad('l'), bottom: pad('b'), right: pad('r'),
      background: colour(a.bc ?? '000000'), extendWith: borders[a.bt ?? 'constant'],
    });
  },
  trim: (img, a) => img.trim({ threshold: num(a, 't', 10) }),
  flatten: (img, a) => img.flatten({ background: colour(a.b ?? '000000') }),
  sharpen: (img, a) => img.sharpen({ sigma: num(a, 's', 1.5) }),
  median: (img, a) => img.median(num(a, 's', 3)),
  blur: (img, a, s) => img.blur(num(a, 's', 0.3) * num(a, 'dpr', 1) * s.dpr),
  negate: (img) => img.negate(),
  normalise: (img) => img.normalise(),
  linear: (img, a) => img.linear(num(a, 'a', 1), num(a, 'b', 0)),
  modulate: (img, a) => img.modulate({ brightness: num(a, 'b', 1), saturation: num(a, 's', 1), hue: num(a, 'h', 90) }),
  grey: (img) => img.greyscale(),
  tint: (img, a) => img.tint(colour(a.c ?? '000000')),
  toFormat(img, a, s) {
    s.format = a.f ?? 'jpeg';
    s.quality = qualityWords[a.q] ?? num(a, 'q', 75);
    return img;
  },
  compress(img, a, s) {
    s.quality = Math.max(1, num(a, 'q', 80));
    return img;
  },
  density(img, a, s) {
    s.density = num(a, 'd', 300);
    return img;
  },
  merge: (img, a, s) => merge(img, a, s),
};

/** Decodes a file id of the same origin, applies the nested `tr` pattern, and returns the pixels (lossless PNG). */
async function loadOverlay(a) {
  const file = Buffer.from(a.i, 'base64url').toString('utf8');
  const nested = a.tr ? Buffer.from(a.tr, 'base64url').toString('utf8') : null;
  const state = await render(path.join(inputsDir, file), nested);
  return state.pixels;
}

const gravities = {
  northwest: 'northwest', north: 'north', northeast: 'northeast', east: 'east', center: 'centre',
  west: 'west', southwest: 'southwest', south: 'south', southeast: 'southeast',
};

// t.merge: overlay = the second image composited over the base (sharp composite); underlay = beneath it
// (blend dest-over); wrap = the overlay resized (fill) into each bbox `top_left_height_width`, or into each
// polygon's bounding box and masked by the polygon (`[[x_y]_[x_y]_...]`). Without `i`, a `bg` colour box of w×h
// (0 = the base's size).
async function merge(img, a, s) {
  const base = await img.png({ compressionLevel: 0 }).toBuffer();
  const { width, height } = await sharp(base).metadata();
  const mode = a.m ?? 'overlay';
  let overlay;
  if (a.i) {
    overlay = await loadOverlay(a);
  } else {
    const w = num(a, 'w', 0) || width;
    const h = num(a, 'h', 0) || height;
    overlay = await sharp({ create: { width: w, height: h, channels: 4, background: colour(a.bg ?? '00000000') } })
      .png().toBuffer();
  }
  const layers = [];
  if (mode === 'wrap') {
    for (const box of splitList(a.bboxes ?? '[]')) {
      const [top, left, h, w] = box.slice(1, -1).split('_').map(Number);
      const fitted = await sharp(overlay).resize({ width: w, height: h, fit: 'fill' }).png().toBuffer();
      layers.push({ input: fitted, top, left, blend: a.b ?? 'over' });
    }
    for (const poly of splitList(a.polys ?? '[]')) {
      const points = splitList(poly).map((p) => p.slice(1, -1).split('_').map(Number));
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const left = Math.min(...xs);
      const top = Math.min(...ys);
      const w = Math.max(...xs) - left;
      const h = Math.max(...ys) - top;
      const outline = points.map(([x, y]) => `${x - left},${y - top}`).join(' ');
      const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><polygon points="${outline}" fill="#fff"/></svg>`);
      const fitted = await sharp(overlay).resize({ width: w, height: h, fit: 'fill' }).ensureAlpha()
        .composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
      layers.push({ input: fitted, top, left, blend: a.b ?? 'over' });
    }
  } else {
    const layer = { input: overlay, tile: a.r === 'true' };
    layer.blend = mode === 'underlay' ? 'dest-over' : (a.b ?? 'over');
    const gravity = a.g ?? 'center';
    if (gravity === 'custom') {
      layer.top = num(a, 't', 0);
      layer.left = num(a, 'l', 0);
    } else {
      layer.gravity = gravities[gravity];
    }
    layers.push(layer);
  }
  s.format = s.format ?? 'png';
  return sharp(base).composite(layers);
}

// ------------------------------------------------------------------------------------------------ rendering
async function render(file, pattern, dpr = 1) {
  const meta = await sharp(file).metadata();
  const state = { format: meta.format, quality: undefined, density: undefined, dpr };
  // The first step runs on the file itself, as sharp would (shrink-on-load for JPEG/WebP resizes); each later
  // step starts from the previous step's pixels, passed on as an uncompressed PNG (8-bit, alpha and greyscale kept:
  // sharp's raw output drops the alpha of a greyscale image).
  let pixels = null;
  for (const step of pattern ? parsePattern(pattern) : []) {
    const fn = operations[step.op];
    if (!fn) throw new Error(`no sharp mapping for t.${step.op}`);
    const img = await fn(sharp(pixels ?? file), step.args, state);
    pixels = await img.png({ compressionLevel: 0 }).toBuffer();
  }
  state.pixels = pixels ?? await sharp(file).png({ compressionLevel: 0 }).toBuffer();
  return state;
}

async function encode(state) {
  let img = sharp(state.pixels);
  if (state.density !== undefined) img = img.withMetadata({ density: state.density });
  const format = state.format;
  // Quality applies to the lossy encoders only: sharp's PNG and GIF `quality` would switch to palette output.
  const lossless = format === 'png' || format === 'gif';
  const options = state.quality === undefined || lossless ? {} : { quality: state.quality };
  const encoded = await img.toFormat(format === 'avif' ? 'avif' : format, options).toBuffer();
  return { encoded, format };
}

async function renderCase(c) {
  const state = await render(path.join(inputsDir, c.referenceInput ?? c.input), c.reference ?? c.pattern, c.dpr ?? 1);
  const { encoded, format } = await encode(state);
  const meta = await sharp(encoded).metadata();
  // The decoded pixels as a lossless PNG, compressed hard to keep the committed references small.
  await sharp(encoded).png({ compressionLevel: 9, adaptiveFiltering: true }).toFile(path.join(refsDir, `${c.name}.png`));
  return {
    format, width: meta.width, height: meta.height, channels: meta.channels, hasAlpha: meta.hasAlpha,
    ...(state.density !== undefined ? { density: meta.density ?? null } : {}),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--inputs')) await deriveInputs();
  const table = JSON.parse(readFileSync(path.join(goldenDir, 'cases.json'), 'utf8'));
  const only = argv.filter((x) => !x.startsWith('--'));
  const manifestPath = path.join(refsDir, 'manifest.json');
  mkdirSync(refsDir, { recursive: true });
  const previous = only.length && existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')).cases : {};
  if (!only.length) for (const f of readdirSync(refsDir)) rmSync(path.join(refsDir, f));
  const names = new Set();
  const cases = {};
  for (const c of table.cases) {
    if (names.has(c.name)) throw new Error(`duplicate case ${c.name}`);
    names.add(c.name);
    if (only.length && !only.includes(c.name)) {
      if (previous[c.name]) cases[c.name] = previous[c.name];
      continue;
    }
    cases[c.name] = await renderCase(c);
    console.error(`[golden] ${c.name}: ${JSON.stringify(cases[c.name])}`);
  }
  const manifest = { sharp: sharp.versions.sharp, libvips: sharp.versions.vips, cases };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  console.error(`[golden] ${Object.keys(cases).length} references in ${path.relative(root, refsDir)}`);
}

await main();
