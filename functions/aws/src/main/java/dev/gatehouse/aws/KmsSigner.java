package dev.gatehouse.aws;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.Printable;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signature.PublicKeys;
import java.net.URI;
import java.security.PublicKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs with an asymmetric AWS KMS key (key spec ECC_NIST_P256, usage SIGN_VERIFY): Gatehouse
 * hashes the data and KMS signs the SHA-256 digest ({@code MessageType DIGEST}, algorithm
 * ECDSA_SHA_256), so the private key never leaves KMS and large payloads are never sent. The
 * public key is fetched once with GetPublicKey and checked to be a P-256 signing key; KMS
 * returns ECDSA signatures DER-encoded, as cosign and Gatehouse verify them. The key id is the
 * key ARN KMS reports, whatever alias or id the key was configured by.
 */
public final class KmsSigner implements Signer {

    private final KmsClient kms;
    private final String keyArn;
    private final PublicKey publicKey;

    private KmsSigner(KmsClient kms, String keyArn, PublicKey publicKey) {
        this.kms = kms;
        this.keyArn = keyArn;
        this.publicKey = publicKey;
    }

    /** Reads the public key of {@code keyId} (key id, ARN, or alias) and checks it can sign as Gatehouse does. */
    public static KmsSigner connect(KmsClient kms, String keyId) throws SigningException {
        GetPublicKeyResponse response;
        try {
            response = kms.getPublicKey(b -> b.keyId(keyId));
        } catch (KmsException e) {
            throw new SigningException("KMS GetPublicKey for " + keyId + " refused: " + error(e), e);
        } catch (SdkException e) {
            throw new SigningException("KMS GetPublicKey for " + keyId + " failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        }
        if (response.keySpec() != KeySpec.ECC_NIST_P256) {
            throw new SigningException("KMS key " + keyId + " has key spec " + response.keySpecAsString() + ", expected ECC_NIST_P256");
        }
        if (response.keyUsage() != KeyUsageType.SIGN_VERIFY) {
            throw new SigningException("KMS key " + keyId + " has key usage " + response.keyUsageAsString() + ", expected SIGN_VERIFY");
        }
        if (!response.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
            throw new SigningException("KMS key " + keyId + " does not offer ECDSA_SHA_256");
        }
        PublicKey key;
        try {
            key = PublicKeys.fromDer(response.publicKey().asByteArray(), "KMS key " + keyId);
        } catch (MalformedInputException e) {
            throw new SigningException(e.getMessage(), e);
        }
        String arn = response.keyId() == null || response.keyId().isEmpty() ? keyId : response.keyId();
        return new KmsSigner(kms, arn, key);
    }

    /**
     * A KMS client with the default AWS credential chain and the URL-connection HTTP client;
     * {@code endpoint} and {@code region} override the defaults when not null (VPC endpoints, tests).
     */
    public static KmsClient client(URI endpoint, Region region) {
        KmsClientBuilder builder = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(region);
        }
        return builder.build();
    }

    @Override
    public byte[] sign(byte[] data) throws SigningException {
        byte[] digest = Digest.newSha256().digest(data);
        SignResponse response;
        try {
            response = kms.sign(b -> b.keyId(keyArn)
                    .message(SdkBytes.fromByteArray(digest))
                    .messageType(MessageType.DIGEST)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
        } catch (KmsException e) {
            throw new SigningException("KMS Sign with " + keyArn + " refused: " + error(e), e);
        } catch (SdkException e) {
            throw new SigningException("KMS Sign with " + keyArn + " failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        }
        if (response.signature() == null) {
            throw new SigningException("KMS Sign with " + keyArn + " returned no signature");
        }
        byte[] signature = response.signature().asByteArray();
        // Never hand out a signature that does not verify: a wrong key or a corrupted answer fails here.
        if (!dev.gatehouse.signature.SignatureCheck.verifySha256Digest(publicKey, digest, signature)) {
            throw new SigningException("KMS Sign with " + keyArn + " returned a signature that does not verify with its public key");
        }
        return signature;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String keyId() {
        return keyArn;
    }

    private static String error(KmsException e) {
        return e.awsErrorDetails() == null ? Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS)
                : e.awsErrorDetails().errorCode() + " "
                        + Printable.oneLine(e.awsErrorDetails().errorMessage(), Printable.QUOTED_ERROR_CHARS);
    }
}
