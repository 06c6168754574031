// Preloaded (node -r) before SUSHI's CLI so that a build never touches the network.
// SUSHI 3 always (a) asks the npm registry whether it is the newest version and
// (b) resolves hl7.fhir.uv.tools.r4 / hl7.fhir.uv.extensions.r4 / hl7.terminology.r4
// at version "latest", which needs a registry round trip even when a copy is cached.
// Our IG uses none of those packages except hl7.terminology.r4, which sushi-config.yaml
// pins to 7.0.1 (present in the local FHIR package cache). So: drop the unused automatic
// dependencies, stub the version check, and make any remaining HTTP(S) attempt fail loudly.
'use strict';
const http = require('http');
const https = require('https');
const processing = require('fsh-sushi/dist/utils/Processing');

const keep = new Set(['hl7.terminology.r4']);
const auto = processing.AUTOMATIC_DEPENDENCIES;
for (let i = auto.length - 1; i >= 0; i--) {
  if (!keep.has(auto[i].packageId)) auto.splice(i, 1);
}
processing.checkSushiVersion = async () => ({ current: require('fsh-sushi/package.json').version, latest: undefined });

for (const mod of [http, https]) {
  for (const fn of ['request', 'get']) {
    mod[fn] = (...args) => {
      const target = typeof args[0] === 'string' ? args[0] : (args[0] && (args[0].href || args[0].hostname)) || '?';
      throw new Error(`offline SUSHI build: refused network access to ${target}`);
    };
  }
}
