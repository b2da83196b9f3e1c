package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run folder's deletion tolerates another deletion of it at the same time: a second Ctrl-C
 * kills the cluster while the orderly close of the first is deleting the folder, and a file one
 * walk saw and the other deleted ended the process with a NoSuchFileException (exit 1, not 130).
 */
class RunDirectoryTest {

    @TempDir
    Path dir;

    @RepeatedTest(5)
    void twoDeletionsAtOnceBothEndWithoutErrorAndTheFolderGone() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        for (int i = 0; i < 20; i++) {
            Path sub = Files.createDirectories(run.resolve("svc-" + i));
            for (int j = 0; j < 50; j++) {
                Files.writeString(sub.resolve("f" + j), "x");
            }
        }
        RunDirectory directory = new RunDirectory(run);
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    directory.delete();
                } catch (Throwable e) {
                    thrown.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(thrown).isEmpty();
        assertThat(run).doesNotExist();
    }
}
