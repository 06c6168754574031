#!/usr/bin/env node
// In-memory FHIR R4 sandbox. Usage: node --experimental-websocket server.mjs [--port N] [--exit-on-stdin-close]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { BASE_PATH, createSandbox, loadDefinitions } from './lib/app.mjs';

const HOST = '127.0.0.1';
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'exit-on-stdin-close': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port '${values.port}'`);
  process.exit(2);
}

loadDefinitions();
let handle;
const server = createServer((req, res) => handle(req, res));
server.keepAliveTimeout = 5_000;
server.on('error', (err) => {
  console.error(`FHIR sandbox failed: ${err.message}`);
  process.exit(1);
});
server.listen(port, HOST, () => {
  const baseUrl = `http://${HOST}:${server.address().port}${BASE_PATH}`;
  handle = createSandbox(baseUrl);
  console.log(`FHIR sandbox listening on ${baseUrl}`);
});

let stopping = false;
function stop(reason) {
  if (stopping) return;
  stopping = true;
  console.error(`FHIR sandbox stopping (${reason})`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (values['exit-on-stdin-close']) {
  // The parent holds our stdin open; when it dies, the pipe closes and so do we.
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}
