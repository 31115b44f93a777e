package io.fibflow.api.internals.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Loads truststore and keystore files into an {@link SSLContext}. */
public final class SslContexts {

    private SslContexts() {
    }

    public static SSLContext load(Path truststore, char[] truststorePassword, String truststoreType,
                                  Path keystore, char[] keystorePassword, char[] keyPassword, String keystoreType) {
        try {
            TrustManagerFactory tmf = null;
            if (truststore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(read(truststore, truststorePassword, truststoreType));
            }
            KeyManagerFactory kmf = null;
            if (keystore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(read(keystore, keystorePassword, keystoreType), keyPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load TLS stores (truststore '" + truststore
                    + "', keystore '" + keystore + "'): " + e.getMessage(), e);
        }
    }

    private static KeyStore read(Path path, char[] password, String type) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }
}
