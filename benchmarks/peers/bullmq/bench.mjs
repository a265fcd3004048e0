#!/usr/bin/env node
// BullMQ, the Redis peer of hexbus, measured the way RedisHarness measures hexbus (issue 20), against the same Redis
// in the same run (io.hexbus.benchmarks.BullMqPeer runs this script from the harness). Prints ONE JSON object on
// stdout; progress goes to stderr. Every key lives under the prefix (BullMQ's `prefix` option) and is deleted at the
// end with SCAN + UNLINK of that prefix only, never a flush: the Redis may be shared.
//
// Arguments (--name=value; each also as the environment variable in brackets):
//   --url        [REDIS_URL]     the Redis, default redis://127.0.0.1:6379
//   --prefix     [BENCH_PREFIX]  the key prefix, default bullmq-bench:{<random uuid>}
//   --parts      [BENCH_PARTS]   add,addBulk,e2e,latency,memory (default all)
//   --runs       [BENCH_RUNS]    measured runs per figure, default 3
//   --scale      [BENCH_SCALE]   multiplies the counts (RedisHarness's -Dbench.scale), default 1
//   --e2e        [BENCH_E2E]     jobs per end-to-end run, default 100,000 x scale
//   --payload    [BENCH_PAYLOAD] the job data, a JSON object (the harness passes its event's envelope)
//   --warmupMax  [BENCH_WARMUP_MAX] most untimed warm-up runs of a throughput figure, default 5
//   --latencyRate [BENCH_LATENCY_RATE] jobs/s of the latency part, default 2,000 (RedisHarness's)
//
// Usage: npm ci && REDIS_URL=redis://127.0.0.1:6379 node bench.mjs --parts=add,addBulk --runs=3
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// Nothing but the result may reach stdout: a library's console.log goes to stderr.
console.log = (...a) => console.error(...a);
console.info = console.log;

const args = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => {
  const eq = a.indexOf('=');
  return eq < 0 ? [a.slice(2), 'true'] : [a.slice(2, eq), a.slice(eq + 1)];
}));
const env = process.env;
const opt = (name, envName, dflt) => args[name] ?? env[envName] ?? dflt;

const URL_ = opt('url', 'REDIS_URL', '') || 'redis://127.0.0.1:6379';
const PREFIX = opt('prefix', 'BENCH_PREFIX', `bullmq-bench:{${randomUUID()}}`);
const NAME = 'bench.redis-event'; // the job name: hexbus's event name
// RedisHarness's event (bench.redis-event) as its codec writes it (344 bytes); the harness passes its own.
const DEFAULT_PAYLOAD = '{"v":1,"id":"01a248b6-1875-7570-80f3-dc7060f2d3dc","name":"bench.redis-event","version":1,'
  + '"occurredAt":"2026-12-06T00:17:03.093255663Z","publishedAt":"2026-12-06T00:17:03.093274496Z","metadata":'
  + '{"correlationId":null,"causationId":null,"tenantId":null,"performedBy":null},"payload":{"sentNanos":0,'
  + '"payload":"order-0000000000-customer-00000000"}}';

// removeOnComplete as BullMQ users set it (its docs advise keeping a bounded tail rather than every job forever):
// the last 1,000 completed jobs, as hexbus's keepFinishedCount (1,000) keeps the last 1,000 finished entries.
const JOB_DEFAULTS = { removeOnComplete: { count: 1000 } };
const CONCURRENCY = 4;

// ------------------------------------------------------------------ worker child (end to end)

