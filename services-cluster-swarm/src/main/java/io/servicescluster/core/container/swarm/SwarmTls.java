package io.servicescluster.core.container.swarm;

import com.github.dockerjava.core.util.CertificateUtils;
import com.github.dockerjava.transport.SSLConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * {@code tls: { ca, cert, key }} of the swarm kind (SPEC §6): PEM files for a {@code tcp://} Engine
 * API started with {@code --tlsverify}: the CA that signed the daemon's certificate, and this
 * client's certificate and key. Read with docker-java's {@link CertificateUtils} (PKCS#1, PKCS#8, EC
 * keys), the way its own {@code LocalDirectorySSLConfig} reads {@code DOCKER_CERT_PATH}'s fixed names.
 *
 * @param ca the CA certificate(s) the daemon's certificate must chain to
 * @param cert this client's certificate
 * @param key this client's private key
 */
public record SwarmTls(Path ca, Path cert, Path key) implements SSLConfig {

    /** The password of the in-memory key store {@link CertificateUtils#createKeyStore} makes. */
    private static final char[] KEY_STORE_PASSWORD = "docker".toCharArray();

    public SwarmTls {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /** The client's context: trusts only {@code ca}, presents {@code cert}; a file that cannot be read or parsed is a {@link KeyStoreException} naming it. */
    @Override
    public SSLContext getSSLContext() throws KeyManagementException, UnrecoverableKeyException,
            NoSuchAlgorithmException, KeyStoreException {
        // CertificateUtils asks for the "BC" provider by name, as docker-java's own LocalDirectorySSLConfig
        // does before it; added last, so JSSE and the JDK's providers still come first for everything else
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store("cert and key", () -> CertificateUtils.createKeyStore(Files.readString(key),
                Files.readString(cert))), KEY_STORE_PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store("ca", () -> CertificateUtils.createTrustStore(Files.readString(ca))));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private interface StoreRead {
        KeyStore read() throws IOException, GeneralSecurityException;
    }

    private KeyStore store(String what, StoreRead read) throws KeyStoreException {
        try {
            return read.read();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyStoreException("cannot read the swarm engine's TLS " + what + " (" + this + "): " + e, e);
        }
    }

    @Override
    public String toString() {
        return "tls { ca: " + ca + ", cert: " + cert + ", key: " + key + " }";
    }
}
