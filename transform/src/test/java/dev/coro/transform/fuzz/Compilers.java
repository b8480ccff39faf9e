package dev.coro.transform.fuzz;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;

/**
 * The compilers the fuzzer compiles each program with: the running JDK's javac (in process),
 * ECJ (in process), and the javac of every other JDK installed under {@code /usr/lib/jvm} that
 * the fuzzer knows (Temurin 25 when the tests run on 17, OpenJDK 17 when they run on 25), run as
 * an external process. All target Java 17 ({@code --release 17}), so that the test JVM can load
 * every output; what differs is each compiler's code generation.
 */
final class Compilers {
    private Compilers() {
    }

    /** One compiler. */
    interface Compiler {
        /** @return a name for reports, with the version, e.g. {@code javac 17.0.12} */
        String name();

        /** @return a short name for {@code -Dcoro.fuzz.compilers}: javac, ecj or javac-external */
        String id();

        /**
         * Compiles sources into a folder.
         *
         * @param sources the source files
         * @param classpath what they compile against
         * @param output where the class files go
         * @return the compiler's messages when it failed, {@code null} on success
         * @throws IOException if the compiler cannot be run
         */
        String compile(List<Path> sources, List<Path> classpath, Path output) throws IOException;
    }

    /** JDK homes tried for an external javac, besides the running one. */
    private static final List<Path> OTHER_JDKS = List.of(
            Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"), Path.of("/usr/lib/jvm/java-17-openjdk-amd64"));

    /** @return the available compilers, the running javac first */
    static List<Compiler> available() {
        List<Compiler> compilers = new ArrayList<>();
        compilers.add(new InProcessJavac());
        compilers.add(new Ecj());
        Path running = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        int runningFeature = Runtime.version().feature();
        for (Path home : OTHER_JDKS) {
            Path javac = home.resolve("bin/javac");
            if (Files.isExecutable(javac) && !home.toAbsolutePath().normalize().equals(running)) {
                ExternalJavac external = new ExternalJavac(home);
                if (external.feature != runningFeature) {
                    compilers.add(external);
                    break; // one other version is enough for the default run
                }
            }
        }
        return compilers;
    }

    private static List<String> commonOptions(List<Path> classpath, Path output) {
        List<String> options = new ArrayList<>();
        options.add("-g");
        options.add("-proc:none");
        options.add("-nowarn");
        options.add("-encoding");
        options.add("UTF-8");
        options.add("-d");
        options.add(output.toString());
        options.add("-cp");
        options.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        return options;
    }

    /** javac of the JVM running the tests, through {@code javax.tools}. */
    static final class InProcessJavac implements Compiler {
        private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();

        @Override
        public String name() {
            return "javac " + Runtime.version();
        }

        @Override
        public String id() {
            return "javac";
        }

        @Override
        public String compile(List<Path> sources, List<Path> classpath, Path output) {
            List<String> arguments = new ArrayList<>(List.of("--release", "17"));
            arguments.addAll(commonOptions(classpath, output));
            sources.forEach(source -> arguments.add(source.toString()));
            java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
            int status = javac.run(null, messages, messages, arguments.toArray(new String[0]));
            return status == 0 ? null : "javac exited with " + status + ":\n" + messages.toString(StandardCharsets.UTF_8);
        }
    }

    /** The Eclipse compiler, in process. */
    static final class Ecj implements Compiler {
        @Override
        public String name() {
            String version = BatchCompiler.class.getPackage().getImplementationVersion();
            return "ecj " + (version == null ? "3.37.0" : version);
        }

        @Override
        public String id() {
            return "ecj";
        }

        @Override
        public String compile(List<Path> sources, List<Path> classpath, Path output) {
            List<String> arguments = new ArrayList<>(List.of("--release", "17"));
            arguments.addAll(commonOptions(classpath, output));
            sources.forEach(source -> arguments.add(source.toString()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            try {
                boolean ok = BatchCompiler.compile(arguments.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err), null);
                return ok ? null : "ecj failed:\n" + out + err;
            } catch (RuntimeException | AssertionError crash) {
                StackTraceElement[] trace = crash.getStackTrace();
                return "ecj crashed: " + crash + (trace.length == 0 ? "" : " at " + trace[0]);
            }
        }
    }

    /** Another JDK's javac, as a process. */
    static final class ExternalJavac implements Compiler {
        private final Path home;
        private final String version;
        final int feature;

        ExternalJavac(Path home) {
            this.home = home;
            String text = "?";
            try {
                text = Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8).stream()
                        .filter(line -> line.startsWith("JAVA_VERSION="))
                        .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                        .findFirst().orElse("?");
            } catch (IOException e) {
                // unknown version
            }
            this.version = text;
            int parsed;
            try {
                parsed = Integer.parseInt(text.split("[.+-]")[0]);
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            this.feature = parsed;
        }

        @Override
        public String name() {
            return "javac " + version + " (" + home + ", external process)";
        }

        @Override
        public String id() {
            return "javac-external";
        }

        @Override
        public String compile(List<Path> sources, List<Path> classpath, Path output) throws IOException {
            Path argumentFile = Files.createTempFile(output.getParent(), "javac", ".args");
            List<String> arguments = new ArrayList<>(List.of("--release", "17"));
            arguments.addAll(commonOptions(classpath, output));
            sources.forEach(source -> arguments.add(source.toString()));
            List<String> quoted = new ArrayList<>();
            for (String argument : arguments) {
                quoted.add('"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
            Files.write(argumentFile, quoted, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(home.resolve("bin/javac").toString(), "@" + argumentFile)
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return "javac did not end in 5 minutes";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return "interrupted";
            }
            Files.deleteIfExists(argumentFile);
            return process.exitValue() == 0 ? null : "javac exited with " + process.exitValue() + ":\n" + messages;
        }
    }
}
