package dev.gatehouse.attestation;

import java.security.cert.X509Certificate;

/** A DSSE envelope whose signature verified, the certificate of the key that made it, and how it was checked. */
public record SignedEnvelope(DsseEnvelope envelope, X509Certificate certificate, String method) {}