/** The end-to-end worker process: one Worker, concurrency 4, a no-op processor; answers the parent's polls. */
async function childWorker() {
  const connection = new Redis(URL_, { maxRetriesPerRequest: null });
  let completed = 0;
  const worker = new Worker(args.queue, async () => {}, { connection, prefix: PREFIX, concurrency: CONCURRENCY });
  worker.on('completed', () => { completed++; });
  worker.on('error', (e) => console.error('worker error', e));
  await worker.waitUntilReady();
  process.on('message', async (m) => {
    if (m.type === 'stats') {
      const cpu = process.cpuUsage();
      process.send({ type: 'stats', id: m.id, completed, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    } else if (m.type === 'stop') {
      await worker.close();
      await connection.quit();
      process.send({ type: 'stopped' });
      process.disconnect();
    }
  });
  process.send({ type: 'ready' });
}

// ------------------------------------------------------------------ parent

async function main() {
  if (!PREFIX || PREFIX.length < 8) {
    throw new Error(`refusing the key prefix "${PREFIX}": too short to be this run's own`);
  }
  const parts = new Set(opt('parts', 'BENCH_PARTS', 'add,addBulk,e2e,latency,memory').split(',').map((s) => s.trim()));
  const unknown = [...parts].filter((p) => !['add', 'addBulk', 'e2e', 'latency', 'memory'].includes(p));
  if (unknown.length) {
    throw new Error(`unknown parts ${unknown}: add,addBulk,e2e,latency,memory`); // none is skipped silently
  }
  const runs = parseInt(opt('runs', 'BENCH_RUNS', '3'), 10);
  const scale = parseFloat(opt('scale', 'BENCH_SCALE', '1'));
  const scaled = (n) => Math.max(100, Math.floor((n * scale) / 100) * 100);
  const e2eN = parseInt(opt('e2e', 'BENCH_E2E', String(scaled(100_000))), 10);
  const payloadJson = opt('payload', 'BENCH_PAYLOAD', DEFAULT_PAYLOAD);
  const payload = JSON.parse(payloadJson);
  // BullMQ stores JSON.stringify(data): the same bytes as the envelope when the JSON has no insignificant spaces.
  const payloadBytes = Buffer.byteLength(JSON.stringify(payload));
  const warmUp = { min: 2, max: parseInt(opt('warmupMax', 'BENCH_WARMUP_MAX', '5'), 10), tolerance: 0.10 };

  const admin = new Redis(URL_, { maxRetriesPerRequest: null });
  const out = {
    peer: 'bullmq',
    bullmq: pkgVersion('bullmq'),
    ioredis: pkgVersion('ioredis'),
    node: process.version,
    redis: infoField(await admin.info('server'), 'redis_version'),
    prefix: PREFIX,
    runs,
    scale,
    payloadBytes,
    payloadInputBytes: Buffer.byteLength(payloadJson),
    jobOptions: JOB_DEFAULTS,
    warmUp: `throughput figures: untimed runs, at least ${warmUp.min} and at most ${warmUp.max}, until the last two `
      + `differ by at most ${warmUp.tolerance * 100}% (relative to the later); latency: the first 2 s of each run `
      + 'at the same rate, not recorded; memory: one untimed run',
    figures: [],
    extra: {},
  };
  log(`BullMQ ${out.bullmq} (ioredis ${out.ioredis}, node ${out.node}) against Redis ${out.redis} at ${redact(URL_)},`
    + ` prefix ${PREFIX}, ${runs} runs, scale ${scale}, job data ${payloadBytes} bytes: ${JSON.stringify(payload)}`);

  let queueCounter = 0;
  const newQueueName = (part) => `${part}${++queueCounter}`;
  const openQueue = async (name) => {
    const queue = new Queue(name, { connection: new Redis(URL_, { maxRetriesPerRequest: null }), prefix: PREFIX,
      defaultJobOptions: JOB_DEFAULTS });
    await queue.waitUntilReady();
    return queue;
  };
  const closeQueue = async (queue) => {
    const connection = queue.opts.connection;
    await queue.close();
    await connection.quit();
    await deleteKeys(admin, `${PREFIX}:${queue.name}:`);
  };

  const cleanUp = async () => {
    const n = await deleteKeys(admin, PREFIX);
    log(`deleted ${n} keys under ${PREFIX}`);
  };
  const onSignal = async () => {
    try { await cleanUp(); } finally { process.exit(130); }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // (a) Queue.add one by one, each awaited: RedisHarness's "hexbus publish, one by one (1 thread)" (5,000 events).
    if (parts.has('add')) {
      const n = scaled(5_000);
      out.figures.push(await measure('add', `BullMQ Queue.add, one by one (await each), ${n} jobs`, 'events/s',
        warmUp, runs, async () => {
          const queue = await openQueue(newQueueName('add'));
          try {
            const t0 = performance.now();
            for (let i = 0; i < n; i++) {
              await queue.add(NAME, payload);
            }
            return n / ((performance.now() - t0) / 1000);
          } finally {
            await closeQueue(queue);
          }
        }));
    }

    // (b) Queue.addBulk of 100: RedisHarness's "hexbus publishAll, batches of 100" (50,000 events).
    if (parts.has('addBulk')) {
      const n = scaled(50_000);
      out.figures.push(await measure('addBulk', `BullMQ Queue.addBulk, batches of 100, ${n} jobs`, 'events/s',
        warmUp, runs, async () => {
          const queue = await openQueue(newQueueName('bulk'));
          try {
            const batches = hundreds(n, () => ({ name: NAME, data: payload })); // built beforehand, as the events
            const t0 = performance.now();
            for (const batch of batches) {
              await queue.addBulk(batch);
            }
            return n / ((performance.now() - t0) / 1000);
          } finally {
            await closeQueue(queue);
          }
        }));
    }

    // (c) End to end: N jobs added with addBulk(100) here while one Worker (concurrency 4, no-op) in another Node
    // process consumes; from the first add until the worker has completed all N. The worker process starts once and
    // serves the warm-up runs and the measured runs, as RedisHarness's worker JVMs do.
    if (parts.has('e2e')) {
      const queue = await openQueue(newQueueName('e2e'));
      const child = await startWorkerProcess(queue.name);
      let last = {};
      try {
        out.figures.push(await measure('e2e', `BullMQ end to end, 1 worker process × concurrency ${CONCURRENCY}, `
          + `N=${e2eN}`, 'events/s', warmUp, runs, async () => {
          const batches = hundreds(e2eN, () => ({ name: NAME, data: payload }));
          const start = await child.stats();
          const statsBefore = await commandStats(admin);
          const redisCpuBefore = redisCpu(await admin.info('cpu'));
          const selfCpuBefore = process.cpuUsage();
          const t0 = performance.now();
          for (const batch of batches) {
            await queue.addBulk(batch);
          }
          const publishSeconds = (performance.now() - t0) / 1000;
          let now = start;
          const deadline = t0 + 5 * 60_000;
          while (now.completed < start.completed + e2eN) {
            if (performance.now() > deadline) {
              throw new Error(`not all jobs completed within 5 minutes: ${now.completed - start.completed}/${e2eN}`);
            }
            await sleep(20); // as RedisHarness polls its completed counter
            now = await child.stats();
          }
          const seconds = (performance.now() - t0) / 1000;
          const self = process.cpuUsage(selfCpuBefore);
          const redisSeconds = redisCpu(await admin.info('cpu')) - redisCpuBefore;
          const statsAfter = await commandStats(admin);
          const perJob = {};
          for (const [cmd, v] of Object.entries(statsAfter)) {
            const d = v - (statsBefore[cmd] ?? 0);
            if (d > 0) perJob[cmd] = round(d / e2eN, 4);
          }
          const publisherSeconds = (self.user + self.system) / 1e6;
          const workerSeconds = now.cpuSeconds - start.cpuSeconds;
          last = {
            commandsPerJob: perJob,
            cpuMicrosPerJob: {
              redis: round(redisSeconds / e2eN * 1e6, 2),
              publisherNode: round(publisherSeconds / e2eN * 1e6, 2),
              workerNode: round(workerSeconds / e2eN * 1e6, 2),
              coresBusy: round((redisSeconds + publisherSeconds + workerSeconds) / seconds, 2),
            },
          };
          log(`    added all in ${publishSeconds.toFixed(2)} s (${fmt(e2eN / publishSeconds)}/s), all completed after`
            + ` ${seconds.toFixed(2)} s`);
          return e2eN / seconds;
        }));
      } finally {
        await child.stop();
        await closeQueue(queue);
      }
      out.extra.endToEnd = { jobs: e2eN, ...last, note: 'per job, last run: Redis commands (INFO commandstats diff; '
        + 'x usec = the µs Redis spent in x) and CPU µs of Redis, of this process and of the worker process' };
      log(`  Redis commands per job (last run): ${JSON.stringify(last.commandsPerJob)}`);
      log(`  CPU per job, µs (last run): ${JSON.stringify(last.cpuMicrosPerJob)}`);
    }

    // (d) Latency: add at a steady 2,000/s (open loop), one Worker (concurrency 4) in THIS process, as RedisHarness
    // runs its worker in the harness's JVM: handler start minus the time just before add, one clock.
    if (parts.has('latency')) {
      const rate = parseInt(opt('latencyRate', 'BENCH_LATENCY_RATE', '2000'), 10);
      const warm = rate * 2;
      const measured = Math.floor(rate * 5 * Math.max(scale, 0.2));
      const p = { p50: [], p99: [], p999: [], max: [] };
      const drains = [];
      for (let run = 0; run < runs; run++) {
        const r = await latencyRun(openQueue, closeQueue, newQueueName('lat'), payload, rate, warm, measured);
        p.p50.push(r.p50); p.p99.push(r.p99); p.p999.push(r.p999); p.max.push(r.max);
        drains.push(round(r.drainMs, 1));
        log(`  latency run ${run + 1}: ${r.count} measured at ${fmt(r.offered)} jobs/s offered: p50 ${r.p50.toFixed(3)}`
          + ` ms, p99 ${r.p99.toFixed(3)} ms, p99.9 ${r.p999.toFixed(3)} ms, max ${r.max.toFixed(3)} ms; the last job`
          + ` processed ${r.drainMs.toFixed(0)} ms after the last add (a backlog when far above the p50)`);
      }
      const note = `add -> processor start, ${rate} jobs/s open loop, 1 Worker concurrency ${CONCURRENCY} in the adding `
        + `process, ${measured} measured jobs per run after ${warm} unrecorded`;
      for (const [k, label] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max']]) {
        out.figures.push(figure(`latency_${k}`, `BullMQ latency ${label}`, 'ms', p[k], [], note));
      }
      out.extra.latency = { rate, measured, drainMsAfterLastAdd: drains };
    }

    // (e) Memory: INFO used_memory before and after adding N jobs with addBulk(100), no worker; per waiting job.
    if (parts.has('memory')) {
      const n = scaled(100_000);
      const variants = [['memory', payload, 'the harness event as job data'],
        ['memory200', { p: 'x'.repeat(192) }, 'a 200-byte job data ({"p":"x…"}), the issue\'s earlier figure\'s size']];
      for (const [key, data, what] of variants) {
        const bytes = Buffer.byteLength(JSON.stringify(data));
        const detail = [];
        const runOnce = async () => {
          const queue = await openQueue(newQueueName('mem'));
          try {
            const batches = hundreds(n, () => ({ name: NAME, data }));
            await settle(admin);
            const before = usedMemory(await admin.info('memory'));
            for (const batch of batches) {
              await queue.addBulk(batch);
            }
            const after = usedMemory(await admin.info('memory'));
            const k = `${PREFIX}:${queue.name}:`;
            detail.push({ usedMemoryDelta: after - before, oneJobHash: await admin.call('MEMORY', 'USAGE', `${k}1`),
              waitList: await admin.call('MEMORY', 'USAGE', `${k}wait`),
              eventsStream: await admin.call('MEMORY', 'USAGE', `${k}events`), eventsStreamLength: await admin.xlen(`${k}events`) });
            return (after - before) / n;
          } finally {
            await closeQueue(queue);
          }
        };
        log(`  ${key}: warm-up (untimed)`);
        await runOnce();
        detail.length = 0;
        const values = [];
        for (let run = 0; run < runs; run++) {
          values.push(await runOnce());
          log(`  ${key} run ${run + 1}: ${values[run].toFixed(1)} B per waiting job`);
        }
        out.figures.push(figure(key, `BullMQ Redis memory per waiting job, ${bytes} B data, N=${n}`, 'B/job', values,
          [], `INFO used_memory delta / N after addBulk(100) of N jobs, no worker; ${what}`));
        out.extra[key] = { jobs: n, dataBytes: bytes, runs: detail };
      }
    }
  } finally {
    await cleanUp();
    await admin.quit();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

// ------------------------------------------------------------------ parts' helpers

async function latencyRun(openQueue, closeQueue, name, payload, rate, warm, measured) {
  const samples = [];
  let processed = 0;
  const queue = await openQueue(name);
  const connection = new Redis(URL_, { maxRetriesPerRequest: null });
  const worker = new Worker(name, async (job) => {
    const latency = performance.now() - job.data.t; // first thing the processor does
    processed++;
    if (job.data.m) samples.push(latency);
  }, { connection, prefix: PREFIX, concurrency: CONCURRENCY });
  worker.on('error', (e) => console.error('worker error', e));
  try {
    await worker.waitUntilReady();
    await sleep(300); // the worker's first blocking read is in flight, as RedisHarness waits
    const total = warm + measured;
    const interval = 1000 / rate;
    const pending = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + i * interval;
      // Node's timers are 1 ms at best, and spinning would take the event loop from the worker in this process:
      // sleep until the next add is due, then add everything due (2 per ms at 2,000/s), each timed from just before
      // its own add; the adds are not awaited (open loop).
      while (performance.now() < due) {
        await sleep(Math.max(1, due - performance.now()));
      }
      const t = performance.now();
      pending.push(queue.add(NAME, { ...payload, t, m: i >= warm }));
    }
    const lastAdd = performance.now();
    const offered = total / ((lastAdd - start) / 1000);
    await Promise.all(pending);
    const deadline = performance.now() + 5 * 60_000;
    while (processed < total) {
      if (performance.now() > deadline) throw new Error(`latency: ${processed}/${total} processed within 5 minutes`);
      await sleep(20);
    }
    const drainMs = performance.now() - lastAdd;
    samples.sort((a, b) => a - b);
    const at = (q) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil((q / 100) * samples.length) - 1))];
    return { count: samples.length, offered, drainMs, p50: at(50), p99: at(99), p999: at(99.9), max: samples[samples.length - 1] };
  } finally {
    await worker.close();
    await connection.quit();
    await closeQueue(queue);
  }
}

