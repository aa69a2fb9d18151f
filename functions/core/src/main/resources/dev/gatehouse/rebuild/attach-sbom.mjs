// Attaches a CycloneDX SBOM to an image as an OCI 1.1 referrer that names the build which made it,
// the contract Gatehouse's BuildAttachedSbom reads (docs/rebuilds.md). Run by a rebuild's buildspec
// after cdxgen, with Node 18 or newer and nothing else:
//   node attach-sbom.mjs HOST/REPOSITORY sha256:DIGEST BOM.json BUILD_ID
// GATEHOUSE_REGISTRY_AUTHORIZATION is the Authorization header value (ECR: "Basic base64(AWS:token)");
// GATEHOUSE_REGISTRY_PLAIN_HTTP_UNSAFE=1 talks plain HTTP (local test registries only). On registries
// without the referrers API the subject's sha256-<hex> tag index is updated, as the OCI spec asks.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const CYCLONEDX = "application/vnd.cyclonedx+json";
const ACCEPT = [OCI_MANIFEST, OCI_INDEX, "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"].join(", ");

const [repository, digest, file, buildId] = process.argv.slice(2);
if (!repository || !repository.includes("/") || !/^sha256:[0-9a-f]{64}$/.test(digest ?? "") || !file || !buildId) {
  console.error("usage: node attach-sbom.mjs HOST/REPOSITORY sha256:DIGEST BOM.json BUILD_ID");
  process.exit(2);
}
const slash = repository.indexOf("/");
const scheme = process.env.GATEHOUSE_REGISTRY_PLAIN_HTTP_UNSAFE === "1" ? "http" : "https";
const base = `${scheme}://${repository.slice(0, slash)}/v2/${repository.slice(slash + 1)}`;
const auth = process.env.GATEHOUSE_REGISTRY_AUTHORIZATION ? { Authorization: process.env.GATEHOUSE_REGISTRY_AUTHORIZATION } : {};
// Every registry call has a deadline: a stalled registry fails the build step instead of hanging it.
const CALL_TIMEOUT_MS = 120_000;
// A manifest or tag index larger than this is not one a registry should serve (the OCI spec's 4 MiB).
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const sha256 = (bytes) => "sha256:" + createHash("sha256").update(bytes).digest("hex");

async function call(method, url, expected, what, headers = {}, body = undefined) {
  const response = await fetch(url, { method, headers: { ...auth, ...headers }, body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  if (!expected.includes(response.status)) {
    throw new Error(`${repository}: ${what}: HTTP ${response.status} ${await excerpt(response)}`);
  }
  return response;
}

// The start of an error body, for the message; the rest is never read.
async function excerpt(response) {
  let text = "";
  for await (const chunk of response.body ?? []) {
    text += Buffer.from(chunk).toString("utf8");
    if (text.length >= 200) {
      break;
    }
  }
  return text.slice(0, 200).replace(/\s+/g, " ");
}

async function manifestBytes(response, what) {
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_MANIFEST_BYTES) {
      throw new Error(`${repository}: ${what} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function putBlob(bytes) {
  const blobDigest = sha256(bytes);
  const head = await call("HEAD", `${base}/blobs/${blobDigest}`, [200, 404], "checking a blob");
  if (head.status === 404) {
    const start = await call("POST", `${base}/blobs/uploads/`, [202], "starting a blob upload");
    if (!start.headers.get("location")) {
      throw new Error(`${repository}: starting a blob upload: the registry sent no Location header`);
    }
    const location = new URL(start.headers.get("location"), `${base}/`);
    location.searchParams.set("digest", blobDigest);
    await call("PUT", location, [201], "uploading a blob", { "Content-Type": "application/octet-stream" }, bytes);
  }
  return { digest: blobDigest, size: bytes.length };
}

async function putManifest(document, reference) {
  const bytes = Buffer.from(JSON.stringify(document));
  const response = await call("PUT", `${base}/manifests/${reference ?? sha256(bytes)}`, [201], "pushing a manifest",
    { "Content-Type": document.mediaType }, bytes);
  return { digest: sha256(bytes), size: bytes.length, tracked: response.headers.has("oci-subject") };
}

try {
  const image = await call("GET", `${base}/manifests/${digest}`, [200], `reading ${digest}`, { Accept: ACCEPT });
  const imageBytes = await manifestBytes(image, digest);
  if (sha256(imageBytes) !== digest) {
    throw new Error(`${repository}: the registry served other content for ${digest}`);
  }
  const subject = { mediaType: (image.headers.get("content-type") ?? OCI_MANIFEST).split(";")[0], digest, size: imageBytes.length };
  const layer = await putBlob(readFileSync(file));
  const config = await putBlob(Buffer.from("{}"));
  const annotations = { "dev.gatehouse.rebuild/build-id": buildId };
  const referrer = await putManifest({
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: CYCLONEDX,
    config: { mediaType: "application/vnd.oci.empty.v1+json", ...config },
    layers: [{ mediaType: CYCLONEDX, ...layer }],
    subject, annotations,
  });
  if (!referrer.tracked) {
    const tag = digest.replace(":", "-");
    const existing = await call("GET", `${base}/manifests/${tag}`, [200, 404], "reading the referrers tag index", { Accept: OCI_INDEX });
    const index = existing.status === 200 ? JSON.parse(await manifestBytes(existing, `the referrers tag index ${tag}`))
      : { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
    index.mediaType = OCI_INDEX;
    index.manifests = (index.manifests ?? []).filter((m) => m.digest !== referrer.digest);
    index.manifests.push({ mediaType: OCI_MANIFEST, digest: referrer.digest, size: referrer.size, artifactType: CYCLONEDX, annotations });
    await putManifest(index, tag);
  }
  console.log(`attached SBOM ${layer.digest} to ${repository}@${digest} as ${referrer.digest}`);
} catch (e) {
  console.error(`attach-sbom: ${e.message}`);
  process.exit(1);
}
