// Load driver for bench/scale-out.sh (node built-ins only). Prints one JSON object on stdout.
//
//   node driver.mjs burst  --targets http://127.0.0.1:P1,http://127.0.0.1:P2 --path /v2/... --count 500
//     Opens count/targets keep-alive connections to each target first, then issues every request in the same tick,
//     alternating targets, so all of them are in flight together. Reports status codes, distinct body digests and
//     latencies.
//
//   node driver.mjs stream --targets URL1,URL2 --seconds 12 --concurrency 8 --hot PATH1,PATH2 --fresh TEMPLATE
//                          --hot-share 0.7 --api-key KEY [--kill-pid PID --kill-at SECONDS]
//     `concurrency` closed-loop clients, client i always on target i % targets; each request is a random hot path or,
//     with probability 1 - hot-share, TEMPLATE with {n} replaced by a fresh counter (an uncached rendition). Every
//     100 ms it reads GET /api/v1/stats of each target to see when its Redis breaker opens. At kill-at it sends SIGKILL
//     to kill-pid. Reports success and latencies before the kill, from the kill until each target's breaker was seen
//     open, and after that, each with the time spent in the cache tiers (Server-Timing cache + lock + store).
import http from 'node:http';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';

const { positionals, values: opts } = parseArgs({
  allowPositionals: true,
  options: {
    targets: { type: 'string' },
    path: { type: 'string' },
    count: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    hot: { type: 'string', default: '' },
    fresh: { type: 'string', default: '' },
    'hot-share': { type: 'string', default: '0.7' },
    'api-key': { type: 'string', default: '' },
    'kill-pid': { type: 'string' },
    'kill-at': { type: 'string' },
  },
});
const targets = (opts.targets ?? '').split(',').filter(Boolean);
if (targets.length === 0) throw new Error('--targets is required');

const now = () => Number(process.hrtime.bigint()) / 1e6;

