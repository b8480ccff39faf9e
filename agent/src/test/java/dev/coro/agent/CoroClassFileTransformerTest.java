package dev.coro.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import dev.coro.Coroutine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoroClassFileTransformerTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CoroClassFileTransformer transformer = new CoroClassFileTransformer(
            AgentOptions.parse("exclude=com.acme.generated"), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void testSkipsByName_platformAndCoroOwnClasses() {
        for (String name : new String[] {"java/lang/String", "javax/net/X", "jdk/internal/Y", "sun/misc/Unsafe",
                "com/sun/net/httpserver/HttpServer", "dev/coro/Coro", "dev/coro/Task", "dev/coro/spi/Frame",
                "dev/coro/internal/Sneaky", "dev/coro/transform/CoroTransformer", "dev/coro/agent/CoroAgent",
                "com/acme/generated/Foo"}) {
            assertTrue(transformer.skipsByName(name), name);
        }
    }

    @Test
    void testSkipsByName_applicationClassesAreLookedAt() {
        for (String name : new String[] {"com/acme/Foo", "dev/coro/examples/ArticleExamples", "Main",
                "com/acme/other/Foo"}) {
            assertFalse(transformer.skipsByName(name), name);
        }
    }

    @Test
    void testTransform_returnsNullForSkippedAndRedefinedClasses() throws Exception {
        byte[] bytes;
        try (var in = String.class.getResourceAsStream("String.class")) {
            bytes = in.readAllBytes();
        }
        assertNull(transformer.transform(null, "java/lang/String", null, null, bytes));
        assertNull(transformer.transform(getClass().getClassLoader(), "com/acme/Foo", Object.class, null, bytes));
        assertNull(transformer.transform(getClass().getClassLoader(), null, null, null, bytes));
        assertTrue(err.toString(StandardCharsets.UTF_8).isEmpty(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void testTransform_truncatedClassFileIsReportedAsUnreadable() throws Exception {
        byte[] whole;
        try (var in = getClass().getResourceAsStream("/agentdemo/MergedBuilders.class")) {
            whole = in.readAllBytes();
        }
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 7);
        assertNull(transformer.transform(getClass().getClassLoader(), "agentdemo/MergedBuilders", null, null, truncated));
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.startsWith("coro-agent: agentdemo.MergedBuilders: unreadable class file"
                + " (stale or broken build; try mvn clean): "), report);
        assertFalse(report.contains("rewriter failed"), report);
    }

    /**
     * Defines the classes of one package through the agent's transformer, as the JVM would: the
     * transformer sees this loader as the defining loader and reads the hierarchy from it.
     */
    private final class AgentLoader extends ClassLoader {
        private final String packagePrefix;

        AgentLoader(String packagePrefix) {
            super(CoroClassFileTransformerTest.class.getClassLoader());
            this.packagePrefix = packagePrefix;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(packagePrefix)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                String internalName = name.replace('.', '/');
                byte[] bytes;
                try (var in = getResourceAsStream(internalName + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    bytes = in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
                byte[] rewritten = transformer.transform(this, internalName, null, null, bytes);
                byte[] defined = rewritten == null ? bytes : rewritten;
                return defineClass(name, defined, 0, defined.length);
            }
        }
    }

    @Test
    void testTransform_localMergingToAnInaccessibleJdkClass_runsWhenSuspended() throws Exception {
        // StringBuilder and StringBuffer merge to java.lang.AbstractStringBuilder, which is not
        // public: a restore that casts to it throws IllegalAccessError (issue 13, defect 1)
        Class<?> merged = new AgentLoader("agentdemo.").loadClass("agentdemo.MergedBuilders");
        var merge = merged.getDeclaredMethod("merge", boolean.class);
        merge.setAccessible(true);
        assertEquals("b!1", Coro.run((Coroutine<?>) merge.invoke(null, true)));
        assertEquals("f!1", Coro.run((Coroutine<?>) merge.invoke(null, false)));
        assertTrue(err.toString(StandardCharsets.UTF_8).isEmpty(), err.toString(StandardCharsets.UTF_8));
    }
}
