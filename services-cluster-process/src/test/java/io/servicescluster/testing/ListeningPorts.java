package io.servicescluster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP ports a process listens on, from its sockets' inodes in its network namespace's {@code net/tcp} tables. */
public final class ListeningPorts {

    private ListeningPorts() {
    }

    /** Every IPv4 address ({@code 0.0.0.0}) as {@code /proc/net/tcp} writes it. */
    public static final String ANY = "00000000";
    /** 127.0.0.1 as {@code /proc/net/tcp} writes it (little-endian). */
    public static final String LOOPBACK = "0100007F";
    /** 10.77.0.1, the swarm test bed's manager node (bin/swarm-testbed), as {@code /proc/net/tcp} writes it. */
    public static final String SWARM_MANAGER_NODE = "01004D0A";

    /**
     * The ports process {@code pid} listens on at IPv4 address {@code addressHex} (as {@code
     * /proc/net/tcp} writes it: {@link #ANY}, {@link #LOOPBACK}), also where the JDK bound an
     * IPv6 socket (the address IPv4-mapped, or {@code ::} for any).
     */
    public static List<Integer> of(long pid, String addressHex) throws IOException {
        Set<String> forms = new HashSet<>(List.of(addressHex, "0000000000000000FFFF0000" + addressHex));
        if (addressHex.equals(ANY)) {
            forms.add("0".repeat(32));
        }
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] fields = line.trim().split("\\s+");
                // local address HEX:PORT; state 0A is LISTEN; the inode is field 9
                if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
                    if (forms.contains(fields[1].substring(0, fields[1].indexOf(':')))) {
                        ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                    }
                }
            }
        }
        return ports;
    }
}
