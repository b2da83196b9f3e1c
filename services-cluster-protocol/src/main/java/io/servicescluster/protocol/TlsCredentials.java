package io.servicescluster.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One party's side of the cluster's mutual TLS (R17): its own certificate and private key, and the
 * cluster's CA certificate, the only one it trusts. The manager makes them (a CA per cluster, a
 * certificate per remote start); a remote receives its own as PEM text ({@link #fromPem}).
 *
 * <p>Every connection made with these is TLS 1.3 with a certificate required on both sides; a peer
 * whose certificate does not chain to the cluster's CA fails the handshake. Certificates name their
 * holder in the subject's common name: a service's name, or {@link #MANAGER} for the manager.
 */
public final class TlsCredentials {

    /** The one protocol spoken. */
    public static final String PROTOCOL = "TLSv1.3";
    /** The common name of the manager's certificate: no service can be named so (it has a space). */
    public static final String MANAGER = "services-cluster manager";

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final X509Certificate authority;
    private volatile SSLContext context; // made on first use: the manager issues credentials it never speaks with

    private TlsCredentials(PrivateKey key, X509Certificate certificate, X509Certificate authority) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.authority = Objects.requireNonNull(authority, "authority");
    }

    /**
     * Credentials of {@code certificate} (whose private key is {@code key}), trusting {@code authority}.
     *
     * @throws GeneralSecurityException if {@code key} is of another algorithm than {@code certificate}'s
     *     public key (a key that does not match the certificate fails the first handshake instead)
     */
    public static TlsCredentials of(PrivateKey key, X509Certificate certificate, X509Certificate authority)
            throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw new GeneralSecurityException("a " + key.getAlgorithm() + " key for a certificate of a "
                    + certificate.getPublicKey().getAlgorithm() + " key");
        }
        return new TlsCredentials(key, certificate, authority);
    }

    /**
     * Reads {@link #toPem()}'s form: the holder's {@code CERTIFICATE}, its {@code PRIVATE KEY} (PKCS #8,
     * EC), then the CA's {@code CERTIFICATE}, in that order.
     *
     * @throws IOException if the text is not three such blocks, with what is wrong
     */
    public static TlsCredentials fromPem(String pem) throws IOException {
        List<String[]> blocks = blocks(pem);
        if (blocks.size() != 3 || !blocks.get(0)[0].equals(CERTIFICATE) || !blocks.get(1)[0].equals(PRIVATE_KEY)
                || !blocks.get(2)[0].equals(CERTIFICATE)) {
            throw new IOException("TLS credentials must be three PEM blocks: CERTIFICATE, PRIVATE KEY, CERTIFICATE "
                    + "(the CA's); found " + blocks.stream().map(b -> b[0]).toList());
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate own = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(Base64.getMimeDecoder().decode(blocks.get(0)[1])));
            X509Certificate ca = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(Base64.getMimeDecoder().decode(blocks.get(2)[1])));
            PrivateKey key = KeyFactory.getInstance(own.getPublicKey().getAlgorithm()).generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(blocks.get(1)[1])));
            TlsCredentials read = new TlsCredentials(key, own, ca);
            read.context(); // what the JDK cannot make a context of fails here, where it is read, not at a connection
            return read;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable TLS credentials: " + e.getMessage(), e);
        }
    }

    /** These credentials as PEM text, for {@link #fromPem}: they hold the private key, so keep them private. */
    public String toPem() {
        try {
            return pem(CERTIFICATE, certificate.getEncoded()) + pem(PRIVATE_KEY, key.getEncoded())
                    + pem(CERTIFICATE, authority.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }

    /** The holder's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The holder's private key (the manager's CA signs with its own; nothing else needs it). */
    public PrivateKey key() {
        return key;
    }

    /** The cluster CA's certificate. */
    public X509Certificate authority() {
        return authority;
    }

    /** The serial number of the holder's certificate in hex: random and unique per certificate. */
    public String serial() {
        return certificate.getSerialNumber().toString(16);
    }

    /** The serial number of {@code certificate} in hex, as {@link #serial()} writes it. */
    public static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    /**
     * The common name in {@code certificate}'s subject: the service's name, or {@link #MANAGER};
     * empty if none. Read from the RFC 2253 form by hand (no {@code java.naming} on the remote's start).
     */
    public static String commonName(X509Certificate certificate) {
        String name = certificate.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
        StringBuilder value = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (value == null) {
                if ((i == 0 || name.charAt(i - 1) == ',') && name.regionMatches(true, i, "CN=", 0, 3)) {
                    value = new StringBuilder();
                    i += 2;
                }
            } else if (c == '\\' && i + 1 < name.length()) {
                value.append(name.charAt(++i));
            } else if (c == ',') {
                break;
            } else {
                value.append(c);
            }
        }
        return value == null ? "" : value.toString();
    }

    /**
     * {@code plain}, a connected socket, with TLS on top: the client's side when {@code client},
     * else the server's, requiring the peer's certificate. The handshake starts on the first read
     * or write, or {@link SSLSocket#startHandshake()}.
     */
    SSLSocket layer(Socket plain, boolean client) throws IOException {
        SSLContext tls;
        try {
            tls = context();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS context of " + this + ": " + e.getMessage(), e);
        }
        SSLSocket socket = client
                ? (SSLSocket) tls.getSocketFactory().createSocket(plain,
                        plain.getInetAddress().getHostAddress(), plain.getPort(), true)
                : (SSLSocket) tls.getSocketFactory().createSocket(plain, null, true);
        socket.setUseClientMode(client);
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        if (!client) {
            socket.setNeedClientAuth(true);
        }
        return socket;
    }

    /** The TLS context of these credentials, made once. */
    private SSLContext context() throws GeneralSecurityException {
        SSLContext made = context;
        if (made == null) {
            synchronized (this) {
                made = context;
                if (made == null) {
                    made = context(key, certificate, authority);
                    context = made;
                }
            }
        }
        return made;
    }

    /**
     * A TLS 1.3 context that presents {@code certificate} and trusts {@code authority} alone (PKIX,
     * without revocation checks: certificates live as long as a start). No key store: a PKCS #12
     * store and its key manager factory cost a remote ~80 ms of its start, cold; {@link OwnKey} and
     * trust anchors ~15 ms.
     */
    private static SSLContext context(PrivateKey key, X509Certificate certificate, X509Certificate authority)
            throws GeneralSecurityException {
        PKIXBuilderParameters trust = new PKIXBuilderParameters(Set.of(new TrustAnchor(authority, null)), null);
        trust.setRevocationEnabled(false);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(new CertPathTrustManagerParameters(trust));
        X509Certificate[] chain = certificate.equals(authority) ? new X509Certificate[] {certificate}
                : new X509Certificate[] {certificate, authority};
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(new KeyManager[] {new OwnKey(key, chain)}, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** This party's one key and certificate chain, offered on either side of a handshake where its algorithm fits. */
    private static final class OwnKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "self";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        OwnKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        private String fits(String keyType) {
            return key.getAlgorithm().equals(keyType) ? ALIAS : null;
        }

        private String fitsAny(String[] keyTypes) {
            for (String keyType : keyTypes) {
                if (fits(keyType) != null) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return fits(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fitsAny(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fitsAny(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return fits(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return fits(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** The PEM blocks of {@code text}: each its label and base64 body. */
    private static List<String[]> blocks(String text) throws IOException {
        List<String[]> blocks = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf("-----BEGIN ", at)) >= 0) {
            int labelEnd = text.indexOf("-----", at + 11);
            if (labelEnd < 0) {
                throw new IOException("a PEM block without its label's end");
            }
            String label = text.substring(at + 11, labelEnd);
            String end = "-----END " + label + "-----";
            int bodyEnd = text.indexOf(end, labelEnd);
            if (bodyEnd < 0) {
                throw new IOException("the PEM block " + label + " has no end");
            }
            blocks.add(new String[] {label, text.substring(labelEnd + 5, bodyEnd).strip()});
            at = bodyEnd + end.length();
        }
        return blocks;
    }

    /** Reads credentials from {@code bytes} (UTF-8 PEM). */
    public static TlsCredentials fromPem(byte[] bytes) throws IOException {
        return fromPem(new String(bytes, StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "TlsCredentials[" + certificate.getSubjectX500Principal().getName() + ", serial " + serial() + "]";
    }
}
