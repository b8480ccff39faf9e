package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the corpus rewritten: reads each class file from the test output folder, rewrites it,
 * checks it with {@link CheckClassAdapter#verify}, and defines it in a fresh child-first class
 * loader, where the JVM's verifier checks it again when it is linked.
 */
public final class Harness {
    /** Where Maven (or the scratch build) put the compiled corpus. */
    public static final Path CLASSES = findClasses();

    private static Path findClasses() {
        String override = System.getProperty("coro.test.classes");
        if (override != null) {
            return Path.of(override);
        }
        try {
            return Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("target/test-classes");
        }
    }

    private Harness() {
    }

    /** The class files of the corpus, rewritten; child-first for the given packages/prefixes. */
    public static class CorpusLoader extends ClassLoader {
        private final Path root;
        private final List<String> prefixes;
        private final CoroTransformer transformer;
        /** Every class rewritten so far, by binary name. */
        public final Map<String, TransformResult> results = new HashMap<>();

        /**
         * @param root the folder holding the class files
         * @param prefixes binary-name prefixes of the classes to rewrite (e.g. the corpus package)
         */
        public CorpusLoader(Path root, String... prefixes) {
            this(root, ClassHierarchy.fromClassLoader(Harness.class.getClassLoader()), prefixes);
        }

        /**
         * @param root the folder holding the class files
         * @param hierarchy what the rewriter looks classes up in
         * @param prefixes binary-name prefixes of the classes to rewrite (e.g. the corpus package)
         */
        public CorpusLoader(Path root, ClassHierarchy hierarchy, String... prefixes) {
            super(Harness.class.getClassLoader());
            this.root = root;
            this.prefixes = List.of(prefixes);
            this.transformer = new CoroTransformer(hierarchy);
        }

        private boolean mine(String name) {
            for (String prefix : prefixes) {
                if (prefix.isEmpty() ? name.indexOf('.') < 0 : name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!mine(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            return findIn(root, name);
        }

        /** @return where {@link CheckClassAdapter} loads the classes the corpus names (the originals) */
        protected ClassLoader verificationLoader() {
            return getParent();
        }

        /**
         * Reads, rewrites, verifies and defines one class from a folder.
         *
         * @param folder where the class file is
         * @param name the binary name
         * @return the defined class
         * @throws ClassNotFoundException when the folder does not have it
         */
        protected Class<?> findIn(Path folder, String name) throws ClassNotFoundException {
            Path file = folder.resolve(name.replace('.', '/') + ".class");
            if (!Files.isRegularFile(file)) {
                throw new ClassNotFoundException(name + " (not in " + folder + ")");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
            TransformResult result = transformer.transform(bytes);
            results.put(name, result);
            if (result.status() == TransformResult.Status.FAILED) {
                throw new AssertionError("rewriting " + name + " failed: " + result.diagnostics());
            }
            byte[] out = result.bytes();
            if (result.changed()) {
                verify(out, verificationLoader());
            }
            return defineClass(name, out, 0, out.length);
        }
    }

    /**
     * Checks a class with ASM's verifier, which must report nothing.
     *
     * @param bytes the class file
     * @param loader where to load the classes it refers to (for assignability checks)
     */
    public static void verify(byte[] bytes, ClassLoader loader) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(out));
        if (!out.toString().isEmpty()) {
            StringWriter dump = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(bytes), loader, true, new PrintWriter(dump));
            fail("CheckClassAdapter found errors in " + new ClassReader(bytes).getClassName() + ":\n"
                    + dump);
        }
    }

    /** JVM verification must be on for the tests to mean anything. */
    public static void assertVerifierOn() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            assertFalse(arg.startsWith("-Xverify:none") || arg.contains("-BytecodeVerificationRemote"),
                    "the JVM runs with " + arg + ": rewritten classes would not be verified");
        }
    }

    /** A fresh loader for the corpus package (and the default package). */
    public static CorpusLoader loader() {
        return new CorpusLoader(CLASSES, "dev.coro.transform.corpus.", "");
    }

    /**
     * Calls a static corpus method returning a coroutine and runs it on a new loop.
     *
     * @param loader the corpus loader
     * @param className the class's simple name in the corpus package (or a binary name)
     * @param method the method name (unique in the class)
     * @param args the arguments
     * @return the coroutine's result
     */
    public static Object run(CorpusLoader loader, String className, String method, Object... args) {
        return Coro.run(call(loader, className, method, args), EventLoop.virtualTime());
    }

    /** Calls a static corpus method and returns the coroutine it made, without running it. */
    public static Coroutine<?> call(CorpusLoader loader, String className, String method, Object... args) {
        try {
            Class<?> c = load(loader, className);
            Method m = find(c, method);
            m.setAccessible(true);
            return (Coroutine<?>) m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Loads a corpus class: a binary name, or a simple name in the corpus package, or a class of
     * the default package.
     *
     * @param loader the corpus loader
     * @param className the name
     * @return the rewritten class
     * @throws ClassNotFoundException when there is no such class
     */
    public static Class<?> load(CorpusLoader loader, String className) throws ClassNotFoundException {
        if (className.contains(".")) {
            return loader.loadClass(className);
        }
        try {
            return loader.loadClass("dev.coro.transform.corpus." + className);
        } catch (ClassNotFoundException e) {
            return loader.loadClass(className);
        }
    }

    private static Method find(Class<?> c, String name) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && Coroutine.class.isAssignableFrom(m.getReturnType())) {
                return m;
            }
        }
        throw new AssertionError("no method " + name + " returning Coroutine in " + c.getName());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * Runs a scenario with awaited values already done, completed later by a sleeping coroutine,
     * and completed later by a timer on a promise, checks the result,
     * then once per await (counted in the first run) with that await failing, and checks what
     * {@code onFailure} says should happen for it.
     *
     * @param expected the result without failures
     * @param scenario runs the corpus method on a loop and returns its result
     * @param onFailure for await number n (1-based), the expected outcome: a value, or a
     *     {@link Boom} message (as {@code Boom}) the run must throw; {@code null} means "throws
     *     Boom("fail n")"
     * @return how many awaits the scenario made
     */
    public static int checkAllModes(Object expected, Callable<Object> scenario,
                                    java.util.function.IntFunction<Object> onFailure) {
        int awaits = -1;
        for (int mode : TestMode.ALL) {
            TestMode.reset(mode, 0);
            Object actual = call(scenario);
            assertEquals(expected, actual, TestMode.name(mode) + " values");
            if (awaits >= 0) {
                assertEquals(awaits, TestMode.made, "same number of awaits in every mode");
            }
            awaits = TestMode.made;
        }
        assertTrue(awaits > 0, "the scenario awaits something");
        for (int mode : TestMode.ALL) {
            for (int n = 1; n <= awaits; n++) {
                TestMode.reset(mode, n);
                Object outcome = onFailure == null ? null : onFailure.apply(n);
                if (outcome == null) {
                    outcome = new Boom("fail " + n);
                }
                String where = TestMode.name(mode) + " values, await " + n + " failing";
                if (outcome instanceof Boom boom) {
                    try {
                        Object actual = scenario.call();
                        fail(where + ": expected Boom(" + boom.getMessage() + ") but returned " + actual);
                    } catch (Boom thrown) {
                        assertEquals(boom.getMessage(), thrown.getMessage(), where);
                    } catch (Exception e) {
                        throw new AssertionError(where + ": unexpected " + e, e);
                    }
                } else {
                    assertEquals(outcome, call(scenario), where);
                }
            }
        }
        return awaits;
    }

    private static Object call(Callable<Object> scenario) {
        try {
            return scenario.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