async function startWorkerProcess(queueName) {
  const child = fork(fileURLToPath(import.meta.url), ['--child-worker', `--queue=${queueName}`, `--url=${URL_}`,
    `--prefix=${PREFIX}`], { stdio: ['ignore', 2, 2, 'ipc'] }); // its stdout is our stderr: ours is the JSON's
  const waiters = new Map();
  let nextId = 0;
  let ready;
  const readyP = new Promise((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before it was ready`)));
  });
  let stopped;
  const stoppedP = new Promise((r) => { stopped = r; });
  child.on('message', (m) => {
    if (m.type === 'ready') ready();
    else if (m.type === 'stopped') stopped();
    else if (m.type === 'stats') { waiters.get(m.id)?.(m); waiters.delete(m.id); }
  });
  await readyP;
  return {
    stats: () => new Promise((resolve) => {
      const id = ++nextId;
      waiters.set(id, resolve);
      child.send({ type: 'stats', id });
    }),
    stop: async () => {
      const exited = new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      child.send({ type: 'stop' });
      await Promise.race([stoppedP.then(() => exited), sleep(10_000)]); // it exits once it has closed its worker
      if (child.exitCode === null) child.kill();
    },
  };
}

/** Warm-up runs until stable (the rule in out.warmUp), then `runs` measured runs. */
async function measure(key, name, unit, warmUp, runs, once) {
  const warm = [];
  for (let i = 1; i <= warmUp.max; i++) {
    const v = await once();
    warm.push(v);
    log(`  ${name}: warm-up ${i}: ${fmt(v)} ${unit}`);
    const prev = warm[warm.length - 2];
    if (i >= warmUp.min && prev !== undefined && Math.abs(v - prev) <= warmUp.tolerance * Math.abs(v)) break;
    if (i === warmUp.max) log(`  not stable within ${warmUp.tolerance * 100}% after ${i} warm-up runs: measured anyway`);
  }
  const values = [];
  for (let r = 0; r < runs; r++) {
    values.push(await once());
    log(`  ${name}: run ${r + 1}: ${fmt(values[r])} ${unit}`);
  }
  return figure(key, name, unit, values, warm, '');
}

function figure(key, name, unit, values, warmUpRuns, note) {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { key, name, unit, median, min: s[0], max: s[s.length - 1], runs: values, warmUpRuns, note };
}

function hundreds(n, make) {
  const batches = [];
  for (let i = 0; i < n; i += 100) {
    batches.push(Array.from({ length: Math.min(100, n - i) }, make));
  }
  return batches;
}

/** Deletes every key under `prefix` (SCAN MATCH + UNLINK, a thousand at a time): this run's own, never others'. */
async function deleteKeys(redis, prefix) {
  const match = prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`) + '*';
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    if (keys.length) {
      n += await redis.unlink(...keys);
    }
    cursor = next;
  } while (cursor !== '0');
  return n;
}

