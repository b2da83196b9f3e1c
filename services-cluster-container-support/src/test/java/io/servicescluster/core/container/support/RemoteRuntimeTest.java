package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote's command line: what goes with an AOT cache, and only with it. */
class RemoteRuntimeTest {

    private static final Path CACHE = Path.of("/tmp/remote-x.aot");

    @Test
    void aRemoteOnAnAotCacheOfJdk25StartsNoTrainingReplay() {
        assumeThat(Runtime.version().feature()).as("the flag is checked on JDK 25").isEqualTo(25);
        assumeThat(Runtime.version().pre()).as("a release build").isEmpty();
        RemoteRuntime runtime = new RemoteRuntime(Path.of("java"), List.of(),
                List.of("-XX:+UseSerialGC", RemoteRuntime.AOT_CACHE + CACHE));

        assertThat(runtime.command("svc", List.of("-Xmx64m"))).containsSubsequence(RemoteRuntime.AOT_CACHE + CACHE,
                "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining", "-Xmx64m");
    }

    @Test
    void withoutTheCacheNoDiagnosticFlagIsAddedAndNoneOfTheRuntimesOwnIsTaken() {
        // another JDK (a Docker image's) may not know the flag, and would refuse to start
        RemoteRuntime runtime = new RemoteRuntime(Path.of("java"), List.of(), List.of("-XX:+UnlockDiagnosticVMOptions",
                "-XX:+PrintCompilation", RemoteRuntime.AOT_CACHE + CACHE));

        List<String> command = runtime.withoutClassData().command("svc");

        assertThat(command).doesNotContain("-XX:-AOTReplayTraining", RemoteRuntime.AOT_CACHE + CACHE)
                .containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation");
    }
}
