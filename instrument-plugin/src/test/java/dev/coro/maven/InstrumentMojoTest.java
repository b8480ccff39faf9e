package dev.coro.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import dev.coro.maven.fixtures.Bad;
import dev.coro.maven.fixtures.Good;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal's own logic (skip, missing folder, failure policy), with a project built by hand. */
class InstrumentMojoTest {
    @TempDir
    Path work;

    /** Collects what the goal logs. */
    private static final class RecordingLog extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add("INFO " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("WARN " + content);
        }

        @Override
        public void error(CharSequence content) {
            lines.add("ERROR " + content);
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    }

    private final RecordingLog log = new RecordingLog();

    private InstrumentMojo mojo(Path classes) throws Exception {
        Model model = new Model();
        model.setGroupId("it");
        model.setArtifactId("demo");
        model.setVersion("1");
        Build build = new Build();
        build.setDirectory(work.resolve("target").toString());
        build.setOutputDirectory(classes.toString());
        model.setBuild(build);
        MavenProject project = new MavenProject(model) {
            @Override
            public List<String> getCompileClasspathElements() {
                try {
                    return List.of(classes.toString(),
                            Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        InstrumentMojo mojo = new InstrumentMojo();
        set(mojo, "project", project);
        set(mojo, "classesDirectory", classes.toFile());
        set(mojo, "failOnError", true);
        mojo.setLog(log);
        return mojo;
    }

    private static void set(Object target, String name, Object value) throws Exception {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                field.set(target, value);
                return;
            } catch (NoSuchFieldException e) {
                // look in the super class
            }
        }
        throw new NoSuchFieldException(name);
    }

    private void copy(Path classes, Class<?> type) throws Exception {
        Path target = classes.resolve(type.getName().replace('.', '/') + ".class");
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            Files.write(target, in.readAllBytes());
        }
    }

    @Test
    void testExecute_skipLogsWhy() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Good.class);
        InstrumentMojo mojo = mojo(classes);
        set(mojo, "skip", true);

        mojo.execute();

        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("INFO Coro instrument skipped (coro.skip is true)"), log.lines.toString());
        assertFalse(Files.exists(work.resolve("target/coro")), "nothing was looked at");
    }

    @Test
    void testExecute_missingClassesFolderIsSkippedWithAnInfoLine() throws Exception {
        mojo(work.resolve("no-classes")).execute();

        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).startsWith("INFO Coro instrument skipped: no classes folder "), log.lines.toString());
    }

    @Test
    void testExecute_oneSummaryLineAndTheIncrementalStateUnderTarget() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Good.class);

        mojo(classes).execute();

        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).matches("INFO rewrote 2 methods in 1 class in \\d+ ms \\(1 class file looked at\\)"),
                log.lines.get(0));
        assertTrue(Files.isRegularFile(work.resolve("target/coro/instrument.state")));
    }

    @Test
    void testExecute_refusedSiteFailsTheBuildListingIt() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Bad.class);

        MojoFailureException failure = assertThrows(MojoFailureException.class, () -> mojo(classes).execute());

        List<String> lines = failure.getMessage().lines().toList();
        assertEquals("Coro could not rewrite 1 site:", lines.get(0));
        assertTrue(lines.get(1).startsWith("dev/coro/maven/fixtures/Bad.java:"), lines.get(1));
        assertTrue(log.lines.stream().anyMatch(line -> line.startsWith("ERROR dev/coro/maven/fixtures/Bad.java:")), log.lines.toString());
    }

    @Test
    void testExecute_failOnErrorFalseLogsAndGoesOn() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Bad.class);
        InstrumentMojo mojo = mojo(classes);
        set(mojo, "failOnError", false);

        mojo.execute();

        assertTrue(log.lines.stream().anyMatch(line -> line.startsWith("ERROR dev/coro/maven/fixtures/Bad.java:")), log.lines.toString());
        assertTrue(log.lines.get(log.lines.size() - 1).startsWith("WARN failOnError is false"), log.lines.toString());
    }

    private static int neverAwaitedLine() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/coro/maven/fixtures/Forgets.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// never awaited")) {
                return i + 1;
            }
        }
        throw new AssertionError("no marked line");
    }

    private static final String NEVER_AWAITED = ": the coroutine returned by Good.answer(...) is never awaited:"
            + " await it, or spawn it (Coro.spawn / createTask) to run it in the background";

    @Test
    void testExecute_neverAwaitedWarnsWithFileAndLineByDefault() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Good.class);
        copy(classes, dev.coro.maven.fixtures.Forgets.class);

        mojo(classes).execute();

        String expected = "WARN dev/coro/maven/fixtures/Forgets.java:" + neverAwaitedLine() + NEVER_AWAITED;
        assertEquals(List.of(expected), log.lines.stream().filter(l -> l.startsWith("WARN")).toList(), log.lines.toString());
        assertTrue(log.lines.get(0).contains("1 warning"), log.lines.toString());
    }

    @Test
    void testExecute_neverAwaitedError_failsTheBuild() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Good.class);
        copy(classes, dev.coro.maven.fixtures.Forgets.class);
        InstrumentMojo mojo = mojo(classes);
        set(mojo, "neverAwaited", "error");

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(failure.getMessage().contains("dev/coro/maven/fixtures/Forgets.java:" + neverAwaitedLine()
                + NEVER_AWAITED), failure.getMessage());
        // reported again by the next build, not forgotten as "unchanged since the last run"
        log.lines.clear();
        assertThrows(MojoFailureException.class, mojo::execute);
    }

    @Test
    void testExecute_neverAwaitedIgnore_andBadValue() throws Exception {
        Path classes = work.resolve("classes");
        copy(classes, Good.class);
        copy(classes, dev.coro.maven.fixtures.Forgets.class);
        InstrumentMojo mojo = mojo(classes);
        set(mojo, "neverAwaited", "ignore");

        mojo.execute();

        assertEquals(List.of(), log.lines.stream().filter(l -> l.startsWith("WARN")).toList(), log.lines.toString());
        set(mojo, "neverAwaited", "loud");
        org.apache.maven.plugin.MojoExecutionException bad =
                assertThrows(org.apache.maven.plugin.MojoExecutionException.class, mojo::execute);
        assertTrue(bad.getMessage().contains("use warn, error or ignore"), bad.getMessage());
    }
}
