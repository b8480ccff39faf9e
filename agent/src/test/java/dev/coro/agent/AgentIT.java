package dev.coro.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import agentdemo.AwaitOutsideAsync;
import agentdemo.Interleaving;
import agentdemo.MergedBuilders;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built agent jar the way users do, {@code java -javaagent:coro-agent.jar ...}, on
 * programs compiled without the Coro plugin (this module's test classes).
 */
class AgentIT {

    /** What a forked JVM did. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Path agentJar() {
        String property = System.getProperty("coro.agent.jar");
        assertTrue(property != null && Files.isRegularFile(Path.of(property)),
                "the failsafe configuration passes the built agent jar as coro.agent.jar; got " + property);
        return Path.of(property);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static Run run(String agentOptions, Class<?> main) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-javaagent:" + agentJar() + (agentOptions == null ? "" : "=" + agentOptions));
        command.add("-cp");
        command.add(location(Coro.class) + File.pathSeparator + location(main));
        command.add(main.getName());
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Small outputs: read both after exit would risk nothing, but read concurrently anyway.
        var out = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.completeExceptionally(e);
            }
        });
        reader.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the forked JVM did not end: " + command);
        return new Run(process.exitValue(), out.get(60, TimeUnit.SECONDS), err);
    }

    @Test
    void testAgent_rewritesAtLoadTimeAndAwaitsRunOnTheLoop() throws Exception {
        Run run = run(null, Interleaving.class);
        assertEquals(0, run.exitCode(), run.err());
        String thread = "main";
        assertEquals(List.of(
                "a one on " + thread,
                "b one on " + thread,
                "c one on " + thread,
                "a two on " + thread + " in task true",
                "b two on " + thread + " in task true",
                "c two on " + thread + " in task true",
                "gathered [a, b, c] on " + thread), run.out().lines().toList(), run.err());
        assertEquals("", run.err());
    }

    @Test
    void testAgent_verboseAndDump(@TempDir Path dump) throws Exception {
        Run run = run("verbose,dump=" + dump, Interleaving.class);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("coro-agent: rewrote 2 methods in " + Interleaving.class.getName()), run.err());
        Path dumped = dump.resolve(Interleaving.class.getName().replace('.', '/') + ".class");
        assertTrue(Files.isRegularFile(dumped), "no dump at " + dumped + "; stderr: " + run.err());
        byte[] original;
        try (var in = Interleaving.class.getResourceAsStream("Interleaving.class")) {
            original = in.readAllBytes();
        }
        assertNotEquals(original.length, Files.size(dumped), "the dumped class should be the rewritten one");
    }

    @Test
    void testAgent_excludedClassesAreLeftAsCompiled() throws Exception {
        Run run = run("exclude=" + Interleaving.class.getPackageName(), Interleaving.class);
        assertNotEquals(0, run.exitCode(), run.out());
        assertEquals(List.of("a one on main"), run.out().lines().toList(), "the first await must throw");
        assertTrue(run.err().contains("IllegalStateException"), run.err());
        assertTrue(run.err().contains("count"), "the error names the method: " + run.err());
    }

    @Test
    void testLauncherAgentClass_executableJarStartsTheAgentBeforeMain(@TempDir Path folder) throws Exception {
        // An application jar whose manifest names the agent as Launcher-Agent-Class, with the agent
        // jar, the runtime and the program on its Class-Path: `java -jar app.jar`, no -javaagent.
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes attributes = manifest.getMainAttributes();
        attributes.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(java.util.jar.Attributes.Name.MAIN_CLASS, Interleaving.class.getName());
        attributes.putValue("Launcher-Agent-Class", CoroAgent.class.getName());
        String classPath = String.join(" ", agentJar().toUri().toString(),
                Path.of(location(Coro.class)).toUri().toString(), Path.of(location(Interleaving.class)).toUri().toString());
        attributes.put(java.util.jar.Attributes.Name.CLASS_PATH, classPath);
        Path app = folder.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(app), manifest)) {
            // the manifest is all it needs
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", app.toString()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("a two on main in task true"), output);
        assertTrue(output.contains("gathered [a, b, c] on main"), output);
    }

    @Test
    void testAgent_unknownOptionStopsStartUp() throws Exception {
        Run run = run("verbose,colour", Interleaving.class);
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("Unknown agent option \"colour\""), run.err());
        assertTrue(run.err().contains("known options: verbose, dump=DIR, exclude=PREFIX"), run.err());
        assertTrue(!run.out().contains(" one on "), "main must not run: " + run.out());
    }

    @Test
    void testAgent_rewritingErrorIsReportedAndClassLoadsAsCompiled() throws Exception {
        Run run = run(null, AwaitOutsideAsync.class);
        assertEquals(0, run.exitCode(), run.err());
        String err = run.err();
        assertTrue(err.contains("coro-agent: cannot rewrite " + AwaitOutsideAsync.class.getName() + ".notAsync()"), err);
        assertTrue(err.contains("AwaitOutsideAsync.java:"), "the report names the source line: " + err);
        assertTrue(run.out().startsWith("IllegalStateException: "), run.out());
        assertTrue(run.out().contains("notAsync"), "the runtime error names the method: " + run.out());
    }

    @Test
    void testAgent_localMergingToAnInaccessibleJdkClass_restoredWithoutIllegalAccess() throws Exception {
        Run run = run(null, MergedBuilders.class);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("b!1 f!1", run.out().strip(), run.err());
        assertEquals("", run.err());
    }
}