function request(agent, url, headers = {}) {
  return new Promise(resolve => {
    const started = now();
    const req = http.get(url, { agent, headers }, res => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', chunk => { hash.update(chunk); bytes += chunk.length; });
      res.on('end', () => resolve({
        started, ms: now() - started, status: res.statusCode, bytes, digest: hash.digest('hex'),
        timing: String(res.headers['server-timing'] ?? ''),
      }));
      res.on('error', error => resolve({ started, ms: now() - started, status: 0, error: error.message }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('client timeout (30 s)')));
    req.on('error', error => resolve({ started, ms: now() - started, status: 0, error: error.message }));
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencySummary(results, pick = r => r.ms) {
  const values = results.map(pick).sort((a, b) => a - b);
  const round = v => (v === null ? null : Math.round(v * 100) / 100);
  return { count: values.length, p50: round(percentile(values, 50)), p99: round(percentile(values, 99)), max: round(values.at(-1) ?? null) };
}

/** Server-Timing "cache;dur=0.1, fetch;dur=3" -> { cache: 0.1, fetch: 3 } */
function stages(timing) {
  const result = {};
  for (const part of timing.split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (match) result[match[1]] = Number(match[2]);
  }
  return result;
}

async function burst() {
  const count = Number(opts.count);
  const perTarget = Math.ceil(count / targets.length);
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: perTarget }));
  // Open every connection before the burst so connection set-up does not spread the requests out.
  await Promise.all(targets.flatMap((target, t) =>
    Array.from({ length: perTarget }, () => request(agents[t], `${target}/healthz/live`))));
  const issued = now();
  const pending = [];
  for (let i = 0; i < count; i++) {
    const t = i % targets.length;
    pending.push(request(agents[t], targets[t] + opts.path).then(r => ({ ...r, target: t })));
  }
  const issueMs = now() - issued;
  const results = await Promise.all(pending);
  agents.forEach(a => a.destroy());
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const ok = results.filter(r => r.status === 200);
  return {
    count, perTarget: targets.map((_, t) => results.filter(r => r.target === t).length),
    ok: ok.length, statuses, digests: new Set(ok.map(r => r.digest)).size, bytes: ok[0]?.bytes ?? 0,
    digest: ok[0]?.digest ?? null, issueMs: Math.round(issueMs * 100) / 100,
    renderedResponses: ok.filter(r => 'render' in stages(r.timing)).length,
    latency: latencySummary(results), errors: [...new Set(results.filter(r => r.error).map(r => r.error))].slice(0, 5),
  };
}

async function stream() {
  const seconds = Number(opts.seconds);
  const concurrency = Number(opts.concurrency);
  const hot = opts.hot.split(',').filter(Boolean);
  const hotShare = Number(opts['hot-share']);
  const killAt = opts['kill-at'] === undefined ? null : Number(opts['kill-at']) * 1000;
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency }));
  const statsAgent = new http.Agent({ keepAlive: true, maxSockets: targets.length });
  const start = now();
  const end = start + seconds * 1000;
  const results = [];
  const breaker = targets.map(() => ({ openedAt: null, states: [] }));
  let killedAt = null;
  let fresh = 0;

  const client = async i => {
    const t = i % targets.length;
    while (now() < end) {
      const isHot = hot.length > 0 && Math.random() < hotShare;
      const path = isHot ? hot[Math.floor(Math.random() * hot.length)] : opts.fresh.replaceAll('{n}', String(fresh++));
      const r = await request(agents[t], targets[t] + path);
      results.push({ ...r, target: t, at: r.started - start, fresh: !isHot });
    }
  };

  const pollStats = async () => {
    while (now() < end) {
      await Promise.all(targets.map(async (target, t) => {
        const r = await new Promise(resolve => {
          const req = http.get(`${target}/api/v1/stats`, { agent: statsAgent, headers: { 'x-api-key': opts['api-key'] } }, res => {
            let body = '';
            res.on('data', c => { body += c; });
            res.on('end', () => resolve(body));
          });
          req.on('error', () => resolve(''));
        });
        let state = 'unknown';
        try { state = JSON.parse(r).breakerState; } catch { /* keep unknown */ }
        const at = now() - start;
        const b = breaker[t];
        if (b.states.at(-1)?.state !== state) b.states.push({ at: Math.round(at), state });
        if (state === 'open' && killedAt !== null && b.openedAt === null) b.openedAt = at;
      }));
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  };

  const killer = async () => {
    if (killAt === null || !opts['kill-pid']) return;
    await new Promise(resolve => setTimeout(resolve, killAt));
    process.kill(Number(opts['kill-pid']), 'SIGKILL');
    killedAt = now() - start;
  };

  await Promise.all([killer(), pollStats(), ...Array.from({ length: concurrency }, (_, i) => client(i))]);
  agents.forEach(a => a.destroy());
  statsAgent.destroy();

  // The Server-Timing stages that touch the cache tiers (and so Redis): lookup, lock (second look, negative entry,
  // render lock) and store.
  const cacheTime = r => {
    const s = stages(r.timing);
    return (s.cache ?? 0) + (s.lock ?? 0) + (s.store ?? 0);
  };
  const window = list => ({ ...latencySummary(list), ok: list.filter(r => r.status === 200).length,
    cacheTiers: latencySummary(list, cacheTime) });
  const ok = results.filter(r => r.status === 200);
  const openedAt = r => breaker[r.target].openedAt;
  const afterOpen = results.filter(r => openedAt(r) !== null && r.at >= openedAt(r));
  const killToOpen = results.filter(r => killedAt !== null && r.at >= killedAt && (openedAt(r) === null || r.at < openedAt(r)));
  const beforeKill = results.filter(r => killedAt === null || r.at + r.ms < killedAt);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    seconds, concurrency, requests: results.length, ok: ok.length,
    successPercent: Math.round((ok.length / Math.max(1, results.length)) * 100_000) / 1000,
    statuses, freshRenditions: fresh, rps: Math.round((results.length / seconds) * 10) / 10,
    killedAtMs: killedAt === null ? null : Math.round(killedAt),
    breakerOpenedAtMs: breaker.map(b => (b.openedAt === null ? null : Math.round(b.openedAt))),
    breakerOpenAfterKillMs: breaker.map(b => (b.openedAt === null || killedAt === null ? null : Math.round(b.openedAt - killedAt))),
    breakerStates: breaker.map(b => b.states),
    all: latencySummary(results),
    beforeKill: window(beforeKill),
    killToOpen: window(killToOpen),
    afterOpen: window(afterOpen),
    errors: [...new Set(results.filter(r => r.error).map(r => r.error))].slice(0, 5),
  };
}

const modes = { burst, stream };
const mode = modes[positionals[0]];
if (!mode) throw new Error(`usage: driver.mjs burst|stream [options] (got ${positionals[0]})`);
process.stdout.write(JSON.stringify(await mode()) + '\n');
