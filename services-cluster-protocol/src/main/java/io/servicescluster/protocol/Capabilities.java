package io.servicescluster.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Capabilities for the data plane (R15). Every start of a service gets a fresh random key, known
 * to the manager and to that remote only. A dependent may connect to it with the capability
 * {@code HMAC-SHA256(key, dependentName)}, which the manager hands to declared dependents alone
 * ({@code PeerUp}). The receiving remote recomputes it, so it needs no list of grants, cannot be
 * raced by a grant in flight, and refuses a forged client even if it finds the socket. A new
 * start means a new key: capabilities of an earlier start are worthless.
 */
public final class Capabilities {

    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Capabilities() {
    }

    /** A fresh random key, hex-encoded (256 bits). */
    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** The capability with which {@code dependent} may connect to the holder of {@code key}. */
    public static String capability(String key, String dependent) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(key), ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(dependent.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    /** Whether {@code capability} lets {@code dependent} in; compared in constant time. */
    public static boolean verify(String key, String dependent, String capability) {
        byte[] expected = capability(key, dependent).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, capability.getBytes(StandardCharsets.US_ASCII));
    }
}
