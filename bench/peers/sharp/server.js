// Benchmark peer for bench/run.sh and bench/abuse.sh: the team's reference sharp peer (sharp 0.35.5 / libvips 8.18.7,
// lockfile alongside), extended with the knobs the benchmark scenarios vary. Started with IMG_ROOT=<folder> PORT=9100
// and stopped by PID.
//   GET /resize?w=300&src=NAME[&q=80][&f=jpeg|webp|avif|png][&v=anything]
// reads $IMG_ROOT/NAME from disk on every request, resizes to width w (lanczos3; libvips shrinks JPEG and WebP on load),
// encodes f at quality q with CdnProxy's encoder settings (JPEG 4:2:0 with optimised Huffman tables, sharp's default;
// WebP effort 4; AVIF effort 1, 4:2:0; PNG compression 6, alpha kept). `v` is ignored: it makes every URL distinct.
// No caching of any kind (libvips operation cache disabled).
'use strict';
const http = require('http');
const path = require('path');
const sharp = require('sharp');

const ROOT = process.env.IMG_ROOT || path.join(__dirname, '..', '..', '..', 'samples');
const HOST = process.env.HOST || '127.0.0.1';
const PORT = parseInt(process.env.PORT || '9100', 10);
const AUTOROTATE = process.env.AUTOROTATE === '1'; // off by default, as in the reference peer

sharp.cache(false); // no libvips operation cache
// sharp.concurrency() is 1 on glibc Linux without jemalloc; requests run concurrently on the libuv threadpool
// (UV_THREADPOOL_SIZE, default 4).

const encoders = {
  jpeg: (p, q) => p.jpeg({ quality: q }),
  webp: (p, q) => p.webp({ quality: q, effort: 4 }),
  avif: (p, q) => p.avif({ quality: q, effort: 1, chromaSubsampling: '4:2:0' }),
  png: (p) => p.png({ compressionLevel: 6 }),
};
const types = { jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif', png: 'image/png' };

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (req.method !== 'GET' || u.pathname !== '/resize') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  const w = parseInt(u.searchParams.get('w') || '300', 10);
  const q = parseInt(u.searchParams.get('q') || '80', 10);
  const f = u.searchParams.get('f') || 'jpeg';
  const src = u.searchParams.get('src') || '';
  const file = path.resolve(ROOT, src);
  if (!src || !file.startsWith(ROOT + path.sep) || !(w > 0 && w <= 8192) || !(q >= 1 && q <= 100) || !encoders[f]) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end('bad request\n');
  }
  let p = sharp(file, { limitInputPixels: 268402689 /* sharp default, 0x3FFF*0x3FFF */ });
  if (AUTOROTATE) p = p.rotate();
  p = p.resize({ width: w, kernel: sharp.kernel.lanczos3, withoutEnlargement: true });
  encoders[f](p, q)
    .toBuffer()
    .then((buf) => {
      res.writeHead(200, { 'content-type': types[f], 'content-length': buf.length, 'cache-control': 'no-store' });
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
