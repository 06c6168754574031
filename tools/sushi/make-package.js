// Turns SUSHI's FSHOnly output into a clean FHIR package folder:
//   <out>/package/package.json, .index.json, conformance resources;
//   <out>/package/example/ the valid examples;
//   <out>/examples-invalid/ the invalid examples (ids starting with "invalid-"), kept out of the package.
// package.json is derived from sushi-config.yaml so the canonical base is written in one place only.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const [profilesDir, outDir] = process.argv.slice(2);
const config = YAML.parse(fs.readFileSync(path.join(profilesDir, 'sushi-config.yaml'), 'utf8'));
const generated = path.join(profilesDir, 'fsh-generated', 'resources');
const pkg = path.join(outDir, 'package');
const examples = path.join(pkg, 'example');
const invalid = path.join(outDir, 'examples-invalid');
for (const d of [pkg, invalid]) fs.rmSync(d, { recursive: true, force: true });
for (const d of [pkg, examples, invalid]) fs.mkdirSync(d, { recursive: true });

const conformance = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'SearchParameter', 'NamingSystem']);
const index = [];
const exampleIndex = [];
for (const file of fs.readdirSync(generated).sort()) {
  const text = fs.readFileSync(path.join(generated, file), 'utf8');
  const res = JSON.parse(text);
  const entry = { filename: file, resourceType: res.resourceType, id: res.id };
  for (const k of ['url', 'version', 'kind', 'type']) if (res[k] !== undefined) entry[k] = res[k];
  if (res.id.startsWith('invalid-')) {
    fs.writeFileSync(path.join(invalid, file), text);
  } else if (conformance.has(res.resourceType)) {
    fs.writeFileSync(path.join(pkg, file), text);
    index.push(entry);
  } else {
    fs.writeFileSync(path.join(examples, file), text);
    exampleIndex.push(entry);
  }
}
const manifest = {
  name: config.id,
  version: config.version,
  canonical: config.canonical,
  url: config.canonical,
  title: 'FhirIntrathecal single-shot intrathecal midazolam registry',
  description: 'Profiles, extensions and terminology for a registry of single-shot intrathecal midazolam (FhirIntrathecal).',
  fhirVersions: [config.fhirVersion],
  type: 'IG',
  license: 'CC0-1.0',
  author: 'FhirIntrathecal',
  dependencies: { 'hl7.fhir.r4.core': '4.0.1', ...config.dependencies },
};
const json = (o) => JSON.stringify(o, null, 2) + '\n';
fs.writeFileSync(path.join(pkg, 'package.json'), json(manifest));
fs.writeFileSync(path.join(pkg, '.index.json'), json({ 'index-version': 1, files: index }));
fs.writeFileSync(path.join(examples, '.index.json'), json({ 'index-version': 1, files: exampleIndex }));
console.log(`package: ${index.length} conformance resources, ${exampleIndex.length} examples; ${fs.readdirSync(invalid).length} invalid examples`);
