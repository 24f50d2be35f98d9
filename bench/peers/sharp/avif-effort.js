// AVIF encode cost by effort at 1000 px (docs/formats.md, "AVIF effort"). sharp 0.35.5 bundles the same libvips
// 8.18.7 + aom 3.15.1 as CdnProxy, and its avif() is libvips' heifsave, so the times and sizes are CdnProxy's own
// encoder's (the byte counts match CdnProxy's output exactly). One libvips thread, Q50, 4:2:0, 5 runs per effort.
// Usage (after bench/run.sh installed the peer): node bench/peers/sharp/avif-effort.js [maxEffort]
'use strict';
const path = require('path');
const sharp = require('sharp');

async function main() {
  const maxEffort = Number(process.argv[2] ?? 4);
  sharp.concurrency(1);
  const photo = path.join(__dirname, '..', '..', '..', 'samples', 'photo-3mp-flower.jpg');
  const { data, info } = await sharp(photo).resize(1000).raw().toBuffer({ resolveWithObject: true });
  console.log('| effort | median ms | min ms | bytes |\n|---|---|---|---|');
  for (let effort = 0; effort <= maxEffort; effort++) {
    const times = [];
    let bytes = 0;
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      const avif = await sharp(data, { raw: info }).avif({ quality: 50, effort, chromaSubsampling: '4:2:0' }).toBuffer();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      bytes = avif.length;
    }
    times.sort((a, b) => a - b);
    console.log(`| ${effort} | ${times[2].toFixed(0)} | ${times[0].toFixed(0)} | ${bytes.toLocaleString('en')} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
