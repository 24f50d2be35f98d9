// Benchmark peer for bench/run.sh: copied unchanged (apart from this header) from the team's reference peer
// servers used to set CdnProxy's performance targets (sharp 0.35.5 / libvips 8.18.7, lockfile alongside).
// bench/run.sh starts it with IMG_ROOT=<repo>/samples PORT=9100 and stops it by PID.
// Minimal sharp-based peer for side-by-side benchmarks.
// GET /resize?w=300&src=NAME  -> reads $IMG_ROOT/NAME from disk on every request,
// resizes to width w (shrink-on-load is automatic in libvips for JPEG/WebP; kernel lanczos3),
// encodes JPEG q80. No caching of any kind (libvips operation cache disabled).
'use strict';
const http = require('http');
const path = require('path');
const sharp = require('sharp');

const ROOT = process.env.IMG_ROOT || require('path').join(__dirname, '..', '..', 'testdata', 'images');
const HOST = process.env.HOST || '127.0.0.1';
const PORT = parseInt(process.env.PORT || '9100', 10);
const AUTOROTATE = process.env.AUTOROTATE === '1'; // off by default: nginx image_filter does not autorotate either

sharp.cache(false);          // no libvips operation cache
// sharp.concurrency() defaults to the number of CPU cores (libvips threads per image);
// requests run concurrently on the libuv threadpool (UV_THREADPOOL_SIZE, default 4).

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (req.method !== 'GET' || u.pathname !== '/resize') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  const w = parseInt(u.searchParams.get('w') || '300', 10);
  const src = u.searchParams.get('src') || '';
  const file = path.resolve(ROOT, src);
  if (!src || !file.startsWith(ROOT + path.sep) || !(w > 0 && w <= 8192)) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end('bad request\n');
  }
  let p = sharp(file, { limitInputPixels: 268402689 /* sharp default, 0x3FFF*0x3FFF */ });
  if (AUTOROTATE) p = p.rotate();
  p.resize({ width: w, kernel: sharp.kernel.lanczos3, withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer()
    .then((buf) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': buf.length, 'cache-control': 'no-store' });
      res.end(buf);
    })
    .catch((err) => {
      const code = err && /no such file|Input file is missing/i.test(err.message) ? 404 : 422;
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(String(err && err.message) + '\n');
    });
});

server.listen(PORT, HOST, () => {
  console.log(`sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips} listening on http://${HOST}:${PORT}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