/** Waits until Redis has freed what earlier UNLINKs handed to its background thread, so used_memory is settled. */
async function settle(redis) {
  for (let i = 0; i < 250 && Number(infoField(await redis.info('memory'), 'lazyfree_pending_objects')) > 0; i++) {
    await sleep(20);
  }
}

async function commandStats(redis) {
  const stats = {};
  for (const line of (await redis.info('commandstats')).split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) {
      stats[m[1]] = Number(m[2]);
      stats[`${m[1]} usec`] = Number(m[3]);
    }
  }
  return stats;
}

function infoField(info, field) {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line ? line.slice(field.length + 1).trim() : '?';
}

const usedMemory = (info) => Number(infoField(info, 'used_memory'));
const redisCpu = (info) => Number(infoField(info, 'used_cpu_sys')) + Number(infoField(info, 'used_cpu_user'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (v, d) => Math.round(v * 10 ** d) / 10 ** d;
const fmt = (v) => Math.round(v).toLocaleString('en-US');
const log = (s) => process.stderr.write(`${s}\n`);
const redact = (u) => u.replace(/\/\/[^@/]*@/, '//***@');

function pkgVersion(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

// Last, once every declaration above is initialised.
if (args['child-worker']) {
  await childWorker();
} else {
  await main();
}
