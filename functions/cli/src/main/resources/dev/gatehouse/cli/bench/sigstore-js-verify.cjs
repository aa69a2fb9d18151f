// Verifies sigstore-conformance bundles with sigstore-js, offline: the trust material is built from
// the case's trusted_root.json as sigstore-js's own createVerifier builds it from TUF (TUF is never
// started). Used by `gatehouse bench`, which interleaves its own rounds with these.
//
// node sigstore-js-verify.cjs NODE_MODULES CASES.json ROUNDS WARMUP_MILLIS
// CASES.json: [{name, bundle, artifact, trustedRoot, key?, identity?, issuer?}] (file paths)
// Prints one JSON line {version, cases: [{name, verified, error?}]} once warm, then for every "round"
// line read on stdin verifies each verifiable bundle once and prints the round's nanoseconds.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const [modules, casesFile, roundsArg, warmupArg] = process.argv.slice(2);
const load = (name) => require(path.join(modules, name));
const { bundleFromJSON } = load('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = load('@sigstore/verify');
const { TrustedRoot } = load('@sigstore/protobuf-specs');
const { crypto } = load('@sigstore/core');
const version = JSON.parse(fs.readFileSync(path.join(modules, 'sigstore', 'package.json'), 'utf8')).version;

function prepare(c) {
  const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(c.trustedRoot, 'utf8')));
  // A managed-key case: every key hint resolves to the given key, as sigstore-js's keySelector does.
  const keys = c.key
    ? () => ({ publicKey: crypto.createPublicKey(fs.readFileSync(c.key, 'utf8')), validFor: () => true })
    : undefined;
  const verifier = new Verifier(toTrustMaterial(root, keys), {});
  const policy = c.key ? {} : { subjectAlternativeName: c.identity, extensions: { issuer: c.issuer } };
  return { name: c.name, verifier, policy, bundle: fs.readFileSync(c.bundle, 'utf8'), artifact: fs.readFileSync(c.artifact) };
}

function verifyOnce(p) {
  const entity = toSignedEntity(bundleFromJSON(JSON.parse(p.bundle)), p.artifact);
  p.verifier.verify(entity, p.policy);
}

const prepared = JSON.parse(fs.readFileSync(casesFile, 'utf8')).map(prepare);
const cases = prepared.map((p) => {
  try {
    verifyOnce(p);
    return { name: p.name, verified: true };
  } catch (e) {
    return { name: p.name, verified: false, error: `${e.code ? e.code + ': ' : ''}${e.message}`.split('\n')[0] };
  }
});
const verifiable = prepared.filter((p, i) => cases[i].verified);
// The same warm-up as the Java side: at least ROUNDS rounds and at least WARMUP_MILLIS.
const warmupEnd = process.hrtime.bigint() + BigInt(warmupArg) * 1000000n;
for (let r = 0; r < Number(roundsArg) || process.hrtime.bigint() < warmupEnd; r++) {
  verifiable.forEach(verifyOnce);
}
process.stdout.write(JSON.stringify({ version, cases }) + '\n');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'round') {
    return;
  }
  const start = process.hrtime.bigint();
  verifiable.forEach(verifyOnce);
  process.stdout.write(`${process.hrtime.bigint() - start}\n`);
});
