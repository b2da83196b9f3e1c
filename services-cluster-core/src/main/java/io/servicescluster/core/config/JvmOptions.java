package io.servicescluster.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code jvm: { options: [...] }}: extra options of its JVM, put after the runtime's
 * own so that they win (SPEC §4). In the cluster file the options of {@code defaults} come first,
 * then the service's own.
 *
 * @param options each starts with {@code -}
 */
public record JvmOptions(List<String> options) {

    /** No extra options. */
    public static final JvmOptions NONE = new JvmOptions(List.of());

    /**
     * The heap bound of a service without a memory limit and without a heap option of its own.
     * The JVM's own default, a quarter of the machine's memory for each JVM, lets twenty idle
     * services claim five times the machine; 256 MiB is plenty for the small services a cluster is
     * made of, and bounded: a service that needs more says so ({@code resources.memory}, or
     * {@code -Xmx} in {@code jvm.options}). docs/sandbox.md.
     */
    public static final long DEFAULT_MAX_HEAP_BYTES = 256L << 20;
    /** The share of a memory limit given to the Java heap; the rest is for the JVM itself. */
    public static final double HEAP_SHARE = 0.75;
    private static final long MIN_HEAP_BYTES = 8L << 20;

    /** {@code -Xmx} and {@code -XX:MaxHeapSize=}: a size as the JVM reads it, no unit meaning bytes. */
    private static final Pattern MAX_HEAP = Pattern.compile("(?:-Xmx|-XX:MaxHeapSize=)([0-9]+)([kKmMgGtT]?)");
    private static final Pattern INITIAL_HEAP = Pattern.compile("(?:-Xms|-XX:InitialHeapSize=)([0-9]+)([kKmMgGtT]?)");
    /** Options that bound the heap, one way or another: with one, the runtime adds no bound of its own. */
    private static final List<String> HEAP_BOUNDS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM=",
            "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction=");
    private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon)GC");

    public JvmOptions {
        options = List.copyOf(options);
    }

    /**
     * Every option of a service's JVM beyond the runtime's own, in order: a heap bound — unless these
     * options bound the heap themselves — of {@value #HEAP_SHARE} of the memory limit, or {@link
     * #DEFAULT_MAX_HEAP_BYTES} without one, and never below the initial heap asked for; as many
     * processors as the CPU quota allows; then these options, which so win over the bound.
     */
    public List<String> forService(Resources resources) {
        List<String> flags = new ArrayList<>();
        if (!boundsHeap()) {
            long heap = resources.memoryBytes().stream()
                    .map(limit -> Math.max(MIN_HEAP_BYTES, (long) (limit * HEAP_SHARE)))
                    .findFirst().orElse(DEFAULT_MAX_HEAP_BYTES);
            heap = Math.max(heap, initialHeapBytes().orElse(0));
            flags.add(heap % (1 << 20) == 0 ? "-Xmx" + (heap >> 20) + "m" : "-Xmx" + heap);
        }
        resources.cpus().ifPresent(cpus -> flags.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(cpus))));
        flags.addAll(options);
        return List.copyOf(flags);
    }

    /** Whether one of these options bounds the heap ({@code -Xmx}, {@code -XX:MaxRAMPercentage=}, …). */
    public boolean boundsHeap() {
        return options.stream().anyMatch(o -> HEAP_BOUNDS.stream().anyMatch(o::startsWith));
    }

    /** Whether one of these options chooses a garbage collector ({@code -XX:+UseZGC}, …). */
    public boolean choosesGc() {
        return options.stream().anyMatch(o -> GC_CHOICE.matcher(o).matches());
    }

    /** The initial heap these options ask for ({@code -Xms}), the last one winning as in the JVM. */
    public OptionalLong initialHeapBytes() {
        OptionalLong last = OptionalLong.empty();
        for (String option : options) {
            OptionalLong size = size(INITIAL_HEAP.matcher(option));
            last = size.isPresent() ? size : last;
        }
        return last;
    }

    /** The maximum heap that {@code option} sets ({@code -Xmx512m}, {@code -XX:MaxHeapSize=1g}), if it sets one. */
    public static OptionalLong maxHeapBytes(String option) {
        return size(MAX_HEAP.matcher(option));
    }

    private static OptionalLong size(Matcher matcher) {
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(matcher.group(1));
            return number > Long.MAX_VALUE >> shift ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(number << shift);
        } catch (NumberFormatException e) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
    }

    /**
     * Why {@code option} cannot be a service's option, if it cannot: the runtime sets the class path,
     * the main class and the class-data files itself, and the service would not start without them.
     */
    public static Optional<String> refusal(String option) {
        if (!option.startsWith("-")) {
            return Optional.of("'" + option + "' is not an option: a JVM option starts with '-', such as "
                    + "-XX:+UseZGC or -Dkey=value");
        }
        if (List.of("-cp", "-classpath", "--class-path", "-jar", "-m", "--module").contains(option)
                || option.startsWith("--class-path=") || option.startsWith("--module=")) {
            return Optional.of("'" + option + "' cannot be set here: the runtime sets the class path and the main "
                    + "class itself; put the service's jars and folders in code.classpath");
        }
        if (option.startsWith("-XX:AOT") || option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:ArchiveClassesAtExit") || option.equals("-XX:+AutoCreateSharedArchive")) {
            return Optional.of("'" + option + "' cannot be set here: the runtime chooses the class-data (AOT/CDS) "
                    + "files itself (docs/performance.md)");
        }
        return Optional.empty();
    }
}
