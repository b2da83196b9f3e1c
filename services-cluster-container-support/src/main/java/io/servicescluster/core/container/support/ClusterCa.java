package io.servicescluster.core.container.support;

import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority of one cluster (R17): made by the manager on first use and kept in its
 * run folder ({@code RUN/tls/ca.pem}, mode 0600 in a folder of mode 0700, removed with the run
 * folder), never handed out. It issues the manager's own certificate ({@link #manager()}) and a
 * fresh key and certificate for every start of a remote ({@link #issue}: one per start, as R10
 * wants every start to be new), which leave the manager only to that remote.
 *
 * <p>Keys are EC P-256; certificates are signed with SHA-256 ECDSA by the JDK's own provider.
 * Bouncy Castle only builds the certificates. A certificate's subject names its holder: {@code
 * CN=SERVICE, OU=START, O=services-cluster CLUSTER}, so a log can say which start connected; its
 * serial is 128 random bits.
 */
public final class ClusterCa {

    /** How long the certificates are valid: longer than any manager runs (a new manager makes a new CA). */
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Path, ClusterCa> BY_RUN_FOLDER = new ConcurrentHashMap<>();

    private final String cluster;
    private final TlsCredentials authority;
    private final TlsCredentials manager;

    private ClusterCa(String cluster, TlsCredentials authority) throws GeneralSecurityException {
        this.cluster = cluster;
        this.authority = authority;
        this.manager = issue(TlsCredentials.MANAGER, "manager");
    }

    /**
     * The CA of the cluster whose run folder is {@code runDir}: the one made there already (by this
     * manager, for another service), else a new one, written to {@code RUN/tls/ca.pem}.
     *
     * @throws IOException if the folder or file cannot be written, or the keys cannot be made
     */
    public static ClusterCa of(Path runDir, String cluster) throws IOException {
        try {
            return BY_RUN_FOLDER.computeIfAbsent(runDir.toAbsolutePath(), dir -> {
                try {
                    return load(dir, cluster);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            throw new IOException("cannot make the cluster's certificate authority in " + runDir + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A CA held in memory only: for tests, and for a caller that keeps it elsewhere. */
    public static ClusterCa inMemory(String cluster) throws GeneralSecurityException {
        return new ClusterCa(cluster, newAuthority(cluster));
    }

    private static ClusterCa load(Path runDir, String cluster) throws IOException, GeneralSecurityException {
        Path folder = runDir.resolve("tls");
        Path file = folder.resolve("ca.pem");
        if (Files.exists(file)) {
            return new ClusterCa(cluster, TlsCredentials.fromPem(Files.readString(file)));
        }
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        TlsCredentials authority = newAuthority(cluster);
        Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), authority.toPem(), StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE);
        return new ClusterCa(cluster, authority);
    }

    /** The CA's certificate, which every party trusts and nothing else. */
    public X509Certificate certificate() {
        return authority.certificate();
    }

    /** The manager's own credentials: its listening side of the control channels. */
    public TlsCredentials manager() {
        return manager;
    }

    /**
     * A new key and certificate for one start of {@code service}, named {@code start} in the
     * certificate (such as {@code start 3}), trusting this CA.
     */
    public TlsCredentials issue(String service, String start) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        X509Certificate issuer = authority.certificate();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), notBefore(), notAfter(),
                name(service, start, cluster), keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    // every remote is a server (its data endpoint) and a client (of the manager, of its dependencies)
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot add a certificate extension: " + e.getMessage(), e);
        }
        return TlsCredentials.of(keys.getPrivate(), sign(builder, authority.key()), issuer);
    }

    private static TlsCredentials newAuthority(String cluster) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        X500Name name = name("services-cluster CA", "authority", cluster);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(),
                name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot add a certificate extension: " + e.getMessage(), e);
        }
        X509Certificate certificate = sign(builder, keys.getPrivate());
        return TlsCredentials.of(keys.getPrivate(), certificate, certificate);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static X500Name name(String commonName, String unit, String cluster) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "services-cluster " + cluster)
                .addRDN(BCStyle.OU, unit).addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new BigInteger(1, bytes);
    }

    /** A minute back: a peer whose clock runs a little behind still accepts a fresh certificate. */
    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofMinutes(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(VALIDITY));
    }
}
