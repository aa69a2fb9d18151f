package dev.gatehouse.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS trust for registries with a private CA: an SSL context that trusts the certificates of a PEM bundle. */
public final class TrustedCertificates {

    private static final long MAX_BYTES = 1024 * 1024;

    private TrustedCertificates() {}

    /** Trusts exactly the certificates in {@code pemBundle} (not the JDK's default CAs). */
    public static SSLContext sslContext(Path pemBundle) throws RegistryException {
        try {
            if (Files.size(pemBundle) > MAX_BYTES) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, "CA bundle " + pemBundle + " exceeds " + MAX_BYTES + " bytes");
            }
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pemBundle)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, "CA bundle " + pemBundle + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot read CA bundle " + pemBundle + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, "CA bundle " + pemBundle + ": " + e.getMessage(), e);
        }
    }
}
