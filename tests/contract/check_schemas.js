// Compiles every JSON Schema of an OpenAPI 3.1 document, and validates JSON documents against one.
//
//   node check_schemas.js SPEC.yaml               compile every schema; exit 1 if any fails
//   node check_schemas.js SPEC.yaml NAME < LINES  also validate each stdin line (one JSON value
//                                                 a line) against components/schemas/NAME
//
// Why: Prism, the validating proxy of run.sh, skips validation silently when a schema does not
// compile, so a broken schema would make the contract test pass while checking nothing. This
// compiles them the way Prism does (Ajv, draft 2020-12, ajv-formats, non-strict) and fails
// instead. The second form checks what cannot go through Prism (the SSE stream).
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const [specPath, schemaName] = process.argv.slice(2);
if (!specPath) {
  console.error('usage: node check_schemas.js SPEC.yaml [SCHEMA_NAME < LINES]');
  process.exit(2);
}

const doc = yaml.load(fs.readFileSync(specPath, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
// The whole document is one resource, so "#/components/schemas/X" resolves inside it.
ajv.addSchema(doc, 'spec');

// Every schema object of the document: components, and the inline ones of paths.
const pointers = [];
for (const name of Object.keys(doc.components.schemas)) {
  pointers.push(`#/components/schemas/${name}`);
}
function collect(node, pointer) {
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === 'schema' && value && typeof value === 'object') pointers.push(child);
    else collect(value, child);
  }
}
collect(doc.paths, '#/paths');
collect(doc.components.parameters, '#/components/parameters');
collect(doc.components.headers, '#/components/headers');
collect(doc.components.responses, '#/components/responses');

let failed = 0;
for (const pointer of pointers) {
  try {
    ajv.getSchema(`spec${pointer}`) || ajv.compile({ $ref: `spec${pointer}` });
  } catch (e) {
    failed++;
    console.error(`schema ${pointer} does not compile: ${e.message}`);
  }
}
if (failed > 0) process.exit(1);
if (!schemaName) {
  console.log(`${pointers.length} schemas compile`);
  process.exit(0);
}

const validate = ajv.compile({ $ref: `spec#/components/schemas/${schemaName}` });
const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
let invalid = 0;
for (const [i, line] of lines.entries()) {
  let value;
  try {
    value = JSON.parse(line);
  } catch (e) {
    invalid++;
    console.error(`line ${i + 1}: not JSON: ${e.message}`);
    continue;
  }
  if (!validate(value)) {
    invalid++;
    console.error(`line ${i + 1}: not a valid ${schemaName}: ${ajv.errorsText(validate.errors)}`);
  }
}
console.log(`${lines.length - invalid} of ${lines.length} valid ${schemaName}`);
process.exit(invalid > 0 || lines.length === 0 ? 1 : 0);
