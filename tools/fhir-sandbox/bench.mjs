// Measures sandbox startup time and sequential create throughput over HTTP on 127.0.0.1.
// Usage: node --experimental-websocket bench.mjs [--creates N] [--starts N]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: { creates: { type: 'string', default: '2000' }, starts: { type: 'string', default: '3' } },
});
const creates = Number(values.creates);
const starts = Number(values.starts);
const serverPath = fileURLToPath(new URL('./server.mjs', import.meta.url));

function start() {
  const began = performance.now();
  const child = spawn(process.execPath, ['--experimental-websocket', serverPath, '--port', '0', '--exit-on-stdin-close']);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const match = /listening on (\S+)/.exec(String(d));
      if (match) resolve({ child, base: match[1], ms: performance.now() - began });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const startupMs = [];
for (let i = 0; i < starts; i++) {
  const { child, ms } = await start();
  startupMs.push(ms);
  await stop(child);
}
console.log(`startup: median ${median(startupMs).toFixed(0)} ms over ${starts} starts (${startupMs.map((m) => m.toFixed(0)).join(', ')} ms)`);

const { child, base } = await start();
try {
  const post = async (i) => {
    const response = await fetch(`${base}/Patient`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Patient',
        identifier: [{ system: 'urn:bench', value: String(i) }],
        name: [{ family: `Bench${i}`, given: ['Test'] }],
        gender: i % 2 ? 'female' : 'male',
        birthDate: '1970-01-01',
      }),
    });
    if (response.status !== 201) throw new Error(`create ${i}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };

  await post(-1); // warm-up
  const began = performance.now();
  for (let i = 0; i < creates; i++) await post(i);
  const seconds = (performance.now() - began) / 1000;
  console.log(`create: ${creates} Patients sequentially in ${seconds.toFixed(2)} s = ${(creates / seconds).toFixed(0)} resources/s`);

  const searchBegan = performance.now();
  const searches = 50;
  for (let i = 0; i < searches; i++) {
    const response = await fetch(`${base}/Patient?identifier=urn:bench|${i}`);
    await response.arrayBuffer();
  }
  console.log(`search: identifier lookup among ${creates + 1} Patients, mean ${((performance.now() - searchBegan) / searches).toFixed(1)} ms (index on identifier)`);
} finally {
  await stop(child);
}
